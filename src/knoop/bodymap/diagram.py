"""Muscle diagrams: a muscle's referral zones and trigger points on the chart."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from knoop.bodymap.model import RegionKey, chart
from knoop.bodymap.render import Fill, Mark, render_svg
from knoop.errors import ChartError
from knoop.vocabulary import SIDES, VIEWS

ESSENTIAL = Fill("#b3261e", 1.0, "solid")
SPILLOVER = Fill("#f2a49c", 1.0, "stipple")
#: Views a diagram may choose, in order of preference when they show a zone equally well.
DIAGRAM_VIEWS = VIEWS


def _other(side: str) -> str:
    return "left" if side == "right" else "right"


def _keys(regions: Iterable[str], sides: Iterable[str]) -> set[RegionKey]:
    from knoop.kb import knowledge_base

    meta = knowledge_base().contract.regions
    out: set[RegionKey] = set()
    for r in regions:
        if r in meta and not meta[r].paired:
            out.add((r, None))
        else:
            out.update((r, s) for s in sides)
    return out


def _sides(rule: str, side: str) -> tuple[str, ...]:
    if rule == "contralateral":
        return (_other(side),)
    if rule == "bilateral":
        return SIDES
    return (side,)


def muscle_zones(muscle_id: str, side: str = "right"):
    """(essential keys, spillover keys, [(trigger point, location keys)]) for a muscle on a side.
    A region essential for one trigger point is not also drawn as spillover."""
    from knoop.kb import knowledge_base

    if side not in SIDES:
        raise ChartError(f"unknown side '{side}'", field="side", allowed=list(SIDES))
    m = knowledge_base().muscle(muscle_id)
    essential: set[RegionKey] = set()
    spill: set[RegionKey] = set()
    points = []
    for tp in m.trigger_points:
        sides = _sides(tp.referral.side, side)
        essential |= _keys(tp.referral.essential, sides)
        spill |= _keys(tp.referral.spillover, sides)
        points.append((tp, _keys(tp.location, (side,))))
    return essential, spill - essential, points


def best_view(essential: set[RegionKey], spill: set[RegionKey]) -> str:
    """The view that shows most of a zone: per region the share of its geometry on the view,
    essential counted twice."""
    c = chart()
    best, score_best = DIAGRAM_VIEWS[0], -1.0
    for view in DIAGRAM_VIEWS:
        score = 0.0
        for s in c.shapes(view):
            w = 2.0 if s.key in essential else 1.0 if s.key in spill else 0.0
            if w:
                total = c.area(s.key)
                if total > 0:
                    score += w * s.polygon.area / total
        if score > score_best + 1e-9:
            best, score_best = view, score
    return best


def trigger_point_marks(points: list, view: str) -> list[tuple[Any, float, float]]:
    """Where to draw each trigger point's X on ``view``: the centroid of its location regions
    (kept inside them), marks that would overlap spread apart. ``points`` is the third item of
    :func:`muscle_zones`; trigger points with no location on the view are left out."""
    from shapely.ops import unary_union

    shapes = {s.key: s for s in chart().shapes(view)}
    raw: list[tuple[float, float, str]] = []
    tps = []
    for tp, locs in points:
        geoms = [shapes[k].polygon for k in sorted(locs, key=repr) if k in shapes]
        if not geoms:
            continue
        u = unary_union(geoms)
        p = u.centroid if u.contains(u.centroid) else u.representative_point()
        raw.append((p.x, p.y, tp.id))
        tps.append(tp)
    return [(tp, x, y) for tp, (x, y, _) in zip(tps, _nudge(raw))]


def _nudge(points: list[tuple[float, float, str]], min_dist: float = 13.0):
    """Spread marks that would sit on top of each other around their common centre."""
    out = list(points)
    groups: list[list[int]] = []
    for i, (x, y, _) in enumerate(out):
        for g in groups:
            gx, gy, _ = out[g[0]]
            if math.hypot(x - gx, y - gy) < min_dist:
                g.append(i)
                break
        else:
            groups.append([i])
    for g in groups:
        if len(g) < 2:
            continue
        cx = sum(out[i][0] for i in g) / len(g)
        cy = sum(out[i][1] for i in g) / len(g)
        r = min_dist * 0.75
        for k, i in enumerate(g):
            a = 2 * math.pi * k / len(g) - math.pi / 2
            out[i] = (cx + r * math.cos(a), cy + r * math.sin(a), out[i][2])
    return out


def trigger_point_zones(muscle_id: str, trigger_point: str, side: str = "right"):
    """(essential keys, spillover keys, [(trigger point, location keys)]) of one trigger point."""
    essential, spill, points = muscle_zones(muscle_id, side)
    for tp, locs in points:
        if tp.id == trigger_point:
            sides = _sides(tp.referral.side, side)
            ess = _keys(tp.referral.essential, sides)
            return ess, _keys(tp.referral.spillover, sides) - ess, [(tp, locs)]
    raise ChartError(f"unknown trigger point '{trigger_point}'", field="trigger_point",
                     allowed=[tp.id for tp, _ in points])


def muscle_diagram_svg(muscle_id: str, *, side: str = "right", view: str | None = None,
                       lang: str = "nl", width: float | None = None,
                       trigger_point: str | None = None, cropped: bool = False) -> str:
    """The referral pattern of a muscle (or of one of its trigger points) on one side: the
    essential zone dark red, the spillover light red stippled, both as smooth shapes
    (:mod:`knoop.bodymap.zoneshape`); trigger points as X marks over their location regions.
    ``cropped``: only the square around the zone and the marks, without title and legend (the
    picture of one trigger point on its muscle page)."""
    from knoop.bodymap.zoneshape import zone_path
    from knoop.kb import knowledge_base

    m = knowledge_base().muscle(muscle_id)
    if trigger_point is None:
        essential, spill, points = muscle_zones(muscle_id, side)
    else:
        essential, spill, points = trigger_point_zones(muscle_id, trigger_point, side)
    c = chart()
    if view is None:
        view = best_view(essential, spill)
    c.view(view)
    shapes = [(zone_path(view, spill | essential), SPILLOVER),
              (zone_path(view, essential), ESSENTIAL)]
    shapes = [(d, f) for d, f in shapes if d]
    marks = [Mark(x, y, tp.name.get(lang)) for tp, x, y in trigger_point_marks(points, view)]
    name = m.names.nl if lang == "nl" else m.names.en
    if trigger_point is not None:
        name = f"{name}: {points[0][0].name.get(lang)}"
    side_word = {"nl": {"left": "links", "right": "rechts"},
                 "en": {"left": "left", "right": "right"}}[lang][side]
    legend = [(ESSENTIAL, "hoofdgebied" if lang == "nl" else "main zone"),
              (SPILLOVER, "uitloop" if lang == "nl" else "spillover"),
              (None, "triggerpunt" if lang == "nl" else "trigger point")]
    if cropped:  # the page says which side is shown; cut R/L circles would only confuse
        import re

        svg = render_svg(view, None, marks, lang=lang, width=width, shapes=shapes,
                         crop=_crop(view, essential | spill, marks))
        return re.sub(r'<g class="side-label".*?</g>\n?', "", svg, flags=re.DOTALL)
    return render_svg(view, None, marks, lang=lang, width=width, title=f"{name} ({side_word})",
                      legend=legend, shapes=shapes)


def _crop(view: str, keys: set[RegionKey], marks: list[Mark]) -> tuple[float, float, float, float]:
    """The part of ``view`` around a zone and its marks: padded, at least 220 units, square."""
    from knoop.bodymap.zoneshape import zone_bounds

    v = chart().view(view)
    b = zone_bounds(view, keys)
    xs = [m.x for m in marks] + ([b[0], b[2]] if b else [])
    ys = [m.y for m in marks] + ([b[1], b[3]] if b else [])
    if not xs:
        return (0.0, 0.0, v.width, v.height)
    pad = 30.0
    side = max(220.0, max(xs) - min(xs) + 2 * pad, max(ys) - min(ys) + 2 * pad)
    side = min(side, v.width, v.height)
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    x = min(max(0.0, cx - side / 2), v.width - side)
    y = min(max(0.0, cy - side / 2), v.height - side)
    return (round(x, 1), round(y, 1), round(side, 1), round(side, 1))
