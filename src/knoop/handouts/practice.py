"""The practice's details for document headers and footers, from the store's practice record
(name, address, postcode and city, AGB code, registration numbers, phone, e-mail, website, as
the practice's admin keeps them in the browser), the therapist's name from their user.
The settings (``KNOOP_PRACTICE_ADDRESS``, ``_PHONE``, ``_EMAIL``, ``_WEBSITE``) are only the
installation's fallback for a detail the practice left empty."""

from __future__ import annotations

import base64
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
    postcode: str = ""
    agb_code: str = ""
    registration: str = ""
    has_logo: bool = False
    #: The practice's logo as a ``data:`` URI for the letterhead ("" without one).
    logo_uri: str = ""

    @property
    def contact_lines(self) -> list[str]:
        agb = f"AGB {self.agb_code}" if self.agb_code else ""
        return [x for x in (self.address, self.phone, self.email, self.website, agb,
                            self.registration) if x]


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
    logo_uri = ""
    if p.has_logo:
        found = store.practice_logo(p.id)
        if found is not None:
            logo_uri = f"data:{found[1]};base64," + base64.b64encode(found[0]).decode("ascii")
    place = " ".join(x for x in (p.postcode, p.city) if x)
    address = ", ".join(x for x in (p.address, place) if x) if p.address else ""
    return PracticeDetails(name=p.name, city=p.city, address=address or s.practice_address,
                           phone=p.phone or s.practice_phone, email=p.email or s.practice_email,
                           website=p.website or s.practice_website, therapist=therapist,
                           postcode=p.postcode, agb_code=p.agb_code,
                           registration=p.registration, has_logo=p.has_logo,
                           fhir_base=s.fhir_base, logo_uri=logo_uri)
