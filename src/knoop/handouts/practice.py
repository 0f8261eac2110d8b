"""The practice's details for document headers and footers: name and city from the store's
practice record, the therapist's name from their user, contact lines from the settings
(``KNOOP_PRACTICE_ADDRESS``, ``_PHONE``, ``_EMAIL``, ``_WEBSITE``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from knoop.store import Actor, Store

if TYPE_CHECKING:
    from knoop.settings import Settings


@dataclass(frozen=True)
class PracticeDetails:
    name: str
    city: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""
    website: str = ""
    therapist: str = ""
    #: The base of the practice's FHIR code systems (``KNOOP_FHIR_BASE``); "" when not set.
    fhir_base: str = ""

    @property
    def contact_lines(self) -> list[str]:
        return [x for x in (self.address, self.phone, self.email, self.website) if x]


def practice_details(store: Store, actor: Actor, *, therapist_id: int | None = None,
                     settings: Settings | None = None) -> PracticeDetails:
    from knoop.settings import load

    s = settings or load()
    p = store.practice(actor.practice_id)
    therapist = ""
    if therapist_id is not None:
        for u in store.all_users():
            if u.id == therapist_id and u.practice_id == actor.practice_id:
                therapist = u.name or ""
    return PracticeDetails(name=p.name, city=p.city, address=s.practice_address,
                           phone=s.practice_phone, email=s.practice_email,
                           website=s.practice_website, therapist=therapist,
                           fhir_base=s.fhir_base)
