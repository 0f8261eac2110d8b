"""The body chart's JSON API.

* ``POST /api/v1/drawing``: strokes + explicit regions + intake answers -> region coverage
  (the server computes it from the template geometry, so browser and server never disagree),
  the merged contract pain map and its ranking (:func:`knoop.ranking.drawing.derive`).
* ``GET /api/v1/muscles/{id}/overlay``: a muscle's zones for one side and its trigger-point
  marks on one view, with how to find them.
* ``GET /api/v1/regions/{region}/trigger-points``: the muscles with a trigger point over a
  region on one side (the chart's charting picker).
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Query
from fastapi.responses import Response

from knoop.errors import ChartError, NotFound
from knoop.vocabulary import VIEWS, region_label
from knoop.web.app_json import json_response
from knoop.web.schemas import (
    COMMON_ERRORS,
    DrawingIn,
    DrawingOut,
    OverlayOut,
    RegionMuscleOut,
    error_responses,
)

router = APIRouter(tags=["drawing"])

#: NRS 1..10 as colour, light yellow -> deep red (the same list is in chart.js).

DEFAULT_TOP = 20
DRAWING_EXAMPLE = {
    "strokes": [{"view": "front", "points": [[330, 80], [350, 92]], "width": 16,
                 "intensity": 7, "quality": "aching", "erase": False}],
    "regions": [{"region": "ear", "side": "left", "intensity": 4}],
    "symptoms": ["dizziness"], "screening": [], "findings": [],
}


@router.post("/api/v1/drawing", response_model=DrawingOut,
             responses=error_responses(*COMMON_ERRORS))
def drawing(
    body: Annotated[DrawingIn, Body(openapi_examples={"temple": {"value": DRAWING_EXAMPLE}})],
    lang: Literal["nl", "en"] = Query("nl", description="Language of reasons and messages."),
    top: int = Query(DEFAULT_TOP, ge=1, le=500,
                     description="List the best N candidates (plus any with a finding)."),
) -> Response:
    """From a drawing to the muscles to examine: the server derives region coverage from the
    brush strokes (template geometry), merges it with the explicit region choices into a
    contract pain map and ranks it. Runs in the thread pool, off the event loop; the largest
    drawing allowed (500 strokes, 20,000 points) takes well under a second."""
    from knoop.ranking.drawing import derive

    return json_response(derive(body.model_dump(exclude_unset=True), lang, top))


def _marks(points: list, view: str) -> list[dict[str, Any]]:
    from knoop.bodymap.diagram import trigger_point_marks

    return [{"trigger_point": tp.id, "x": round(x, 1), "y": round(y, 1)}
            for tp, x, y in trigger_point_marks(points, view)]


def _key(k: tuple[str, str | None]) -> dict[str, str]:
    return {"region": k[0], "side": k[1] or "midline"}


@router.get("/api/v1/muscles/{muscle_id}/overlay", response_model=OverlayOut,
            responses=error_responses(404, 422, 500, 503))
def muscle_overlay(
    muscle_id: str,
    side: str = Query("right", description="The client's side: left or right."),
    view: str | None = Query(None, description="The chart view for the trigger-point marks; "
                             "default: the view that shows most of the zone."),
    lang: str = Query("nl", description="nl or en"),
) -> dict[str, Any]:
    """A muscle's referral zones on one side (essential and spillover region keys, for every
    view) and its trigger points: names, how to find them, and X marks on ``view``."""
    from knoop.bodymap import chart, muscle_zones
    from knoop.bodymap.diagram import best_view
    from knoop.bodymap.zoneshape import zone_path
    from knoop.kb import knowledge_base

    if lang not in ("nl", "en"):
        raise ChartError(f"lang: unknown language {json.dumps(lang)[:40]}", field="lang",
                         allowed=["nl", "en"])
    if side not in ("left", "right"):
        raise ChartError(f"side: must be left or right, got {json.dumps(side)[:40]}",
                         field="side", allowed=["left", "right"])
    m = knowledge_base().muscle(muscle_id)  # UnknownMuscle -> 404
    essential, spill, points = muscle_zones(m.id, side)
    best = best_view(essential, spill)
    if view is None:
        view = best
    if view not in VIEWS:
        raise ChartError(f"view: unknown view {json.dumps(view)[:40]}", field="view",
                         allowed=list(VIEWS))
    c = chart()
    zone = essential | spill
    views = [v for v in VIEWS if any(s.key in zone for s in c.shapes(v))]
    marks = {mk["trigger_point"]: mk for mk in _marks(points, view)}
    regions = knowledge_base().contract.regions

    def rname(k: tuple[str, str | None]) -> str:
        r = regions[k[0]]
        name = r.nl if lang == "nl" else r.en
        return region_label(name, k[1], lang)

    return {
        "muscle": m.id, "side": side, "view": view, "best_view": best, "views": views,
        "name": m.names.nl if lang == "nl" else m.names.en,
        "latin": m.names.latin,
        "essential": [_key(k) for k in sorted(essential, key=lambda k: (k[0], k[1] or ""))],
        "spillover": [_key(k) for k in sorted(spill, key=lambda k: (k[0], k[1] or ""))],
        "trigger_points": [{
            "id": tp.id, "name": tp.name.get(lang), "how_to_find": tp.how_to_find.get(lang),
            "location": [_key(k) for k in sorted(locs, key=lambda k: (k[0], k[1] or ""))],
            "location_names": [rname(k) for k in sorted(locs, key=lambda k: (k[0], k[1] or ""))],
            "mark": ({"x": marks[tp.id]["x"], "y": marks[tp.id]["y"]} if tp.id in marks
                     else None),
        } for tp, locs in points],
        "kb_page": f"/kb/spieren/{m.id}",
        # the zones on ``view`` as smooth shapes (SVG path data; "" when not on the view)
        "shapes": {"essential": zone_path(view, essential),
                   "spillover": zone_path(view, essential | spill)},
    }


@router.get("/api/v1/regions/{region}/trigger-points", response_model=list[RegionMuscleOut],
            responses=error_responses(404, 422, 500, 503))
def region_trigger_points(
    region: str,
    side: str | None = Query(None, description="The client's side: left or right for a paired "
                             "region, midline (or left out) for a midline region."),
    lang: str = Query("nl", description="nl or en"),
) -> Response:
    """Which muscles have a trigger point located over ``region`` on ``side`` (the knowledge
    base's ``trigger_points[].location``, the client's anatomical side): the chart's "tap a
    region to chart a finding" picker."""
    from knoop.bodymap import muscle_zones
    from knoop.kb import knowledge_base

    kb = knowledge_base()
    regions = kb.contract.regions
    if len(region) > 80 or region not in regions:
        raise NotFound(f"region: unknown region {json.dumps(region[:60])}", field="region",
                       allowed=sorted(regions))
    if lang not in ("nl", "en"):
        raise ChartError(f"lang: unknown language {json.dumps(lang)[:40]}", field="lang",
                         allowed=["nl", "en"])
    if regions[region].paired:
        if side not in ("left", "right"):
            raise ChartError(f"side: '{region}' is a paired region: give left or right, got "
                             f"{json.dumps(side)[:40]}", field="side", allowed=["left", "right"])
        wanted: tuple[str | None, ...] = (side,)
        sides: tuple[str, ...] = (side,)
    else:
        if side not in (None, "midline"):
            raise ChartError(f"side: '{region}' is a midline region: use midline, got "
                             f"{json.dumps(side)[:40]}", field="side", allowed=["midline"])
        wanted, sides = (None,), ("left", "right")
    out = []
    for m in kb.muscles.values():
        for s in sides:
            _e, _s, points = muscle_zones(m.id, s)
            tps = [{"id": tp.id, "name": tp.name.get(lang)} for tp, locs in points
                   if any((region, w) in locs for w in wanted)]
            if tps:
                out.append({"muscle": m.id, "side": s,
                            "name": m.names.nl if lang == "nl" else m.names.en,
                            "trigger_points": tps})
    out.sort(key=lambda x: (str(x["name"]).lower(), str(x["side"])))
    return json_response(out)
