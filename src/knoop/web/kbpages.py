"""Knowledge-base browser: muscles (search by Dutch, Latin or English name), a page per muscle
with its diagrams, and a page per region listing the muscles that refer there."""

from __future__ import annotations

from fastapi import APIRouter, Request
from markupsafe import Markup
from starlette.responses import Response

from knoop.bodymap import muscle_zones
from knoop.errors import NotFound, UnknownMuscle, UnknownRegion
from knoop.kb import knowledge_base
from knoop.kb.models import CAUSES, TOOLS, Muscle
from knoop.kb.search import (
    GROUP_NAMES,
    REGION_GROUP_NAMES,
    Found,
    find_muscles,
    muscles_for_region,
    search_muscles,
)
from knoop.web.pages import lang_of, render

router = APIRouter(include_in_schema=False)


@router.get("/kb")
def muscle_list(request: Request, q: str = "", regio: str = "", klacht: str = "") -> Response:
    """Search by name (``q``), by region (``regio``: the muscles that refer pain there or
    have a trigger point there) and by symptom (``klacht``); the filters combine."""
    from knoop.web.deps import translator

    _ = translator(request)
    lang = lang_of(request)
    kb = knowledge_base()
    c = kb.contract
    found = search_muscles(kb, "")
    ranked: list[Found] = find_muscles(kb, q[:200]) if q.strip() else []
    if q.strip():
        found = [f.muscle for f in ranked]
    notes: list[str] = []
    why: dict[str, str] = {}
    regio, klacht = regio.strip()[:60], klacht.strip()[:60]
    if regio:
        if regio in c.regions:
            essential, spillover, local = muscles_for_region(kb, regio)
            for m in local:
                why[m.id] = _("trigger point here")
            for m in spillover:
                why[m.id] = _("spillover zone")
            for m in essential:
                why[m.id] = _("main zone")
            found = [m for m in found if m.id in why]
        else:
            notes.append(_("Unknown region: choose one from the list."))
            regio = ""
    if klacht:
        if klacht in c.symptoms:
            found = [m for m in found if klacht in m.symptoms]
        else:
            notes.append(_("Unknown complaint: choose one from the list."))
            klacht = ""
    groups: dict[str, list[Muscle]] = {}
    for m in found:
        groups.setdefault(m.group, []).append(m)
    ordered = [(g, GROUP_NAMES[g][lang], groups[g]) for g in c.muscle_groups if g in groups]
    region_groups: dict[str, list[tuple[str, str]]] = {}
    for r in c.regions.values():
        region_groups.setdefault(r.group, []).append((r.id, r.nl if lang == "nl" else r.en))
    region_options = [(REGION_GROUP_NAMES.get(g, (g, g))[0 if lang == "nl" else 1],
                       sorted(items, key=lambda x: x[1])) for g, items in region_groups.items()]
    symptom_options = sorted(((s.id, s.nl if lang == "nl" else s.en)
                              for s in c.symptoms.values()), key=lambda x: x[1])
    keep = {m.id for m in found}
    why_words = {"name": _("name"), "essential": _("main zone"), "spillover": _("spillover zone"),
                 "location": _("trigger point here"), "symptom": _("complaint")}
    hits = [(f.muscle, why.get(f.muscle.id) or why_words.get(f.why, ""))
            for f in ranked if f.muscle.id in keep]
    return render(request, "kb/list.html", {"q": q, "groups": ordered, "count": len(found),
                                            "hits": hits,
                                            "total": len(kb.muscles), "regio": regio,
                                            "klacht": klacht, "why": why, "notes": notes,
                                            "region_options": region_options,
                                            "symptom_options": symptom_options,
                                            "kb_version": kb.version})


def _views_of(m: Muscle) -> list[str]:
    """The view that shows most of the muscle's zones, then a second whole-body view if its
    essential zone shows there too."""
    from knoop.bodymap import chart
    from knoop.bodymap.diagram import best_view

    essential, spill, _ = muscle_zones(m.id, "right")
    first = best_view(essential, spill)
    views = [first]
    for v in ("front", "back", "lateral"):
        if v != first and any(s.key in essential for s in chart().shapes(v) if not s.deep):
            views.append(v)
            break
    return views


@router.get("/kb/spieren/{muscle_id}")
def muscle_page(request: Request, muscle_id: str) -> Response:
    from knoop.bodymap import muscle_diagram_svg

    lang = lang_of(request)
    kb = knowledge_base()
    if muscle_id not in kb.muscles:
        raise UnknownMuscle(f"unknown muscle '{muscle_id}'")
    m = kb.muscles[muscle_id]
    diagrams = [Markup(muscle_diagram_svg(m.id, side="right", view=v, lang=lang))
                for v in _views_of(m)]
    regions = kb.contract.regions

    def rname(rid: str) -> str:
        r = regions[rid]
        return (r.nl if lang == "nl" else r.en)

    return render(request, "kb/muscle.html", {
        "m": m, "c": kb.contract.muscles[m.id], "diagrams": diagrams, "rname": rname,
        "symptoms": [kb.contract.symptoms[s] for s in m.symptoms],
        "causes": [CAUSES[c][lang] for c in m.causes],
        "tools": [TOOLS[t][lang] for t in m.self_massage.tools],
        "group": GROUP_NAMES[m.group][lang], "kb_version": kb.version,
    })


@router.get("/kb/spieren/{muscle_id}/triggerpunten/{tp_id}.svg")
def trigger_point_picture(request: Request, muscle_id: str, tp_id: str) -> Response:
    """One trigger point's referral pattern (client's right side) on the view that shows it
    best, cropped to the zone: an image file, cached by the browser and revalidated by ETag."""
    import hashlib

    from knoop.bodymap import muscle_diagram_svg

    kb = knowledge_base()
    if muscle_id not in kb.muscles:
        raise UnknownMuscle(f"unknown muscle '{muscle_id}'")
    if tp_id not in {tp.id for tp in kb.muscles[muscle_id].trigger_points}:
        raise NotFound(f"unknown trigger point '{tp_id}'", field="trigger_point")
    svg = muscle_diagram_svg(muscle_id, side="right", lang=lang_of(request),
                             trigger_point=tp_id, cropped=True).encode("utf-8")
    etag = '"' + hashlib.sha256(svg).hexdigest()[:16] + '"'
    headers = {"ETag": etag, "Cache-Control": "public, max-age=86400"}
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    return Response(svg, media_type="image/svg+xml", headers=headers)


@router.get("/kb/gebieden")
def region_list(request: Request) -> Response:
    kb = knowledge_base()
    by_group: dict[str, list] = {}
    for r in kb.contract.regions.values():
        by_group.setdefault(r.group, []).append(r)
    from knoop.vocabulary import VIEW_WORDS, VIEWS
    from knoop.web.drawing_page import chart_files_version

    i = 0 if lang_of(request) == "nl" else 1
    return render(request, "kb/regions.html",
                  {"groups": by_group, "group_names": REGION_GROUP_NAMES,
                   "views": [(v, VIEW_WORDS[v][i]) for v in VIEWS],
                   "chart_files": chart_files_version()})


@router.get("/kb/gebieden/{region_id}/figuur.svg")
def region_picture(request: Request, region_id: str) -> Response:
    """Where a region lies: highlighted on the view that shows most of it, cropped around it
    (the client's right side for a paired region)."""
    import hashlib

    from knoop.bodymap import Fill, chart, render_svg

    kb = knowledge_base()
    if region_id not in kb.contract.regions:
        raise UnknownRegion(f"unknown region '{region_id}'")
    side = "right" if kb.contract.regions[region_id].paired else None
    c = chart()
    shapes = [(s.polygon.area, s) for v in c.views for s in c.shapes(v) if s.key == (region_id, side)]
    _area, shape = max(shapes, key=lambda t: t[0])
    x0, y0, x1, y1 = shape.polygon.bounds
    view = c.view(shape.view)
    size = min(max(160.0, x1 - x0 + 80, y1 - y0 + 80), view.width, view.height)
    x = min(max(0.0, (x0 + x1 - size) / 2), view.width - size)
    y = min(max(0.0, (y0 + y1 - size) / 2), view.height - size)
    svg = render_svg(shape.view, {(region_id, side): Fill("#b3261e", 0.85)}, lang=lang_of(request),
                     crop=(x, y, size, size)).encode("utf-8")
    etag = '"' + hashlib.sha256(svg).hexdigest()[:16] + '"'
    headers = {"ETag": etag, "Cache-Control": "public, max-age=86400"}
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    return Response(svg, media_type="image/svg+xml", headers=headers)


@router.get("/kb/gebieden/{region_id}")
def region_page(request: Request, region_id: str) -> Response:
    kb = knowledge_base()
    if region_id not in kb.contract.regions:
        raise UnknownRegion(f"unknown region '{region_id}'")
    essential, spillover, local = muscles_for_region(kb, region_id)
    r = kb.contract.regions[region_id]
    lang = lang_of(request)
    i = 0 if lang == "nl" else 1
    from knoop.vocabulary import VIEW_WORDS

    return render(request, "kb/region.html", {
        "r": r, "essential": essential, "spillover": spillover, "local": local,
        "group_name": REGION_GROUP_NAMES.get(r.group, (r.group, r.group))[i],
        "view_names": [VIEW_WORDS[v][i] for v in r.views if v in VIEW_WORDS]})
