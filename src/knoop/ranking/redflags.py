"""Red flags: reasons to refer before (or instead of) trigger-point treatment.

From the screening answers (contract ``screening`` items) and from the drawing itself. A red flag
is always reported first and never hidden by the list of muscles.
"""

from __future__ import annotations

from dataclasses import dataclass

from knoop.kb.contract import Contract
from knoop.ranking.painmap import PainMap

URGENCY_ORDER = {"emergency": 0, "urgent": 1, "gp": 2, "caution": 3}

ADVICE = {
    "emergency": {
        "nl": "Niet behandelen: verwijs direct naar 112 of de huisartsenpost.",
        "en": "Do not treat: refer at once to emergency services (112) or the out-of-hours GP.",
    },
    "urgent": {
        "nl": "Eerst verwijzen: laat de cliënt vandaag of morgen de huisarts bellen, behandel pas "
              "na beoordeling.",
        "en": "Refer first: the client should call their GP today or tomorrow; treat only after "
              "assessment.",
    },
    "gp": {
        "nl": "Overleg met de huisarts voordat je triggerpunten behandelt.",
        "en": "Check with the GP before treating trigger points.",
    },
    "caution": {
        "nl": "Voorzichtig: pas de druk aan.",
        "en": "Caution: adapt the pressure.",
    },
}

CHEST = {"pectoral", "lower_chest_front", "sternum", "breast"}
ARM = {"upper_arm_medial", "upper_arm_front", "forearm_volar_ulnar", "forearm_ulnar",
       "elbow_medial", "hypothenar", "little_finger_palmar", "ring_finger_palmar", "axilla"}
JAW = {"lower_jaw", "jaw_angle", "chin", "under_jaw", "throat"}
SADDLE = {"perineum", "genitals"}
UPPER_GROUPS = {"head", "face", "jaw_mouth", "neck", "shoulder", "upper_back", "chest", "axilla",
                "upper_arm", "elbow", "forearm", "wrist", "hand"}
LOWER_GROUPS = {"low_back", "sacrum_buttock", "hip", "thigh", "knee", "leg", "ankle", "foot",
                "groin"}
AXIAL_GROUPS = {"neck", "upper_back", "low_back", "sacrum_buttock", "chest"}


@dataclass(frozen=True)
class RedFlag:
    id: str
    urgency: str  # emergency | urgent | gp | caution
    message: str
    source: str  # "screening" or "drawing"

    def to_dict(self) -> dict[str, str]:
        return {"id": self.id, "urgency": self.urgency, "message": self.message,
                "source": self.source}


DRAWING_FLAGS = {
    "chest_with_arm_or_jaw": {
        "urgency": "urgent",
        "nl": "Pijn op de borst samen met de linkerarm of de kaak kan van het hart komen. "
              "Vraag naar inspanning, kortademigheid en zweten; bij twijfel direct 112.",
        "en": "Chest pain together with the left arm or the jaw can come from the heart. Ask "
              "about exertion, breathlessness and sweating; if in doubt call 112 at once.",
    },
    "saddle_area": {
        "urgency": "urgent",
        "nl": "Klachten in het zadelgebied (rond geslachtsdelen en bilnaad): vraag naar doof "
              "gevoel en plas- of ontlastingsproblemen; bij ja is dit een spoedgeval.",
        "en": "Complaints in the saddle area (around the genitals and perineum): ask about "
              "numbness and bladder or bowel change; if yes, this is an emergency.",
    },
    "saddle_numbness_drawn": {
        "urgency": "emergency",
        "nl": "Doof of tintelend gevoel in het zadelgebied getekend: mogelijke zenuwbeknelling "
              "in de onderrug (cauda equina).",
        "en": "Numbness or tingling drawn in the saddle area: possible nerve compression in the "
              "low back (cauda equina).",
    },
    "widespread_pain": {
        "urgency": "gp",
        "nl": "Pijn aan beide kanten, boven en onder de taille en langs de wervelkolom past eerder "
              "bij een wijdverbreid pijnbeeld dan bij één spier. Laat de huisarts meekijken en "
              "behandel mild.",
        "en": "Pain on both sides, above and below the waist and along the spine suggests a "
              "widespread pain condition rather than one muscle. Involve the GP and treat gently.",
    },
}


def red_flags(pm: PainMap, c: Contract, lang: str = "nl") -> list[RedFlag]:
    """All red flags of a pain map, most urgent first (ties by ID)."""
    flags: list[RedFlag] = []
    for sid in pm.screening:
        item = c.screening[sid]
        question = item.nl if lang == "nl" else item.en
        prefix = "Ja op" if lang == "nl" else "Yes to"
        flags.append(RedFlag(sid, item.urgency,
                             f"{prefix}: {question}. {ADVICE[item.urgency][lang]}", "screening"))

    painted = {r.key: r for r in pm.regions}
    names = {r.region for r in pm.regions}
    chest = any(k[0] in CHEST and k[1] in ("left", None) for k in painted)
    left_arm = any(k[0] in ARM and k[1] == "left" for k in painted)
    if chest and (left_arm or names & JAW):
        flags.append(_drawing("chest_with_arm_or_jaw", lang))
    saddle = [r for r in pm.regions if r.region in SADDLE]
    if saddle:
        flags.append(_drawing("saddle_area", lang))
        if any(r.quality in ("numb", "tingling") for r in saddle):
            flags.append(_drawing("saddle_numbness_drawn", lang))
    groups = {r.region: c.regions[r.region].group for r in pm.regions}
    sides = {r.side for r in pm.regions if r.side}
    if (sides == {"left", "right"} and UPPER_GROUPS & set(groups.values())
            and LOWER_GROUPS & set(groups.values()) and AXIAL_GROUPS & set(groups.values())
            and _both_sides_both_halves(pm, groups) and len(pm.regions) >= 8):
        flags.append(_drawing("widespread_pain", lang))
    flags.sort(key=lambda f: (URGENCY_ORDER[f.urgency], f.id))
    return flags


def _both_sides_both_halves(pm: PainMap, groups: dict[str, str]) -> bool:
    quadrants = set()
    for r in pm.regions:
        if r.side is None:
            continue
        half = "upper" if groups[r.region] in UPPER_GROUPS else "lower"
        quadrants.add((half, r.side))
    return len(quadrants) == 4


def _drawing(flag_id: str, lang: str) -> RedFlag:
    d = DRAWING_FLAGS[flag_id]
    return RedFlag(flag_id, d["urgency"], f"{d[lang]} {ADVICE[d['urgency']][lang]}", "drawing")
