"""The drawable body chart: the "Pijntekening" page, the drawing API and muscle overlays.

* ``GET /tekenen``: the stand-alone drawing page (chart, tools, region list, symptoms,
  screening and live results). ``GET /tekenen/kaart/{view}``: one view's SVG, for the detail
  views the page loads when their tab is first opened.
* ``POST /api/v1/drawing``: strokes + explicit regions + intake answers -> region coverage
  (computed here with :func:`knoop.bodymap.coverage`, so browser and server never disagree),
  the merged contract pain map and its ranking.
* ``GET /api/v1/muscles/{id}/overlay``: a muscle's zones for one side and its trigger-point
  marks on one view, with how to find them.
* ``GET /api/v1/regions/{region}/trigger-points``: the muscles with a trigger point over a
  region on one side (the chart's charting picker).
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Query, Request
from fastapi.responses import Response
from markupsafe import Markup

from knoop.bodymap.render import NRS_COLOURS
from knoop.errors import ChartError, NotFound, PainMapError
from knoop.vocabulary import MAIN_VIEWS, QUALITIES, QUALITY_WORDS, VIEW_WORDS, VIEWS
from knoop.web.app_json import json_response
from knoop.web.pages import lang_of, render
from knoop.web.schemas import (
    COMMON_ERRORS,
    DrawingIn,
    DrawingOut,
    OverlayOut,
    RegionMuscleOut,
    error_responses,
)

router = APIRouter(tags=["drawing"])

QUALITY_NAMES = QUALITY_WORDS
VIEW_NAMES = VIEW_WORDS
#: NRS 1..10 as colour, light yellow -> deep red (the same list is in chart.js).

DEFAULT_TOP = 20
DRAWING_EXAMPLE = {
    "strokes": [{"view": "front", "points": [[330, 80], [350, 92]], "width": 16,
                 "intensity": 7, "quality": "aching", "erase": False}],
    "regions": [{"region": "ear", "side": "left", "intensity": 4}],
    "symptoms": ["dizziness"], "screening": [], "findings": [],
}


def _bad(field: str, message: str, allowed: list[str] | None = None) -> None:
    raise ChartError(f"{field}: {message}", field=field, allowed=allowed)


def _exclude(raw: list[dict[str, Any]]) -> set[tuple[str, str | None]]:
    """Region keys switched off in the region list; a paired region needs its side."""
    from knoop.kb.contract import contract

    regions = contract().regions
    out: set[tuple[str, str | None]] = set()
    for i, item in enumerate(raw):
        p = f"exclude[{i}]"
        rid = item["region"]
        if rid not in regions:
            raise PainMapError(f"{p}.region: unknown region '{rid}'", field=f"{p}.region",
                               allowed=sorted(regions))
        side = item.get("side")
        if regions[rid].paired:
            if side not in ("left", "right"):
                raise PainMapError(f"{p}.side: must be left or right", field=f"{p}.side",
                                   allowed=["left", "right"])
        elif side not in (None, "midline"):
            raise PainMapError(f"{p}.side: '{rid}' is a midline region", field=f"{p}.side",
                               allowed=["midline"])
        out.add((rid, side if regions[rid].paired else None))
    return out


def derive(data: dict[str, Any], lang: str = "nl",
           top: int | None = DEFAULT_TOP) -> dict[str, Any]:
    """The whole drawing computation on a drawing checked by :class:`~knoop.web.schemas.
    DrawingIn` (as a dict): coverage from strokes, merge with explicit regions, rank. Contract
    problems raise :class:`PainMapError` naming the field."""
    from knoop.bodymap import CHART_VERSION, coverage
    from knoop.bodymap.strokes import parse_strokes
    from knoop.ranking import default_ranker

    strokes = parse_strokes(data.get("strokes", []))
    excluded = _exclude(data.get("exclude", []))
    r = default_ranker()
    # The explicit part is parsed as a pain map first, so its errors name regions[i]... fields.
    explicit = r.parse({k: data[k] for k in ("regions", "symptoms", "screening", "findings",
                                             "client") if k in data})
    cov = coverage(strokes)
    merged: dict[tuple[str, str | None], dict[str, Any]] = {}
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
    pm = r.parse(painmap)
    ranking = r.rank(pm, lang).to_dict()
    if top is not None:
        keep = ranking["candidates"][:top]
        keep += [c for c in ranking["candidates"][top:] if c.get("finding")]
        ranking["total_candidates"] = len(ranking["candidates"])
        ranking["candidates"] = keep
    return {
        "chart_version": CHART_VERSION,
        "painmap": pm.to_dict(),
        "coverage": [{"region": c.region, "side": c.side or "midline",
                      "fraction": c.fraction, "intensity": c.intensity, "quality": c.quality,
                      "excluded": (c.region, c.side) in excluded}
                     for c in cov],
        "ranking": ranking,
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
        word = {"left": ("links", "left"), "right": ("rechts", "right")}.get(k[1] or "")
        return f"{name} ({word[0] if lang == 'nl' else word[1]})" if word else name

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
    }


REGION_TP_EXAMPLE = [{"muscle": "trapezius", "side": "left", "name": "Monnikskapspier",
                      "trigger_points": [{"id": "trapezius_upper_back",
                                          "name": "Bovenste vezels, achterste rand"}]}]


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


# ---------------------------------------------------------------------------------- pages


def _chart_svg(view: str, lang: str) -> Markup:
    from knoop.bodymap import render_svg

    svg = render_svg(view, lang=lang, interactive=True)
    # Regions stay clickable buttons with labels for screen readers, but out of the tab order:
    # keyboard users have the region list (hundreds of tab stops would bury the results).
    svg = svg.replace(' tabindex="0" role="button"', ' tabindex="-1" role="button"')
    return Markup(svg)


def _region_rows(lang: str) -> list[dict[str, Any]]:
    from knoop.kb.contract import contract
    from knoop.kb.search import REGION_GROUP_NAMES

    rows = []
    for r in contract().regions.values():
        name = r.nl if lang == "nl" else r.en
        group = REGION_GROUP_NAMES.get(r.group, (r.group, r.group))[0 if lang == "nl" else 1]
        sides = ("right", "left") if r.paired else (None,)
        for s in sides:
            word = {"left": ("links", "left"), "right": ("rechts", "right")}.get(s or "")
            label = f"{name} ({word[0] if lang == 'nl' else word[1]})" if word else name
            rows.append({"region": r.id, "side": s or "midline", "label": label,
                         "group": group, "deep": r.depth == "deep",
                         "search": f"{label} {r.nl} {r.en} {r.id} {group}".lower()})
    return rows


def widget_context(lang: str) -> dict[str, Any]:
    """What the drawing widget's templates need (``draw/_widget_*.html``); shared by the
    stand-alone page, the session page and the client's intake page."""
    from knoop.kb import knowledge_base

    i = 0 if lang == "nl" else 1
    kb = knowledge_base()
    rows = _region_rows(lang)
    return {
        "views": [(v, VIEW_NAMES[v][i]) for v in VIEWS],
        "svgs": {v: _chart_svg(v, lang) for v in MAIN_VIEWS},
        "qualities": [(q, QUALITY_NAMES[q][i]) for q in QUALITIES],
        "nrs": list(enumerate(NRS_COLOURS, start=1)),  # the chart's one NRS scale
        "rows": rows, "deep_rows": [r for r in rows if r["deep"]],
        "symptoms": [(s.id, s.nl if lang == "nl" else s.en) for s in kb.contract.symptoms.values()],
        "screening": [(s.id, s.nl if lang == "nl" else s.en, s.urgency)
                      for s in kb.contract.screening.values()],
        "kb_version": kb.version,
    }


@router.get("/tekenen", include_in_schema=False)
def drawing_page(request: Request) -> Response:
    ctx = widget_context(lang_of(request))
    ctx["charting"] = True  # the "Chart finding" tool (never on the client's intake page)
    return render(request, "draw/page.html", ctx)


@router.get("/tekenen/kaart/{view}", include_in_schema=False)
def chart_view(request: Request, view: str) -> Response:
    """One view of the interactive chart as an SVG fragment (loaded when its tab opens)."""
    if view not in VIEWS:
        raise NotFound(f"unknown view '{view}'", field="view", allowed=list(VIEWS))
    return Response(str(_chart_svg(view, lang_of(request))), media_type="image/svg+xml",
                    headers={"Cache-Control": "no-cache"})
