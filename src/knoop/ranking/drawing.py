"""From a drawing to a pain map: the one place where strokes, explicit region choices and
exclusions become the contract pain map (and, for the API, its ranking).

A drawing is ``{"strokes": [...], "regions": [...], "exclude": [...], "symptoms": [...],
"screening": [...], "findings": [...], "client": {...}}`` (all optional). The strokes give
region coverage (template geometry, :func:`knoop.bodymap.coverage`); regions switched off in the
list (``exclude``) are dropped from it; explicit regions (taps, the list, deep regions) are a
deliberate choice and win for the same region and side. Pure: no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from knoop.bodymap import CHART_VERSION, coverage
from knoop.bodymap.paint import RegionCoverage
from knoop.bodymap.strokes import parse_strokes
from knoop.errors import PainMapError
from knoop.kb.contract import contract
from knoop.ranking.painmap import PainMap, parse_painmap
from knoop.vocabulary import SIDES

Key = tuple[str, str | None]
PAINMAP_KEYS = ("regions", "symptoms", "screening", "findings", "client")


@dataclass(frozen=True)
class MergedDrawing:
    """A drawing turned into a pain map: ``painmap`` (contract), the strokes' ``coverage``
    (fraction of each region painted, 0..1) and the region keys ``excluded`` by the user."""

    painmap: PainMap
    coverage: list[RegionCoverage]
    excluded: frozenset[Key]
    chart_version: str = CHART_VERSION

    def coverage_dicts(self) -> list[dict[str, Any]]:
        return [{"region": c.region, "side": c.side or "midline", "fraction": c.fraction,
                 "intensity": c.intensity, "quality": c.quality,
                 "excluded": (c.region, c.side) in self.excluded} for c in self.coverage]


def _exclusions(raw: list[dict[str, Any]]) -> frozenset[Key]:
    """Region keys switched off in the region list; a paired region needs its side."""
    regions = contract().regions
    out: set[Key] = set()
    for i, item in enumerate(raw):
        p = f"exclude[{i}]"
        rid = item.get("region") if isinstance(item, dict) else None
        if not isinstance(rid, str) or rid not in regions:
            raise PainMapError(f"{p}.region: unknown region", field=f"{p}.region",
                               allowed=sorted(regions))
        side = item.get("side")
        if regions[rid].paired:
            if side not in SIDES:
                raise PainMapError(f"{p}.side: must be left or right", field=f"{p}.side",
                                   allowed=list(SIDES))
        elif side not in (None, "midline"):
            raise PainMapError(f"{p}.side: '{rid}' is a midline region", field=f"{p}.side",
                               allowed=["midline"])
        out.add((rid, side if regions[rid].paired else None))
    return frozenset(out)


def merge_drawing(data: dict[str, Any], muscles: set[str] | None = None) -> MergedDrawing:
    """Check a drawing and merge it into one pain map. Problems raise
    :class:`~knoop.errors.ChartError` or :class:`~knoop.errors.PainMapError` naming the field."""
    strokes = parse_strokes(data.get("strokes") or [])
    excluded = _exclusions(data.get("exclude") or [])
    # the explicit part is parsed as a pain map first, so its errors name regions[i]... fields
    explicit = parse_painmap({k: data[k] for k in PAINMAP_KEYS if k in data}, muscles=muscles)
    cov = coverage(strokes)
    merged: dict[Key, dict[str, Any]] = {}
    for c in cov:
        if (c.region, c.side) in excluded:
            continue
        item: dict[str, Any] = {"region": c.region, "intensity": c.intensity}
        if c.side:
            item["side"] = c.side
        if c.quality:
            item["quality"] = c.quality
        merged[(c.region, c.side)] = item
    for reg in explicit.regions:  # an explicit choice is deliberate: it wins
        item = {"region": reg.region, "intensity": reg.intensity}
        if reg.side:
            item["side"] = reg.side
        if reg.quality:
            item["quality"] = reg.quality
        merged[reg.key] = item
    painmap = explicit.to_dict()
    painmap["regions"] = [merged[k] for k in sorted(merged, key=lambda k: (k[0], k[1] or ""))]
    return MergedDrawing(parse_painmap(painmap, muscles=muscles), cov, excluded)


def derive(data: dict[str, Any], lang: str = "nl", top: int | None = 20) -> dict[str, Any]:
    """The drawing API's answer: the merged pain map, the coverage, and the ranking (the best
    ``top`` candidates plus any with a finding; ``total_candidates`` says how many there are)."""
    from knoop.ranking import default_ranker

    d = merge_drawing(data)
    ranking = default_ranker().rank(d.painmap, lang, top, keep_findings=True).to_dict()
    return {"chart_version": d.chart_version, "painmap": d.painmap.to_dict(),
            "coverage": d.coverage_dicts(), "ranking": ranking}
