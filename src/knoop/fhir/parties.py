"""Who a bundle comes from: the practice as ``Organization`` and each therapist of the
exported sessions as ``Practitioner``, both from ``handouts.practice.practice_details`` (the
one source of practice details, also for the PDFs)."""

from __future__ import annotations

from typing import Any

from knoop.fhir.codes import Systems, stable_uuid
from knoop.handouts.practice import PracticeDetails


def organization(cs: Systems, practice_id: int, p: PracticeDetails) -> tuple[str, dict[str, Any]]:
    """(fullUrl, Organization) of the practice: name, address as text, phone, e-mail, website."""
    res: dict[str, Any] = {
        "resourceType": "Organization", "active": True,
        "identifier": [{"system": cs.ns("practice"), "value": str(practice_id)}],
        "name": p.name}
    telecom = [{"system": system, "value": value} for system, value in
               (("phone", p.phone), ("email", p.email), ("url", p.website)) if value]
    if telecom:
        res["telecom"] = telecom
    if p.address or p.city:
        res["address"] = [{"text": ", ".join(x for x in (p.address, p.city) if x)}]
        if p.city:
            res["address"][0]["city"] = p.city
    return stable_uuid("organization", practice_id), res


def practitioner(cs: Systems, practice_id: int, user_id: int,
                 name: str) -> tuple[str, dict[str, Any]]:
    """(fullUrl, Practitioner) of one therapist of the practice (identifier: the user ID)."""
    res: dict[str, Any] = {
        "resourceType": "Practitioner", "active": True,
        "identifier": [{"system": cs.ns("practitioner"), "value": f"{practice_id}-{user_id}"}]}
    if name.strip():
        res["name"] = [{"text": name.strip()}]
    return stable_uuid("practitioner", practice_id, user_id), res
