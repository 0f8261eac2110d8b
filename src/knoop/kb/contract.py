"""The vocabulary contract: region, muscle, symptom and screening IDs.

A copy of ``shared/contract`` ships inside the package (``kb/contract/*.yaml``) so knoop runs
without the shared folder; a test checks that the copy matches the shared original.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


def yaml_load(text: str) -> Any:
    """Parse YAML with the C parser where PyYAML has it (about 10x faster), else the
    pure-Python one; both safe. PyYAML is imported here, on first use: a process that reads the
    compiled knowledge base (``knoop rank``) never needs it."""
    import yaml

    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


@dataclass(frozen=True)
class Region:
    """A body-chart region. ``paired`` regions exist left and right (the client's own sides)."""

    id: str
    group: str
    paired: bool
    views: tuple[str, ...]
    depth: str
    en: str
    nl: str
    note: str = ""


@dataclass(frozen=True)
class MuscleName:
    """A contract muscle: ID and names only (trigger points live in the knowledge base)."""

    id: str
    en: str
    latin: str
    nl: str
    group: str
    aliases: tuple[str, ...] = ()
    family: str | None = None


@dataclass(frozen=True)
class Symptom:
    id: str
    kind: str
    en: str
    nl: str


@dataclass(frozen=True)
class ScreeningItem:
    """A red-flag question; ``urgency`` is emergency, urgent, gp or caution."""

    id: str
    urgency: str
    en: str
    nl: str


@dataclass(frozen=True)
class Contract:
    regions: dict[str, Region]
    muscles: dict[str, MuscleName]
    families: dict[str, dict[str, str]]
    symptoms: dict[str, Symptom]
    screening: dict[str, ScreeningItem]
    muscle_groups: tuple[str, ...] = field(default=())


def _read(name: str) -> dict:
    from importlib import resources  # on first use: it costs ~10 ms to import

    text = resources.files("knoop.kb").joinpath("contract", name).read_text(encoding="utf-8")
    return yaml_load(text)


#: The contract of this process, once loaded (or adopted from the compiled knowledge base).
_LOADED: list[Contract] = []


def contract() -> Contract:
    """The packaged contract, loaded once per process."""
    if not _LOADED:
        _LOADED.append(parse_contract())
    return _LOADED[0]


def adopt(c: Contract) -> None:
    """Use ``c`` (read from the compiled knowledge base, made from the same files) as this
    process's contract, unless one is loaded already: saves parsing the YAML again."""
    if not _LOADED:
        _LOADED.append(c)


def parse_contract() -> Contract:
    """Read and check the packaged contract files."""
    r = _read("regions.yaml")
    m = _read("muscles.yaml")
    s = _read("symptoms.yaml")
    regions = {
        x["id"]: Region(
            id=x["id"], group=x["group"], paired=bool(x["paired"]), views=tuple(x["views"]),
            depth=x["depth"], en=x["en"], nl=x["nl"], note=x.get("note", ""),
        )
        for x in r["regions"]
    }
    muscles = {
        x["id"]: MuscleName(
            id=x["id"], en=x["en"], latin=x["latin"], nl=x["nl"], group=x["group"],
            aliases=tuple(x.get("aliases", ())), family=x.get("family"),
        )
        for x in m["muscles"]
    }
    groups: list[str] = []
    for mu in muscles.values():
        if mu.group not in groups:
            groups.append(mu.group)
    return Contract(
        regions=regions,
        muscles=muscles,
        families={f["id"]: f for f in m.get("families", [])},
        symptoms={x["id"]: Symptom(**{k: x[k] for k in ("id", "kind", "en", "nl")})
                  for x in s["symptoms"]},
        screening={x["id"]: ScreeningItem(**{k: x[k] for k in ("id", "urgency", "en", "nl")})
                   for x in s["screening"]},
        muscle_groups=tuple(groups),
    )
