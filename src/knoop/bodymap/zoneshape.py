"""Referral zones as smooth shapes: the union of a zone's region polygons on one view, softened.

The chart's regions are polygons with corners; a referral zone drawn region by region looks like
a mosaic. Here the regions of a zone are unioned, small gaps between them closed
(``buffer(+r).buffer(-r)``), the corners rounded (a small opening, kept only where it does not
remove a part), and the result clipped to the body's silhouette so nothing spills into the air.
Pure shapely on packaged geometry; cached per (view, zone).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union

from knoop.bodymap.model import RegionKey, chart

#: Gaps up to twice this (template units) between regions of one zone are closed.
CLOSE = 8.0
#: Corners are rounded with this radius.
ROUND = 6.0


def _path(geom: BaseGeometry) -> str:
    polys = [geom] if isinstance(geom, Polygon) else list(getattr(geom, "geoms", []))
    out = []
    for p in polys:
        if not isinstance(p, Polygon) or p.is_empty:
            continue
        for ring in (p.exterior, *p.interiors):
            pts = list(ring.coords)[:-1]
            if len(pts) >= 3:
                out.append("M" + " L".join(f"{x:.1f} {y:.1f}" for x, y in pts) + "Z")
    return "".join(out)


@lru_cache(maxsize=16)
def _silhouette(view: str) -> BaseGeometry:
    c = chart()
    return unary_union([s.polygon for s in c.shapes(view) if not s.deep]).buffer(0.6)


@lru_cache(maxsize=2048)
def _smooth(view: str, keys: frozenset[RegionKey]) -> BaseGeometry:
    parts = [s.polygon for s in chart().shapes(view) if s.key in keys and not s.deep]
    if not parts:
        return Polygon()
    u = unary_union(parts)
    closed = u.buffer(CLOSE, join_style="round").buffer(-CLOSE, join_style="round")
    opened = closed.buffer(-ROUND, join_style="round").buffer(ROUND, join_style="round")
    # the opening rounds corners but would drop thin parts (a finger): keep what it removed
    # where it removed a whole part, not just a corner
    lost = closed.difference(opened.buffer(ROUND * 1.5))
    soft = unary_union([opened, lost]) if not lost.is_empty else opened
    shape = soft.intersection(_silhouette(view)).simplify(0.3)
    if isinstance(shape, (Polygon, MultiPolygon)):
        return shape
    return unary_union([g for g in getattr(shape, "geoms", []) if isinstance(g, Polygon)])


def zone_path(view: str, keys: Iterable[RegionKey]) -> str:
    """SVG path data of the smooth shape of ``keys`` (region, side) on ``view`` ("" if none)."""
    chart().view(view)
    return _path(_smooth(view, frozenset(keys)))


def zone_bounds(view: str, keys: Iterable[RegionKey]) -> tuple[float, float, float, float] | None:
    """(x0, y0, x1, y1) of the smooth shape on ``view``, or None when the zone is not on it."""
    g = _smooth(view, frozenset(keys))
    return None if g.is_empty else tuple(g.bounds)  # type: ignore[return-value]
