"""The painted surface of a drawing: how much of the body's skin a drawing covers, and how much
two drawings overlap. Used by the history page and the dossier PDF.

Painted area: the sum over regions of (fraction painted x region area), as a share of the whole
surface of the chart (front, back and detail views together; a region chosen without strokes
counts whole; deep regions are not skin and do not count). Overlap: area-weighted Jaccard, sum of
min / sum of max of the painted area per region and side, so a drawing that shrank inside the old
one scores its share.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any

from knoop.bodymap.model import chart

RegionKey = tuple[str, str | None]
Painted = dict[RegionKey, tuple[float, int]]
"""(region, side) -> (painted area in template units², intensity)"""


def region_key(region: str, side: Any) -> RegionKey:
    return region, side if side in ("left", "right") else None


def painted(rows: Iterable[Mapping[str, Any]]) -> Painted:
    """(region, side) -> (painted area in template units², intensity) of a drawing's region
    rows (``{"region", "side", "fraction", "intensity"}``); unknown regions are skipped."""
    c = chart()
    known = c.keys()
    out: Painted = {}
    for r in rows:
        k = region_key(r.get("region", ""), r.get("side"))
        if k not in known:
            continue
        frac = r.get("fraction")
        frac = 1.0 if frac is None else float(frac)
        out[k] = (c.area(k) * frac, int(r.get("intensity") or 5))
    return out


@cache
def surface_total() -> float:
    """The area of every surface (not deep) region of the chart, in template units²."""
    c = chart()
    deep = {s.key for v in c.views for s in c.shapes(v) if s.deep}
    return sum(c.area(k) for k in c.keys() if k not in deep) or 1.0  # noqa: SIM118


def area_percent(p: Painted) -> float:
    """The painted area as a percentage of the whole surface (0..100)."""
    return 100 * sum(a for a, _i in p.values()) / surface_total()


def jaccard(a: Mapping[RegionKey, tuple[float, int]],
            b: Mapping[RegionKey, tuple[float, int]]) -> float | None:
    """Area-weighted overlap of two drawings, 0..1 (None when both are empty)."""
    keys = set(a) | set(b)
    if not keys:
        return None
    num = sum(min(a.get(k, (0.0, 0))[0], b.get(k, (0.0, 0))[0]) for k in keys)
    den = sum(max(a.get(k, (0.0, 0))[0], b.get(k, (0.0, 0))[0]) for k in keys)
    return num / den if den else None


def views_showing(rows: Iterable[Mapping[str, Any]], strokes: Iterable[Mapping[str, Any]] = (),
                  limit: int = 2) -> list[str]:
    """The views that show a drawing best, at most ``limit``, in the chart's view order: each
    view scores the painted area of its regions as a share of the view's own size (so a heel
    is shown on the sole, where it is large), and a view with strokes drawn on it always
    scores. A drawing with nothing painted gets the front and the back."""
    c = chart()
    fraction: dict[RegionKey, float] = {}
    for r in rows:
        f = r.get("fraction")
        fraction[region_key(r.get("region", ""), r.get("side"))] = 1.0 if f is None else float(f)
    score: dict[str, float] = {}
    for name, view in c.views.items():
        size = view.width * view.height or 1.0
        painted_here = sum(s.polygon.area * fraction[s.key] for s in c.shapes(name)
                           if not s.deep and s.key in fraction)
        if painted_here:
            score[name] = painted_here / size
    for st in strokes:
        v = st.get("view")
        if v in c.views:
            score[v] = score.get(v, 0.0) + 1.0
    if not score:
        return ["front", "back"][:limit]
    best = sorted(score, key=lambda v: -score[v])[:limit]
    return [v for v in c.views if v in best]
