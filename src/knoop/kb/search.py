"""Finding muscles: by name (Dutch, English, Latin, aliases) and by region."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

from knoop.kb.models import Muscle

if TYPE_CHECKING:
    from knoop.kb import KnowledgeBase

GROUP_NAMES = {
    "head_neck": {"nl": "Hoofd en nek", "en": "Head and neck"},
    "shoulder_upper_back_arm": {"nl": "Schouder, bovenrug en arm",
                                "en": "Shoulder, upper back and arm"},
    "forearm_hand": {"nl": "Onderarm en hand", "en": "Forearm and hand"},
    "chest_abdomen": {"nl": "Borst en buik", "en": "Chest and abdomen"},
    "mid_low_back_buttock": {"nl": "Midden- en onderrug, bil",
                             "en": "Mid and low back, buttock"},
    "hip_thigh_knee": {"nl": "Heup, bovenbeen en knie", "en": "Hip, thigh and knee"},
    "leg_ankle_foot": {"nl": "Onderbeen, enkel en voet", "en": "Lower leg, ankle and foot"},
}


def _fold(text: str) -> str:
    norm = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in norm if not unicodedata.combining(ch))


def search_muscles(kb: KnowledgeBase, query: str) -> list[Muscle]:
    """Muscles whose ID, Dutch, English or Latin name or alias contains every query word.
    An empty query returns all muscles; results are sorted by Dutch name."""
    words = _fold(query).split()
    out: list[Muscle] = []
    for m in kb.muscles.values():
        cm = kb.contract.muscles[m.id]
        # The contract's Dutch name too, so a former name (e.g. "kopdraaier") is still found.
        hay = _fold(" ".join([m.id.replace("_", " "), m.names.nl, m.names.en, m.names.latin,
                              cm.nl, *cm.aliases]))
        if all(w in hay for w in words):
            out.append(m)
    return sorted(out, key=lambda m: (_fold(m.names.nl), m.id))


@dataclass(frozen=True)
class Found:
    """A muscle found by a search, with its score and why (``name``, ``essential``,
    ``spillover``, ``location``, ``symptom``: the strongest link of the words)."""

    muscle: Muscle
    score: float
    why: str


#: Points per link between a search word and a muscle.
NERVE_SYMPTOMS = frozenset({"hand_numbness_tingling", "leg_numbness_tingling"})
NAME, NAME_PART, ESSENTIAL, SPILLOVER, LOCATION, SYMPTOM = 100.0, 5.0, 3.0, 1.0, 1.0, 4.0


def find_muscles(kb: KnowledgeBase, query: str) -> list[Found]:
    """Muscles for a search by name, body part or complaint, best first. Every word must match
    the muscle's names or stand for a region or symptom of it (:mod:`knoop.kb.lexicon`);
    a name match counts most, then an essential zone over the named regions, a symptom, the
    spillover zone and a trigger point lying there. Ties: by Dutch name."""
    from knoop.kb.lexicon import NOT_A_PART, STOP, words_to_targets

    words = [w for w in _fold(query).split() if w not in STOP] or _fold(query).split()
    if not words:
        return [Found(m, 0.0, "") for m in search_muscles(kb, "")]
    targets = [words_to_targets(w) for w in words]
    out: list[Found] = []
    for m in kb.muscles.values():
        cm = kb.contract.muscles[m.id]
        hay = _fold(" ".join([m.id.replace("_", " "), m.names.nl, m.names.en, m.names.latin,
                              cm.nl, *cm.aliases]))
        ess, spill = set(m.zone("essential")), set(m.zone("spillover"))
        locs = {r for tp in m.trigger_points for r in tp.location}
        total, why = 0.0, ""
        for w, t in zip(words, targets):
            part_hay = hay
            for longer in NOT_A_PART.get(w, ()):
                part_hay = part_hay.replace(longer, " ")
            links = {"name": (NAME if re.search(rf"\b{re.escape(w)}\b", hay)
                              else NAME_PART if w in part_hay else 0.0),
                     "essential": ESSENTIAL * len(ess & t.regions),
                     "symptom": SYMPTOM * len(set(m.symptoms) & t.symptoms)
                     # tingling or numbness: a muscle known to trap a nerve comes first
                     + (SYMPTOM / 2 if m.entrapment and t.symptoms & NERVE_SYMPTOMS
                        and set(m.symptoms) & t.symptoms else 0.0),
                     "spillover": SPILLOVER * len(spill & t.regions),
                     "location": LOCATION * len(locs & t.regions)}
            score = sum(links.values())
            if score <= 0:
                break
            total += score
            best = max(links, key=lambda k: links[k])
            if not why or links[best] > 0 and best == "name":
                why = best
        else:
            out.append(Found(m, total, why))
    return sorted(out, key=lambda f: (-f.score, _fold(f.muscle.names.nl), f.muscle.id))


def muscles_for_region(kb: KnowledgeBase, region_id: str
                       ) -> tuple[list[Muscle], list[Muscle], list[Muscle]]:
    """(essential, spillover, trigger point lies here) muscles for a region; a muscle is listed
    under the strongest link only in the first two lists."""
    essential, spillover, local = [], [], []
    for m in sorted(kb.muscles.values(), key=lambda m: _fold(m.names.nl)):
        if region_id in m.zone("essential"):
            essential.append(m)
        elif region_id in m.zone("spillover"):
            spillover.append(m)
        if any(region_id in tp.location for tp in m.trigger_points):
            local.append(m)
    return essential, spillover, local

REGION_GROUP_NAMES = {
    "head": ("Hoofd", "Head"), "face": ("Gezicht", "Face"),
    "jaw_mouth": ("Kaak en mond", "Jaw and mouth"), "neck": ("Nek en hals", "Neck"),
    "shoulder": ("Schouder", "Shoulder"), "upper_back": ("Bovenrug", "Upper back"),
    "chest": ("Borst", "Chest"), "axilla": ("Oksel", "Armpit"),
    "upper_arm": ("Bovenarm", "Upper arm"), "elbow": ("Elleboog", "Elbow"),
    "forearm": ("Onderarm", "Forearm"), "wrist": ("Pols", "Wrist"), "hand": ("Hand", "Hand"),
    "abdomen": ("Buik", "Abdomen"), "groin": ("Lies en bekken", "Groin and pelvis"),
    "low_back": ("Onderrug", "Low back"), "sacrum_buttock": ("Heiligbeen en bil",
                                                              "Sacrum and buttock"),
    "hip": ("Heup", "Hip"), "thigh": ("Bovenbeen", "Thigh"), "knee": ("Knie", "Knee"),
    "leg": ("Onderbeen", "Lower leg"), "ankle": ("Enkel", "Ankle"), "foot": ("Voet", "Foot"),
}
