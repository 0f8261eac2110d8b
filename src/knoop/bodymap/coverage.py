"""Strokes drawn on the chart -> the fraction of each region painted.

The server computes coverage from the template geometry, so browser and server never disagree:
each stroke polyline is buffered by half its brush width (one point = a dot), erase strokes remove
paint drawn before them, and the result is intersected with the surface regions of the view.
Deep regions are never painted by a brush; the UI picks them from a list.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from shapely.geometry import LineString, Point, Polygon
from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union
from shapely.strtree import STRtree

from knoop.bodymap.model import chart
from knoop.errors import ChartError

#: Regions painted less than this fraction are dropped from the result.
MIN_FRACTION = 0.02
QUALITIES = ("aching", "burning", "tingling", "numb", "stabbing")


@dataclass(frozen=True)
class Stroke:
    """One brush stroke in template coordinates of ``view``."""

    view: str
    points: list[tuple[float, float]] = field(default_factory=list)
    width: float = 20.0
    intensity: int = 5
    quality: str | None = None
    erase: bool = False


@dataclass(frozen=True)
class RegionCoverage:
    region: str
    side: str | None
    fraction: float
    intensity: int
    quality: str | None


def _validate(i: int, s: Stroke, views: Sequence[str]) -> None:
    where = f"strokes[{i}]"
    if s.view not in views:
        raise ChartError(f"{where}.view: unknown view '{s.view}'", field=f"{where}.view",
                         allowed=list(views))
    if isinstance(s.intensity, bool) or not isinstance(s.intensity, int) \
            or not 1 <= s.intensity <= 10:
        raise ChartError(f"{where}.intensity must be a whole number 1..10, got {s.intensity!r}",
                         field=f"{where}.intensity", allowed=[str(n) for n in range(1, 11)])
    try:
        w = float(s.width)
    except (TypeError, ValueError):
        w = float("nan")
    if not math.isfinite(w) or w <= 0:
        raise ChartError(f"{where}.width must be a finite number > 0, got {s.width!r}",
                         field=f"{where}.width", allowed=["> 0"])
    if not s.points:
        raise ChartError(f"{where}.points must hold at least one point", field=f"{where}.points",
                         allowed=["[[x, y], ...]"])
    for j, p in enumerate(s.points):
        try:
            x, y = p
            ok = math.isfinite(float(x)) and math.isfinite(float(y))
        except (TypeError, ValueError):
            ok = False
        if not ok:
            raise ChartError(f"{where}.points[{j}] must be two finite numbers, got {p!r}",
                             field=f"{where}.points[{j}]", allowed=["[x, y] finite numbers"])
    if s.quality is not None and s.quality not in QUALITIES:
        raise ChartError(f"{where}.quality: unknown quality '{s.quality}'",
                         field=f"{where}.quality", allowed=list(QUALITIES))


def _brush(s: Stroke) -> Polygon:
    pts = [(float(x), float(y)) for x, y in s.points]
    r = float(s.width) / 2
    if len(pts) == 1 or all(p == pts[0] for p in pts):
        return Point(pts[0]).buffer(r, quad_segs=12)
    return LineString(pts).buffer(r, quad_segs=12)


def coverage(strokes: Sequence[Stroke]) -> list[RegionCoverage]:
    """Region coverage of a drawing: per (region, side) the largest fraction painted on any view,
    the highest intensity of the strokes that touch it and the quality of the most intense one.
    Sorted by region and side."""
    c = chart()
    views = list(c.views)
    for i, s in enumerate(strokes):
        _validate(i, s, views)
    per_view: dict[str, list[tuple[BaseGeometry, Stroke]]] = {}
    for s in strokes:
        layers = per_view.setdefault(s.view, [])
        g = _brush(s)
        if s.erase:
            per_view[s.view] = [(geo.difference(g), st) for geo, st in layers]
        else:
            layers.append((g, s))
    best: dict[tuple[str, str | None], list] = {}
    for view, layers in per_view.items():
        layers = [(g, s) for g, s in layers if not g.is_empty]
        if not layers:
            continue
        painted = unary_union([g for g, _ in layers])
        shapes = [s for s in c.shapes(view) if not s.deep]
        tree = STRtree([s.polygon for s in shapes])
        for idx in tree.query(painted, predicate="intersects"):
            sh = shapes[int(idx)]
            area = sh.polygon.area
            if area <= 0:
                continue
            frac = min(1.0, sh.polygon.intersection(painted).area / area)
            touching = [st for g, st in layers if g.intersects(sh.polygon)
                        and g.intersection(sh.polygon).area > 1e-9]
            if not touching:
                continue
            top = max(touching, key=lambda st: st.intensity)
            cur = best.get(sh.key)
            if cur is None:
                best[sh.key] = [frac, top.intensity, top.quality, top.intensity]
            else:
                cur[0] = max(cur[0], frac)
                if top.intensity > cur[1]:
                    cur[1], cur[2] = top.intensity, top.quality
    out = [RegionCoverage(region=k[0], side=k[1], fraction=round(v[0], 4), intensity=v[1],
                          quality=v[2])
           for k, v in best.items() if v[0] >= MIN_FRACTION]
    return sorted(out, key=lambda r: (r.region, r.side or ""))
