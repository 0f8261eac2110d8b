"""A drawing as a picture: the strokes themselves (not the regions they touch), cropped to the
painted part of the view, with a small full-body key showing where the crop lies.

Used for the history's small multiples: a short stroke over the midline stays a short stroke,
not a whole region filled; head pain is shown at a readable size.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union

from knoop.bodymap.model import RegionKey, chart
from knoop.bodymap.paint import Stroke, _brush
from knoop.bodymap.render import NRS_COLOURS, Fill, render_svg
from knoop.bodymap.zoneshape import _path

#: The smallest crop (template units, square) and the margin around the paint.
MIN_CROP, MARGIN = 180.0, 24.0


def _layers(view: str, strokes: Iterable[Mapping[str, Any]]) -> list[tuple[BaseGeometry, int]]:
    """(painted shape, intensity) per stroke on ``view``; an eraser removes earlier paint."""
    layers: list[tuple[BaseGeometry, int]] = []
    for raw in strokes:
        if raw.get("view") != view or not raw.get("points"):
            continue
        s = Stroke(view=view, points=[(float(p[0]), float(p[1])) for p in raw["points"]],
                   width=float(raw.get("width") or 20), intensity=int(raw.get("intensity") or 5),
                   erase=bool(raw.get("erase")))
        g = _brush(s)
        if s.erase:
            layers = [(shape.difference(g), n) for shape, n in layers]
        else:
            layers.append((g, s.intensity))
    return [(g, n) for g, n in layers if not g.is_empty]


def stroke_shapes(view: str, strokes: Iterable[Mapping[str, Any]]) -> list[tuple[str, Fill]]:
    """The strokes on ``view`` as (SVG path data, fill in their NRS colour), erasers applied."""
    out = [(_path(g), Fill(NRS_COLOURS[min(10, max(1, n)) - 1], 0.8))
           for g, n in _layers(view, strokes)]
    return [(d, f) for d, f in out if d]


def _crop(view: str, geoms: list[BaseGeometry]) -> tuple[float, float, float, float] | None:
    v = chart().view(view)
    if not geoms:
        return None
    x0, y0, x1, y1 = unary_union(geoms).bounds
    size = min(max(MIN_CROP, x1 - x0 + 2 * MARGIN, y1 - y0 + 2 * MARGIN), v.width, v.height)
    x = min(max(0.0, (x0 + x1 - size) / 2), v.width - size)
    y = min(max(0.0, (y0 + y1 - size) / 2), v.height - size)
    return (round(x, 1), round(y, 1), round(size, 1), round(size, 1))


def _key(view: str, crop: tuple[float, float, float, float]) -> str:
    """A small whole-body figure in the top-right corner of the crop, the crop marked on it."""
    v = chart().view(view)
    x, y, w, h = crop
    kw = w * 0.26
    kh = kw * v.height / v.width
    kx, ky = x + w - kw - w * 0.02, y + w * 0.02
    return (f'<svg class="key" x="{kx:.1f}" y="{ky:.1f}" width="{kw:.1f}" height="{kh:.1f}" '
            f'viewBox="0 0 {v.width:g} {v.height:g}">'
            f'<rect width="{v.width:g}" height="{v.height:g}" fill="#ffffff" fill-opacity="0.85" '
            f'stroke="#a39489" stroke-width="8"/>'
            f'<path d="{v.silhouette}" fill="#e9dfd6" stroke="#5b4f49" stroke-width="6"/>'
            f'<rect x="{x:g}" y="{y:g}" width="{w:g}" height="{h:g}" fill="none" '
            f'stroke="#1a5fb4" stroke-width="14"/></svg>')


def drawing_svg(view: str, strokes: Iterable[Mapping[str, Any]],
                regions: Mapping[RegionKey, int] | None = None, *, lang: str = "nl",
                crop: bool = True) -> str:
    """One view of a drawing: each stroke in its NRS colour, ``regions`` (chosen without
    strokes, by intensity) filled whole; cropped to the paint with a full-body key."""
    c = chart()
    c.view(view)
    layers = _layers(view, strokes)
    shown = {s.key for s in c.shapes(view)}
    fills = {k: Fill(NRS_COLOURS[min(10, max(1, n)) - 1], 0.85)
             for k, n in (regions or {}).items() if k in shown}
    shapes = [(_path(g), Fill(NRS_COLOURS[min(10, max(1, n)) - 1], 0.8)) for g, n in layers]
    geoms = [g for g, _n in layers] + [s.polygon for s in c.shapes(view) if s.key in fills]
    box = _crop(view, geoms) if crop else None
    if crop and box is None:  # nothing painted here: the whole figure, in the same square
        v = c.view(view)
        side = max(v.width, v.height)
        whole = ((v.width - side) / 2, (v.height - side) / 2, side, side)
        return render_svg(view, fills, lang=lang, crop=whole)
    svg = render_svg(view, fills, lang=lang, shapes=[(d, f) for d, f in shapes if d], crop=box)
    if box is None:
        return svg
    return svg.replace("</svg>", _key(view, box) + "</svg>", 1) if svg.endswith("</svg>") else svg
