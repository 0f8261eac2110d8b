"""The practice's fixed vocabulary, written out once: sides, chart views, pain qualities,
palpation results, treatment techniques, pressure tolerance, and the practice's time zone.

Every layer imports from here (it imports nothing of ours), so a word is never spelled in two
places. Words people read come in Dutch (``nl``) and English (``en``); ``left`` and ``right``
are always the client's own anatomical side.
"""

from __future__ import annotations

import re
from typing import Final
from zoneinfo import ZoneInfo

#: Times are stored in UTC; everything people read shows Dutch local time.
LOCAL_TZ: Final = ZoneInfo("Europe/Amsterdam")

#: The client's own anatomical side of a paired region or muscle.
SIDES: Final = ("left", "right")
SIDE_WORDS: Final = {"nl": {"left": "links", "right": "rechts"},
                     "en": {"left": "left", "right": "right"}}

#: Chart views: ``front`` and ``back`` are required, the others are detail views.
VIEWS: Final = ("front", "back", "lateral", "palm", "dorsum_hand", "sole", "dorsum_foot")
MAIN_VIEWS: Final = ("front", "back")
VIEW_WORDS: Final = {
    "front": ("Voorkant", "Front"), "back": ("Achterkant", "Back"),
    "lateral": ("Zijkant", "Side"), "palm": ("Handpalmen", "Palms"),
    "dorsum_hand": ("Handruggen", "Hands (back)"), "sole": ("Voetzolen", "Soles"),
    "dorsum_foot": ("Voetruggen", "Feet (top)"),
}

#: How the pain feels, as drawn with the brush.
QUALITIES: Final = ("aching", "burning", "tingling", "numb", "stabbing")
QUALITY_WORDS: Final = {
    "aching": ("zeurend", "aching"), "burning": ("brandend", "burning"),
    "tingling": ("tintelend", "tingling"), "numb": ("doof", "numb"),
    "stabbing": ("stekend", "stabbing"),
}

#: Palpation results: what the therapist found at a muscle on one side.
RESULTS: Final = ("active", "latent", "none_found", "not_examined")
#: The results a pain map can carry (``not_examined`` says nothing about the muscle).
PAINMAP_RESULTS: Final = ("active", "latent", "none_found")
RESULT_WORDS: Final = {"active": ("actief", "active"), "latent": ("latent", "latent"),
                       "none_found": ("niets gevonden", "none found"),
                       "not_examined": ("niet onderzocht", "not examined")}

#: Treatment techniques and how well the client tolerated the pressure.
TECHNIQUES: Final = ("ischemic_compression", "manual_release", "dry_needling", "stretching",
                     "massage", "cupping", "heat", "spray_and_stretch", "instruction", "other")
TECHNIQUE_WORDS: Final = {
    "ischemic_compression": ("ischemische compressie", "ischemic compression"),
    "manual_release": ("manuele release", "manual release"),
    "dry_needling": ("dry needling", "dry needling"), "stretching": ("rekken", "stretching"),
    "massage": ("massage", "massage"), "cupping": ("cupping", "cupping"),
    "heat": ("warmte", "heat"), "spray_and_stretch": ("spray and stretch", "spray and stretch"),
    "instruction": ("instructie", "instruction"), "other": ("overig", "other"),
}
TOLERANCES: Final = ("low", "moderate", "high")
TOLERANCE_WORDS: Final = {"low": ("laag", "low"), "moderate": ("matig", "moderate"),
                          "high": ("hoog", "high")}

#: How urgent a red flag is, one word each (the advice itself is in ``ranking/redflags.py``).
URGENCY_WORDS: Final = {"emergency": ("spoed", "emergency"), "urgent": ("dringend", "urgent"),
                        "gp": ("huisarts", "GP"), "caution": ("let op", "caution")}

#: Sex in the pain map's client context (for the red-flag rules).
SEXES: Final = ("female", "male", "other")


def word(table: dict[str, tuple[str, str]], key: str, lang: str) -> str:
    """``key`` in Dutch (``nl``, the default) or English from a ``*_WORDS`` table."""
    pair = table.get(key)
    if pair is None:
        return key
    return pair[1] if lang == "en" else pair[0]


def side_word(side: str | None, lang: str = "nl") -> str:
    """``links``/``rechts`` (or left/right); "" for a midline region (no side)."""
    return SIDE_WORDS["en" if lang == "en" else "nl"].get(side or "", "")


_SIDED_NOTE = re.compile(r"\s*\([^()]*\b(links|rechts|left|right)\b[^()]*\)")


def region_label(name: str, side: str | None, lang: str = "nl") -> str:
    """A region's name with the client's side: "Slaap (links)". A note in the name that names a
    side itself ("... (hartstreek links)") is left out, so no label reads "(links) (rechts)"."""
    word = side_word(side, lang)
    if not word:
        return name
    return f"{_SIDED_NOTE.sub('', name)} ({word})"
