"""The FHIR code systems and codings knoop uses: our own code systems (regions, muscles,
trigger points, findings, techniques, ...), the verified SNOMED CT and LOINC codes, the Nictiz
laterality extension, and the helpers that build a coding or a body site from them.

Every code here is listed in ``docs/fhir.md``; no SNOMED code that ``shared/codes.md`` does not
mark verified.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from knoop.kb import knowledge_base
from knoop.vocabulary import side_word

BASE = "https://knoop.example/fhir"
CS_REGION = f"{BASE}/CodeSystem/region"
CS_MUSCLE = f"{BASE}/CodeSystem/muscle"
CS_TRIGGER_POINT = f"{BASE}/CodeSystem/trigger-point"
CS_OBSERVATION = f"{BASE}/CodeSystem/observation"
CS_FINDING_RESULT = f"{BASE}/CodeSystem/finding-result"
CS_CRITERION = f"{BASE}/CodeSystem/finding-criterion"
CS_TECHNIQUE = f"{BASE}/CodeSystem/technique"
CS_QUALITY = f"{BASE}/CodeSystem/pain-quality"
CS_CONSENT_KIND = f"{BASE}/CodeSystem/consent-kind"
CS_ACCESS = f"{BASE}/CodeSystem/access-action"
NS_CLIENT = f"{BASE}/NamingSystem/client"
NS_SESSION = f"{BASE}/NamingSystem/session"
SNOMED = "http://snomed.info/sct"
LOINC = "http://loinc.org"
NICTIZ_PAIN_METHOD = "urn:oid:2.16.840.1.113883.2.4.3.11.60.40.4.9.1"
EXT_LATERALITY = "http://nictiz.nl/fhir/StructureDefinition/ext-AnatomicalLocation.Laterality"

#: SNOMED "Structure of ... muscle" codes that shared/codes.md marks verified (not "weak" or
#: "lead"); every other muscle goes with the local code only.
MUSCLE_SNOMED = {
    "trapezius": ("31764008", "Structure of trapezius muscle"),
    "sternocleidomastoid": ("22823000", "Structure of sternocleidomastoid muscle"),
    "temporalis": ("52927003", "Structure of temporalis muscle"),
    "masseter": ("79368004", "Masseter muscle structure"),
    "supraspinatus": ("6423006", "Supraspinatus muscle structure"),
    "infraspinatus": ("72573008", "Infraspinatus muscle structure"),
    "subscapularis": ("90588001", "Subscapularis muscle structure"),
    "teres_minor": ("51159009", "Structure of teres minor muscle"),
    "deltoid": ("35259002", "Structure of deltoid muscle"),
    "pectoralis_major": ("60005003", "Pectoralis major muscle structure"),
    "pectoralis_minor": ("18686000", "Pectoralis minor muscle structure"),
    "serratus_anterior": ("18346003", "Structure of serratus anterior muscle"),
    "latissimus_dorsi": ("15665001", "Structure of latissimus dorsi muscle"),
    "iliopsoas": ("68455001", "Structure of iliopsoas muscle"),
    "gluteus_maximus": ("206007", "Structure of gluteus maximus muscle"),
    "gluteus_medius": ("78333006", "Structure of gluteus medius muscle"),
    "vastus_lateralis": ("1403006", "Vastus lateralis muscle"),
}
LATERALITY = {"left": ("7771000", "Left"), "right": ("24028007", "Right")}
RESULT_TEXT = {"active": "actief triggerpunt", "latent": "latent triggerpunt",
               "none_found": "geen triggerpunt gevonden", "not_examined": "niet onderzocht"}
CRITERIA = ("pain_recognised", "tender_spot", "taut_band", "referral_elicited", "twitch")
ENCOUNTER_STATUS = {"draft": "planned", "open": "in-progress", "closed": "finished"}
CONSENT_SCOPE = {"treatment": "treatment", "research": "research",
                 "gp_sharing": "patient-privacy", "photos": "patient-privacy"}
ACCESS_ACTION = {"create": "C", "read": "R", "update": "U", "delete": "D", "erase": "D",
                 "export": "E", "search": "E", "audit_read": "R"}
NAMESPACE = uuid.UUID("5b0a6f3e-7d1c-4d8e-9f2a-6b3c1e0d9a77")


def stable_uuid(*parts: object) -> str:
    return "urn:uuid:" + str(uuid.uuid5(NAMESPACE, "/".join(str(p) for p in parts)))


def instant(value: str | None) -> str | None:
    """Stored times are naive UTC: say so."""
    if not value:
        return None
    return dt.datetime.fromisoformat(value).replace(tzinfo=dt.UTC).isoformat()


def codeable(system: str, code: str, display: str, text: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"coding": [{"system": system, "code": code, "display": display}]}
    if text:
        out["text"] = text
    return out


def muscle_site(muscle: str, side: str) -> dict[str, Any]:
    m = knowledge_base().muscle(muscle)
    coding = [{"system": CS_MUSCLE, "code": muscle, "display": m.names.latin}]
    if muscle in MUSCLE_SNOMED:
        code, display = MUSCLE_SNOMED[muscle]
        coding.append({"system": SNOMED, "code": code, "display": display})
    lat_code, lat_display = LATERALITY[side]
    return {"extension": [{"url": EXT_LATERALITY, "valueCodeableConcept":
                           codeable(SNOMED, lat_code, lat_display)}],
            "coding": coding, "text": f"{m.names.nl} ({side_word(side)})"}


def region_site(region: str, side: str | None) -> dict[str, Any]:
    meta = knowledge_base().contract.regions.get(region)
    nl = meta.nl if meta else region
    site: dict[str, Any] = {"coding": [{"system": CS_REGION, "code": region,
                                        "display": meta.en if meta else region}], "text": nl}
    if side in LATERALITY:
        code, display = LATERALITY[side]
        site["extension"] = [{"url": EXT_LATERALITY,
                              "valueCodeableConcept": codeable(SNOMED, code, display)}]
        site["text"] = f"{nl} ({side_word(side)})"
    return site
