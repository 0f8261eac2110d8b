"""Everyday words for where it hurts and what else is felt: Dutch first, English second.

``words_to_targets("hoofdpijn")`` gives the regions and symptoms a search word stands for, so the
knowledge base finds muscles by complaint ("hoofdpijn", "hiel", "kuit", "tintelingen",
"duizelig"), not only by name. Besides this list, every region's and symptom's own Dutch and
English name counts (a word of four letters or more matches the start of a word in the name).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache

_HEAD = ("vertex", "forehead", "temple", "parietal", "occiput_upper", "occiput_base")
_TEETH = ("upper_front_teeth", "upper_back_teeth", "lower_front_teeth", "lower_back_teeth")

#: word (folded, no accents) -> (region IDs, region groups, symptom IDs)
WORDS: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "hoofdpijn": (_HEAD, (), ()), "headache": (_HEAD, (), ()), "hoofd": (_HEAD, (), ()),
    "migraine": (_HEAD + ("eye",), (), ()),
    "slaap": (("temple",), (), ()), "slapen": (("temple",), (), ()),
    "achterhoofd": (("occiput_upper", "occiput_base"), (), ()),
    "voorhoofd": (("forehead",), (), ()),
    "nekpijn": ((), ("neck",), ("stiff_neck",)), "nek": ((), ("neck",), ()),
    "hals": ((), ("neck",), ()), "neck": ((), ("neck",), ()),
    "kaakpijn": ((), ("jaw_mouth",), ()), "kaak": ((), ("jaw_mouth",), ()),
    "jaw": ((), ("jaw_mouth",), ()),
    "kiespijn": (_TEETH, (), ("tooth_sensitivity",)), "tandpijn": (_TEETH, (), ("tooth_sensitivity",)),
    "kies": (_TEETH, (), ()), "tanden": (_TEETH, (), ()), "toothache": (_TEETH, (), ()),
    "oorpijn": (("ear",), (), ()), "oor": (("ear", "mastoid"), (), ()),
    "schouderpijn": ((), ("shoulder",), ()), "schouder": ((), ("shoulder",), ()),
    "rugpijn": ((), ("upper_back", "low_back"), ()), "rug": ((), ("upper_back", "low_back"), ()),
    "onderrug": ((), ("low_back", "sacrum_buttock"), ()),
    "lage": ((), ("low_back", "sacrum_buttock"), ()), "lendenpijn": ((), ("low_back",), ()),
    "bil": ((), ("sacrum_buttock",), ()), "billen": ((), ("sacrum_buttock",), ()),
    "buikpijn": ((), ("abdomen",), ()), "buik": ((), ("abdomen",), ()),
    "borst": ((), ("chest",), ()), "lies": ((), ("groin",), ()), "liespijn": ((), ("groin",), ()),
    "heup": ((), ("hip",), ()), "heuppijn": ((), ("hip",), ()),
    "knie": ((), ("knee",), ()), "kniepijn": ((), ("knee",), ()),
    "tennisarm": (("elbow_lateral",), (), ()), "tenniselleboog": (("elbow_lateral",), (), ()),
    "golfarm": (("elbow_medial",), (), ()), "golferselleboog": (("elbow_medial",), (), ()),
    "elleboog": ((), ("elbow",), ()), "pols": ((), ("wrist",), ()),
    "hand": ((), ("hand",), ()), "vingers": ((), ("hand",), ()),
    "kuit": (("calf_upper", "calf_lower"), (), ("night_calf_cramps",)),
    "kuiten": (("calf_upper", "calf_lower"), (), ("night_calf_cramps",)),
    "kuitkramp": (("calf_upper", "calf_lower"), (), ("night_calf_cramps",)),
    "calf": (("calf_upper", "calf_lower"), (), ("night_calf_cramps",)),
    "hiel": (("heel", "achilles"), (), ()), "hielpijn": (("heel", "achilles"), (), ()),
    "heel": (("heel", "achilles"), (), ()), "hielspoor": (("heel",), (), ()),
    "achillespees": (("achilles",), (), ()),
    "enkel": ((), ("ankle",), ("ankle_weakness",)), "voet": ((), ("foot",), ()),
    "voetzool": (("heel", "sole_forefoot", "sole_midfoot"), (), ()),
    "scheenbeen": (("shin",), (), ()), "scheen": (("shin",), (), ()),
    "tintelingen": ((), (), ("hand_numbness_tingling", "leg_numbness_tingling")),
    "tinteling": ((), (), ("hand_numbness_tingling", "leg_numbness_tingling")),
    "tintelen": ((), (), ("hand_numbness_tingling", "leg_numbness_tingling")),
    "tintelt": ((), (), ("hand_numbness_tingling", "leg_numbness_tingling")),
    "tingling": ((), (), ("hand_numbness_tingling", "leg_numbness_tingling")),
    "prikkelingen": ((), (), ("hand_numbness_tingling", "leg_numbness_tingling")),
    "slapende": ((), (), ("hand_numbness_tingling", "leg_numbness_tingling")),
    "doof": ((), (), ("hand_numbness_tingling", "leg_numbness_tingling")),
    "gevoelloos": ((), (), ("hand_numbness_tingling", "leg_numbness_tingling")),
    "numb": ((), (), ("hand_numbness_tingling", "leg_numbness_tingling")),
    "duizelig": ((), (), ("dizziness",)), "duizeligheid": ((), (), ("dizziness",)),
    "draaierig": ((), (), ("dizziness",)), "evenwicht": ((), (), ("dizziness",)),
    "dizzy": ((), (), ("dizziness",)), "dizziness": ((), (), ("dizziness",)),
    "vertigo": ((), (), ("dizziness",)), "oorsuizen": ((), (), ("tinnitus",)),
    "slikken": ((), (), ("difficulty_swallowing",)), "kramp": ((), (), ("night_calf_cramps",)),
}

#: Longer words that hold a search word's letters but name something else, so they are no
#: name match for it: "kuitbeen" is the fibula (the outer lower leg), not the calf ("kuit").
NOT_A_PART: dict[str, tuple[str, ...]] = {"kuit": ("kuitbeen",), "kuiten": ("kuitbeen",)}

#: Words that say nothing about a place or complaint.
STOP = {"pijn", "pain", "in", "de", "het", "een", "aan", "bij", "van", "en", "of", "the", "my",
        "mijn", "links", "rechts", "left", "right", "zere", "zeer", "doet"}


def fold(text: str) -> str:
    norm = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in norm if not unicodedata.combining(ch))


@dataclass
class Targets:
    regions: set[str] = field(default_factory=set)
    symptoms: set[str] = field(default_factory=set)

    def __bool__(self) -> bool:
        return bool(self.regions or self.symptoms)


@cache
def _names() -> tuple[list[tuple[set[str], str]], list[tuple[set[str], str]]]:
    """(words of each region's names, region), (words of each symptom's names, symptom)."""
    from knoop.kb.contract import contract

    c = contract()

    def words(*texts: str) -> set[str]:
        return {w for t in texts for w in re.findall(r"[a-z]+", fold(t)) if w not in STOP}

    return ([(words(r.nl, r.en), r.id) for r in c.regions.values()],
            [(words(s.nl, s.en), s.id) for s in c.symptoms.values()])


def words_to_targets(word: str) -> Targets:
    """The regions and symptoms one search word stands for (empty when it names none)."""
    from knoop.kb.contract import contract

    w = fold(word).strip()
    out = Targets()
    if not w or w in STOP:
        return out
    regions, groups, symptoms = WORDS.get(w, ((), (), ()))
    out.regions.update(regions)
    out.symptoms.update(symptoms)
    if groups:
        out.regions.update(r.id for r in contract().regions.values() if r.group in groups)
    if len(w) >= 4 and w not in WORDS:
        region_names, symptom_names = _names()
        out.regions.update(rid for ws, rid in region_names if any(x.startswith(w) for x in ws))
        out.symptoms.update(sid for ws, sid in symptom_names if any(x.startswith(w) for x in ws))
    known = contract().regions
    out.regions &= set(known)
    return out
