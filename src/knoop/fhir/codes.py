"""The FHIR code systems and codings knoop uses: the practice's own code systems (regions,
muscles, trigger points, findings, techniques, ...; under the practice's base URL), the verified SNOMED CT and LOINC codes, the Nictiz
laterality extension, and the helpers that build a coding or a body site from them.

Every code here is listed in ``docs/fhir.md``; no SNOMED code that ``shared/codes.md`` does not
mark verified.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from knoop.kb import knowledge_base
from knoop.vocabulary import side_word


@dataclass(frozen=True)
class Systems:
    """The practice's own code systems and naming systems under one base URL (the practice's
    setting ``KNOOP_FHIR_BASE``, else its website + ``/fhir``, else ``urn:knoop:practice:<id>``;
    see :func:`base_of`)."""

    base: str

    def cs(self, name: str) -> str:
        return f"{self.base}/CodeSystem/{name}"

    def ns(self, name: str) -> str:
        return f"{self.base}/NamingSystem/{name}"

    @property
    def region(self) -> str:
        return self.cs("region")

    @property
    def muscle(self) -> str:
        return self.cs("muscle")

    @property
    def trigger_point(self) -> str:
        return self.cs("trigger-point")

    @property
    def observation(self) -> str:
        return self.cs("observation")


#: The last path parts of the local systems (readers match on these, whatever the base).
CS_OBSERVATION_TAIL = "/CodeSystem/observation"
CS_MUSCLE_TAIL = "/CodeSystem/muscle"
CS_CRITERION_TAIL = "/CodeSystem/finding-criterion"


def base_of(setting: str, website: str, practice_id: int) -> str:
    """The base of the practice's own systems: the setting, else ``<website>/fhir`` when the
    website is an http(s) URL, else a URN that names the practice in this installation."""
    if setting.strip():
        return setting.strip().rstrip("/")
    w = website.strip().rstrip("/")
    if w.startswith(("https://", "http://")) and " " not in w:
        return f"{w}/fhir"
    if w and "." in w and " " not in w and "/" not in w:  # "www.praktijk.nl"
        return f"https://{w}/fhir"
    return f"urn:knoop:practice:{practice_id}"


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
RESULT_TEXT = {
    "nl": {"active": "actief triggerpunt", "latent": "latent triggerpunt",
           "none_found": "geen triggerpunt gevonden", "not_examined": "niet onderzocht"},
    "en": {"active": "active trigger point", "latent": "latent trigger point",
           "none_found": "no trigger point found", "not_examined": "not examined"}}
CRITERIA = ("pain_recognised", "tender_spot", "taut_band", "referral_elicited", "twitch")
ENCOUNTER_STATUS = {"draft": "planned", "open": "in-progress", "closed": "finished"}
CONSENT_SCOPE = {"treatment": "treatment", "research": "research",
                 "gp_sharing": "patient-privacy", "photos": "patient-privacy",
                 "aftercare": "patient-privacy"}
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


def pain_score(cs: Systems, code: str, display: str, text: str) -> dict[str, Any]:
    """The head of an NRS pain-score Observation (zib PainScore): category survey, SNOMED
    225908003 and LOINC 72514-3 plus the practice's own ``code`` (``display``), the Dutch
    ``text``, and the Nictiz NRS method. The caller adds subject, time and value."""
    return {
        "resourceType": "Observation", "status": "final",
        "category": [codeable("http://terminology.hl7.org/CodeSystem/observation-category",
                              "survey", "Survey")],
        "code": {"coding": [
            {"system": SNOMED, "code": "225908003", "display": "Pain score"},
            {"system": LOINC, "code": "72514-3", "display":
             "Pain severity - 0-10 verbal numeric rating [Score] - Reported"},
            {"system": cs.observation, "code": code, "display": display}],
            "text": text},
        "method": codeable(NICTIZ_PAIN_METHOD, "NRS", "NRS"),
    }


def muscle_site(cs: Systems, muscle: str, side: str, lang: str = "nl") -> dict[str, Any]:
    m = knowledge_base().muscle(muscle)
    coding = [{"system": cs.muscle, "code": muscle, "display": m.names.latin}]
    if muscle in MUSCLE_SNOMED:
        code, display = MUSCLE_SNOMED[muscle]
        coding.append({"system": SNOMED, "code": code, "display": display})
    lat_code, lat_display = LATERALITY[side]
    name = m.names.en if lang == "en" else m.names.nl
    return {"extension": [{"url": EXT_LATERALITY, "valueCodeableConcept":
                           codeable(SNOMED, lat_code, lat_display)}],
            "coding": coding, "text": f"{name} ({side_word(side, lang)})"}


def region_site(cs: Systems, region: str, side: str | None, lang: str = "nl") -> dict[str, Any]:
    meta = knowledge_base().contract.regions.get(region)
    name = (meta.en if lang == "en" else meta.nl) if meta else region
    site: dict[str, Any] = {"coding": [{"system": cs.region, "code": region,
                                        "display": name}], "text": name}
    if side in LATERALITY:
        code, display = LATERALITY[side]
        site["extension"] = [{"url": EXT_LATERALITY,
                              "valueCodeableConcept": codeable(SNOMED, code, display)}]
        site["text"] = f"{name} ({side_word(side, lang)})"
    return site
