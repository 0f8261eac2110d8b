"""The chart of one session: today's pain (regions filled by intensity) and the trigger points
of the treated muscles (X marks), on the one or two views that show them best."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from knoop.bodymap import (
    NRS_COLOURS,
    VIEW_TITLE,
    Fill,
    Mark,
    RegionKey,
    Shape,
    chart,
    intensity_fill,
    muscle_zones,
)
from knoop.handouts.charts import VIEW_ORDER, chart_svg, crop


@dataclass(frozen=True)
class MarkedPoint:
    """A trigger point to mark: its location regions on the client's side, and a label."""

    keys: frozenset[RegionKey]
    label: str


def painted(regions: Iterable[dict]) -> dict[RegionKey, int]:
    """(region, side) -> intensity 1..10 from a session's derived regions or pain map."""
    out: dict[RegionKey, int] = {}
    for r in regions:
        key = (r["region"], r.get("side") if r.get("side") in ("left", "right") else None)
        out[key] = max(out.get(key, 0), int(r.get("intensity") or 5))
    return out


def trigger_points(muscle: str, side: str, only: Iterable[str] = (), *,
                   lang: str = "nl") -> list[MarkedPoint]:
    """The muscle's trigger points (or only those named) as location keys on ``side``."""
    wanted = set(only)
    out = []
    for tp, keys in muscle_zones(muscle, side)[2]:
        if wanted and tp.id not in wanted:
            continue
        out.append(MarkedPoint(frozenset(keys), tp.name.get(lang)))
    return out


@lru_cache(maxsize=16)
def _on_view(view: str) -> frozenset[RegionKey]:
    return frozenset(s.key for s in chart().shapes(view))


@lru_cache(maxsize=16)
def _shapes(view: str) -> dict[RegionKey, Shape]:
    return {s.key: s for s in chart().shapes(view)}


def choose_views(keys: Iterable[RegionKey], max_views: int = 2) -> list[str]:
    """Greedy: the view showing most of ``keys``, then the one showing most of the rest."""
    todo = set(keys)
    on_view = {v: _on_view(v) for v in VIEW_ORDER}
    views: list[str] = []
    while todo and len(views) < max_views:
        best = max(VIEW_ORDER, key=lambda v: (len(on_view[v] & todo) if v not in views else -1,
                                              -VIEW_ORDER.index(v)))
        if not on_view[best] & todo:
            break
        views.append(best)
        todo -= on_view[best]
    if not views:
        views = ["front", "back"]
    elif len(views) == 1 and views[0] in ("front", "back") and max_views > 1:
        views.append("back" if views[0] == "front" else "front")
    return sorted(views, key=VIEW_ORDER.index)


def _marks(view: str, points: Sequence[MarkedPoint]) -> list[Mark]:
    from shapely.ops import unary_union

    shapes = _shapes(view)
    out: list[Mark] = []
    seen: set[tuple[int, int]] = set()
    for p in points:
        geoms = [shapes[k].polygon for k in sorted(p.keys, key=repr) if k in shapes]
        if not geoms:
            continue
        u = unary_union(geoms)
        c = u.centroid if u.contains(u.centroid) else u.representative_point()
        cell = (round(c.x / 8), round(c.y / 8))
        if cell in seen:
            continue
        seen.add(cell)
        out.append(Mark(c.x, c.y, p.label))
    return out


def session_charts(regions: dict[RegionKey, int], points: Sequence[MarkedPoint], *,
                   lang: str = "nl", max_views: int = 2, zoom: bool = True,
                   min_height: float = 560.0, strokes: Sequence[Mapping[str, Any]] = (),
                   chosen: Iterable[RegionKey] = ()) -> list[tuple[str, str]]:
    """(caption, SVG for print) of the views that show today's pain and the marked trigger
    points; with ``zoom`` each view is cropped to what it shows (at least ``min_height``
    template units tall, so the body part stays recognisable). With ``strokes`` the strokes
    themselves are drawn (a short stroke stays short) and only the ``chosen`` regions (chosen
    without strokes) are filled whole."""
    from knoop.bodymap.sketch import stroke_shapes

    keys = set(regions)
    for p in points:
        keys |= p.keys
    chosen = set(chosen)
    fills = {k: intensity_fill(n) for k, n in regions.items() if not strokes or k in chosen}
    out = []
    for v in choose_views(keys, max_views):
        svg = chart_svg(v, fills, _marks(v, points), lang=lang,
                        shapes=stroke_shapes(v, strokes) if strokes else ())
        if zoom:
            svg = crop(svg, v, keys, aspect=0.6, min_height=min_height, lang=lang)
        out.append((VIEW_TITLE[lang][v], svg))
    return out


def intensity_legend() -> list[tuple[int, str]]:
    """(NRS, colour) for the printed legend."""
    return [(i + 1, c) for i, c in enumerate(NRS_COLOURS)]


__all__ = ["Fill", "MarkedPoint", "choose_views", "intensity_legend", "painted",
           "session_charts", "trigger_points"]
