"""Typed models of a knowledge-base muscle file (one YAML file per contract muscle).

All text fields are bilingual (``nl`` first, ``en``) and written in our own words. Region IDs are
side-neutral contract IDs; the side follows from the muscle's side and the trigger point's
``referral.side`` rule (always the client's anatomical side).
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

ID_PATTERN = r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$"

#: The leaflet's general causes of trigger points; a muscle lists those that apply to it.
CAUSES: dict[str, dict[str, str]] = {
    "repetitive_overload": {"nl": "Herhaalde overbelasting", "en": "Repetitive overload"},
    "static_posture": {"nl": "Langdurig dezelfde houding", "en": "Prolonged static posture"},
    "inactivity": {"nl": "Te weinig beweging", "en": "Inactivity"},
    "sudden_overload": {"nl": "Plotselinge zware belasting", "en": "Sudden heavy effort"},
    "poor_posture": {"nl": "Slechte houding", "en": "Poor posture"},
    "stress": {"nl": "Stress en spanning", "en": "Stress and tension"},
    "fall_collision": {"nl": "Val, botsing of klap", "en": "Fall, collision or blow"},
}

#: Tools for self-massage.
TOOLS: dict[str, dict[str, str]] = {
    "hands": {"nl": "handen", "en": "hands"},
    "ball": {"nl": "bal", "en": "ball"},
    "cane": {"nl": "massagestok (haak)", "en": "hook-shaped massage cane"},
    "foam_roller": {"nl": "foamroller", "en": "foam roller"},
}

SideRule = Literal["ipsilateral", "contralateral", "bilateral"]


class _Strict(BaseModel):
    # defer_build: a knowledge base read from its compiled cache (kb/compiled.py) validates
    # nothing, so the validators are built only when a YAML file is parsed
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Text(_Strict):
    """A text in Dutch and English."""

    nl: str = Field(min_length=3)
    en: str = Field(min_length=3)

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.nl


class TextList(_Strict):
    """A list of short texts per language (e.g. typical activities)."""

    nl: list[str] = Field(min_length=1)
    en: list[str] = Field(min_length=1)

    def get(self, lang: str) -> list[str]:
        return self.en if lang == "en" else self.nl


class Names(_Strict):
    nl: str = Field(min_length=2)
    en: str = Field(min_length=2)
    latin: str = Field(min_length=2)


class Referral(_Strict):
    """Where one trigger point refers pain.

    ``essential``: regions where nearly every client with an active trigger point here feels it.
    ``spillover``: regions where some clients feel it, usually weaker (sensitised clients).
    ``side``: relative to the muscle's side; midline regions ignore it.
    """

    side: SideRule = "ipsilateral"
    essential: list[str] = Field(min_length=1)
    spillover: list[str] = Field(default_factory=list)


class TriggerPoint(_Strict):
    """One trigger point (or a cluster that references treat as one)."""

    id: str = Field(pattern=ID_PATTERN)
    name: Text
    location: list[str] = Field(min_length=1, description="Region IDs over the trigger point.")
    how_to_find: Text
    referral: Referral
    rare: bool = Field(
        default=False,
        description="True where references describe this trigger point or its pattern as "
                    "uncommon; the ranking then counts its zone like a spillover zone.")


class SelfMassage(_Strict):
    tools: list[Literal["hands", "ball", "cane", "foam_roller"]] = Field(min_length=1)
    nl: str = Field(min_length=10)
    en: str = Field(min_length=10)

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.nl


class Source(_Strict):
    """What an entry is based on: a book chapter or a paper, with its year."""

    ref: str = Field(min_length=5)
    year: int = Field(ge=1900, le=2100)
    detail: str | None = None


class Review(_Strict):
    by: str = Field(min_length=2)
    date: dt.date
    status: Literal["draft", "reviewed"] = "draft"


class Muscle(_Strict):
    """A knowledge-base entry for one contract muscle."""

    id: str = Field(pattern=ID_PATTERN)
    group: str
    names: Names
    summary: Text
    trigger_points: list[TriggerPoint] = Field(min_length=1)
    symptoms: list[str] = Field(default_factory=list)
    entrapment: Text | None = None
    nerves: list[str] = Field(
        default_factory=list,
        description="IDs from kb/nerves.yaml of the nerves this muscle can squeeze (its "
                    "entrapment); numbness or tingling in their territory counts for it.")
    causes: list[Literal[
        "repetitive_overload", "static_posture", "inactivity", "sudden_overload",
        "poor_posture", "stress", "fall_collision",
    ]] = Field(min_length=1)
    activities: TextList
    self_massage: SelfMassage
    stretch: Text
    cautions: Text
    sources: list[Source] = Field(min_length=1)
    reviewed: Review

    def trigger_point(self, tp_id: str) -> TriggerPoint:
        for tp in self.trigger_points:
            if tp.id == tp_id:
                return tp
        raise KeyError(tp_id)

    def zone(self, kind: Literal["essential", "spillover"]) -> set[str]:
        """All region IDs in the given zone over all trigger points (side-neutral)."""
        out: set[str] = set()
        for tp in self.trigger_points:
            out.update(getattr(tp.referral, kind))
        return out
