"""Painting: strokes drawn on the chart -> the fraction of each region painted (``coverage``).

The server computes coverage from the template geometry, so browser and server never disagree:
each stroke polyline is buffered by half its brush width (one point = a dot), erase strokes remove
paint drawn before them, and the result is intersected with the surface regions of the view.
Deep regions are never painted by a brush; the UI picks them from a list.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from shapely.geometry import LineString, Point
from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union
from shapely.strtree import STRtree

from knoop.bodymap.model import chart

#: Regions painted less than this fraction are dropped from the result.
MIN_FRACTION = 0.02


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


def _brush(s: Stroke) -> BaseGeometry:
    """The painted shape of one stroke: its polyline buffered by half the brush width. The
    polyline is first simplified to a tolerance of 0.5 template units (well under a pixel on
    any screen), which keeps long free-hand strokes cheap without changing the area."""
    pts = [(float(x), float(y)) for x, y in s.points]
    r = float(s.width) / 2
    if len(pts) == 1 or all(p == pts[0] for p in pts):
        return Point(pts[0]).buffer(r, quad_segs=4)
    return LineString(pts).simplify(0.5).buffer(r, quad_segs=4)


@cache
def _surface(view: str) -> tuple[list[Any], STRtree]:
    """The surface (non-deep) shapes of a view and a spatial index over their polygons."""
    shapes = [s for s in chart().shapes(view) if not s.deep]
    return shapes, STRtree([s.polygon for s in shapes])


#: A paint layer: every stroke of one intensity and quality, as one geometry.
LayerKey = tuple[int, str | None]


def _layers(strokes: Sequence[Stroke]) -> dict[str, dict[LayerKey, tuple[BaseGeometry, int]]]:
    """Per view, the paint that survives the erasers, merged per (intensity, quality), with the
    index of the first stroke in each layer (to break ties as the drawing order does).

    Strokes are buffered one by one but merged in batches: an eraser first merges the paint
    drawn before it, then cuts itself out of each layer. The work grows with the number of
    strokes times the number of layers (at most 10 intensities x 6 qualities), not with the
    square of the number of strokes."""
    out: dict[str, dict[LayerKey, tuple[BaseGeometry, int]]] = {}
    pending: dict[str, dict[LayerKey, list[BaseGeometry]]] = {}
    first: dict[tuple[str, LayerKey], int] = {}

    def flush(view: str) -> None:
        layers = out.setdefault(view, {})
        for key, geos in pending.pop(view, {}).items():
            merged = unary_union(geos + ([layers[key][0]] if key in layers else []))
            layers[key] = (merged, first[(view, key)])

    for i, s in enumerate(strokes):
        g = _brush(s)
        if s.erase:
            flush(s.view)
            layers = out.get(s.view, {})
            for key, (geo, idx) in list(layers.items()):
                if geo.intersects(g):
                    layers[key] = (geo.difference(g), idx)
            continue
        key = (s.intensity, s.quality)
        first.setdefault((s.view, key), i)
        pending.setdefault(s.view, {}).setdefault(key, []).append(g)
    for view in list(pending):
        flush(view)
    return out


def coverage(strokes: Sequence[Stroke]) -> list[RegionCoverage]:
    """Region coverage of a drawing (strokes checked by :mod:`knoop.bodymap.strokes`): per (region, side) the largest fraction painted on any view,
    the highest intensity of the strokes that touch it and the quality of the first stroke drawn
    at that intensity. Sorted by region and side."""
    best: dict[tuple[str, str | None], list[Any]] = {}
    for view, by_key in _layers(strokes).items():
        # strongest first (ties: the layer drawn first), so the first layer that touches a
        # region is the one whose intensity and quality it gets
        layers = sorted(((g, key, idx) for key, (g, idx) in by_key.items() if not g.is_empty),
                        key=lambda t: (-t[1][0], t[2]))
        if not layers:
            continue
        painted = unary_union([g for g, _, _ in layers])
        shapes, tree = _surface(view)
        for n in tree.query(painted, predicate="intersects"):
            sh = shapes[int(n)]
            area = sh.polygon.area
            if area <= 0:
                continue
            frac = min(1.0, sh.polygon.intersection(painted).area / area)
            top = next((key for g, key, _ in layers if g.intersects(sh.polygon)
                        and g.intersection(sh.polygon).area > 1e-9), None)
            if top is None:
                continue
            intensity, quality = top
            cur = best.get(sh.key)
            if cur is None:
                best[sh.key] = [frac, intensity, quality]
            else:
                cur[0] = max(cur[0], frac)
                if intensity > cur[1]:
                    cur[1], cur[2] = intensity, quality
    out = [RegionCoverage(region=k[0], side=k[1], fraction=round(v[0], 4), intensity=v[1],
                          quality=v[2])
           for k, v in best.items() if v[0] >= MIN_FRACTION]
    return sorted(out, key=lambda r: (r.region, r.side or ""))
