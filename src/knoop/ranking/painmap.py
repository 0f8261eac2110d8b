"""The pain map: a strict parser for the contract JSON (see docs/ranking.md).

Every problem is a :class:`knoop.errors.PainMapError` whose ``field`` is a JSON path such as
``regions[2].side`` and whose message names what is allowed. Nothing is silently dropped.
``side`` is always the client's own anatomical side.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from typing import AbstractSet, Any, NoReturn

from knoop.errors import PainMapError
from knoop.kb.contract import Contract, contract
from knoop.vocabulary import PAINMAP_RESULTS, QUALITIES, SEXES, SIDES

FINDINGS = PAINMAP_RESULTS
TOP_KEYS = ("regions", "symptoms", "screening", "findings", "client")
CLIENT_KEYS = ("age", "sex")
MAX_AGE = 120
REGION_KEYS = ("region", "side", "intensity", "quality")
FINDING_KEYS = ("muscle", "side", "result", "trigger_point")
DEFAULT_INTENSITY = 5


@dataclass(frozen=True)
class PainRegion:
    """One painted region. ``intensity`` is NRS 1-10; ``side`` None for a midline region."""

    region: str
    side: str | None
    intensity: int = DEFAULT_INTENSITY
    quality: str | None = None

    @property
    def key(self) -> tuple[str, str | None]:
        return (self.region, self.side)


@dataclass(frozen=True)
class Finding:
    """A palpation result for one muscle on one side (``trigger_point`` optional)."""

    muscle: str
    side: str
    result: str
    trigger_point: str | None = None


@dataclass(frozen=True)
class ClientContext:
    """What the red-flag rules may know of the client: ``age`` in whole years (0-120) and
    ``sex`` (female, male, other); either may be unknown (None)."""

    age: int | None = None
    sex: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in (("age", self.age), ("sex", self.sex)) if v is not None}


@dataclass(frozen=True)
class PainMap:
    regions: tuple[PainRegion, ...] = ()
    symptoms: tuple[str, ...] = ()
    screening: tuple[str, ...] = ()
    findings: tuple[Finding, ...] = field(default=())
    client: ClientContext | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"regions": []}
        for r in self.regions:
            item: dict[str, Any] = {"region": r.region}
            if r.side:
                item["side"] = r.side
            item["intensity"] = r.intensity
            if r.quality:
                item["quality"] = r.quality
            out["regions"].append(item)
        out["symptoms"] = list(self.symptoms)
        out["screening"] = list(self.screening)
        out["findings"] = [
            {k: v for k, v in (("muscle", f.muscle), ("side", f.side), ("result", f.result),
                               ("trigger_point", f.trigger_point)) if v is not None}
            for f in self.findings
        ]
        if self.client is not None:
            out["client"] = self.client.to_dict()
        return out


def _fail(path: str, message: str, allowed: list[str] | tuple[str, ...] | None = None) -> NoReturn:
    raise PainMapError(f"{path}: {message}", field=path,
                       allowed=list(allowed) if allowed is not None else None)


def _hint(value: str, allowed: Any) -> str:
    import difflib  # only for a mistyped ID: not loaded to rank

    close = difflib.get_close_matches(value, list(allowed), n=3, cutoff=0.6)
    return f" (did you mean {', '.join(close)}?)" if close else ""


def _type_name(value: object) -> str:
    return {dict: "object", list: "array", str: "string", bool: "boolean",
            type(None): "null"}.get(type(value), type(value).__name__)


def _id(path: str, value: object, allowed: Any, what: str) -> str:
    if not isinstance(value, str):
        _fail(path, f"must be a string {what} ID, got {_type_name(value)}")
    if value not in allowed:
        shown = sorted(allowed) if len(allowed) <= 40 else None
        _fail(path, f"unknown {what} '{value}'{_hint(value, allowed)}; allowed: "
              + (", ".join(shown) if shown else f"the contract {what} IDs"), sorted(allowed))
    return value


def _keys(path: str, obj: dict, allowed: tuple[str, ...]) -> None:
    for key in obj:
        if key not in allowed:
            name = key if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key) else json.dumps(key)
            _fail(f"{path}.{name}" if path else name,
                  f"unknown field; allowed: {', '.join(allowed)}", allowed)


def parse_painmap(data: Any, c: Contract | None = None,
                  muscles: AbstractSet[str] | None = None) -> PainMap:
    """Validate decoded JSON into a :class:`PainMap`. ``muscles``: known muscle IDs."""
    c = c or contract()
    known_muscles = muscles if muscles is not None else set(c.muscles)
    if not isinstance(data, dict):
        _fail("$", f"a pain map must be a JSON object, got {_type_name(data)}")
    _keys("", data, TOP_KEYS)

    regions: list[PainRegion] = []
    seen: set[tuple[str, str | None]] = set()
    raw_regions = data.get("regions", [])
    if not isinstance(raw_regions, list):
        _fail("regions", f"must be an array, got {_type_name(raw_regions)}")
    for i, item in enumerate(raw_regions):
        p = f"regions[{i}]"
        if not isinstance(item, dict):
            _fail(p, f"must be an object with region, side, intensity, quality; got "
                  f"{_type_name(item)}")
        _keys(p, item, REGION_KEYS)
        if "region" not in item:
            _fail(f"{p}.region", "is required")
        rid = _id(f"{p}.region", item["region"], c.regions, "region")
        region = c.regions[rid]
        side = item.get("side")
        if region.paired:
            if side is None:
                _fail(f"{p}.side", f"'{rid}' is a paired region: give side left or right",
                      SIDES)
            if side not in SIDES:
                _fail(f"{p}.side", f"must be left or right, got {json.dumps(side)}", SIDES)
        else:
            if side not in (None, "midline"):
                _fail(f"{p}.side", f"'{rid}' is a midline region: leave side out or use "
                      f"'midline', got {json.dumps(side)}", ["midline"])
            side = None
        intensity = item.get("intensity", DEFAULT_INTENSITY)
        if isinstance(intensity, bool) or not isinstance(intensity, (int, float)) or \
                not math.isfinite(intensity) or intensity != int(intensity) or \
                not 1 <= intensity <= 10:
            _fail(f"{p}.intensity", f"must be a whole number 1-10, got {json.dumps(intensity)}")
        quality = item.get("quality")
        if quality is not None and quality not in QUALITIES:
            _fail(f"{p}.quality", f"must be one of {', '.join(QUALITIES)}, got "
                  f"{json.dumps(quality)}", QUALITIES)
        key = (rid, side)
        if key in seen:
            _fail(p, f"'{rid}'" + (f" ({side})" if side else "") + " is listed twice")
        seen.add(key)
        regions.append(PainRegion(rid, side, int(intensity), quality))

    def id_list(name: str, allowed: Any, what: str) -> tuple[str, ...]:
        raw = data.get(name, [])
        if not isinstance(raw, list):
            _fail(name, f"must be an array of {what} IDs, got {_type_name(raw)}")
        out: list[str] = []
        for i, v in enumerate(raw):
            v = _id(f"{name}[{i}]", v, allowed, what)
            if v in out:
                _fail(f"{name}[{i}]", f"'{v}' is listed twice")
            out.append(v)
        return tuple(out)

    symptoms = id_list("symptoms", c.symptoms, "symptom")
    screening = id_list("screening", c.screening, "screening")

    findings: list[Finding] = []
    raw_f = data.get("findings", [])
    if not isinstance(raw_f, list):
        _fail("findings", f"must be an array, got {_type_name(raw_f)}")
    fseen: set[tuple[str, str, str | None]] = set()
    for i, item in enumerate(raw_f):
        p = f"findings[{i}]"
        if not isinstance(item, dict):
            _fail(p, f"must be an object with muscle, side, result; got {_type_name(item)}")
        _keys(p, item, FINDING_KEYS)
        for req in ("muscle", "side", "result"):
            if req not in item:
                _fail(f"{p}.{req}", "is required")
        mid = _id(f"{p}.muscle", item["muscle"], known_muscles, "muscle")
        if item["side"] not in SIDES:
            _fail(f"{p}.side", f"must be left or right, got {json.dumps(item['side'])}", SIDES)
        if item["result"] not in FINDINGS:
            _fail(f"{p}.result", f"must be one of {', '.join(FINDINGS)}, got "
                  f"{json.dumps(item['result'])}", FINDINGS)
        tp = item.get("trigger_point")
        if tp is not None and (not isinstance(tp, str) or not tp.startswith(mid + "_")):
            _fail(f"{p}.trigger_point", f"must be a trigger point ID of '{mid}' "
                  f"(starting with '{mid}_'), got {json.dumps(tp)}")
        fkey = (mid, item["side"], tp)
        if fkey in fseen:
            _fail(p, f"finding for '{mid}' ({item['side']}) is listed twice")
        fseen.add(fkey)
        findings.append(Finding(mid, item["side"], item["result"], tp))
    return PainMap(tuple(regions), symptoms, screening, tuple(findings),
                   _client(data.get("client")))


def _client(raw: Any) -> ClientContext | None:
    """The optional ``client`` object: ``age`` 0-120 whole years, ``sex`` female/male/other."""
    if raw is None:
        return None
    if not isinstance(raw, dict):
        _fail("client", f"must be an object with age and sex, got {_type_name(raw)}")
    _keys("client", raw, CLIENT_KEYS)
    age = raw.get("age")
    if age is not None and (isinstance(age, bool) or not isinstance(age, (int, float))
                            or not math.isfinite(age) or age != int(age)
                            or not 0 <= age <= MAX_AGE):
        _fail("client.age", f"must be a whole number of years 0-{MAX_AGE}, got "
              f"{json.dumps(age)}")
    sex = raw.get("sex")
    if sex is not None and sex not in SEXES:
        _fail("client.sex", f"must be one of {', '.join(SEXES)}, got {json.dumps(sex)}", SEXES)
    return ClientContext(int(age) if age is not None else None, sex)


def parse_painmap_text(text: str, c: Contract | None = None,
                       muscles: AbstractSet[str] | None = None) -> PainMap:
    """Parse JSON text; invalid JSON is a :class:`PainMapError` with line and column."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PainMapError(f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}",
                           field="$") from None
    except RecursionError:
        raise PainMapError("not valid JSON: nested too deeply", field="$") from None
    return parse_painmap(data, c, muscles)
