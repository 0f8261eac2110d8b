"""Nerve territories: which chart regions each nerve that a muscle can squeeze serves.

Packaged as ``kb/nerves.yaml`` (region-ID sets in our own words, with sources); validated against
the contract on load. A muscle file names its nerves under ``nerves:``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from knoop.errors import KnowledgeBaseError
from knoop.kb.contract import Contract, contract, yaml_load

FILE = "nerves.yaml"


@dataclass(frozen=True)
class Nerve:
    id: str
    nl: str
    en: str
    territory: frozenset[str]

    def name(self, lang: str) -> str:
        return self.en if lang == "en" else self.nl


def parse_nerves(data: Any, c: Contract | None = None) -> dict[str, Nerve]:
    """Validate a decoded nerve table: unique IDs, names, known region IDs."""
    c = c or contract()
    if not isinstance(data, dict) or not isinstance(data.get("nerves"), list):
        raise KnowledgeBaseError("must be a mapping with a 'nerves' list", file=FILE)
    if not data.get("sources"):
        raise KnowledgeBaseError("sources: the territories need their sources", file=FILE)
    out: dict[str, Nerve] = {}
    for i, raw in enumerate(data["nerves"]):
        where = f"nerves[{i}]"
        if not isinstance(raw, dict) or set(raw) != {"id", "nl", "en", "territory"}:
            raise KnowledgeBaseError(f"{where}: needs exactly id, nl, en, territory", file=FILE)
        nid = raw["id"]
        if nid in out:
            raise KnowledgeBaseError(f"{where}: nerve '{nid}' is listed twice", file=FILE)
        territory = raw["territory"]
        if not isinstance(territory, list) or not territory:
            raise KnowledgeBaseError(f"{where}.territory: must be a non-empty list of region IDs",
                                     file=FILE)
        for rid in territory:
            if rid not in c.regions:
                raise KnowledgeBaseError(f"{where}.territory: unknown region '{rid}'", file=FILE,
                                         allowed=sorted(c.regions))
        out[nid] = Nerve(nid, str(raw["nl"]), str(raw["en"]), frozenset(territory))
    return out


@cache
def nerves() -> dict[str, Nerve]:
    """The packaged nerve table (loaded and validated once per process)."""
    from importlib import resources  # on first use: it costs ~10 ms to import

    text = resources.files("knoop.kb").joinpath(FILE).read_text(encoding="utf-8")
    return parse_nerves(yaml_load(text))
