"""Knowledge-base browser: muscles (search by Dutch, Latin or English name), a page per muscle
with its diagrams, and a page per region listing the muscles that refer there."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from markupsafe import Markup
from starlette.responses import Response

from knoop.bodymap import muscle_zones
from knoop.errors import UnknownMuscle, UnknownRegion
from knoop.kb import knowledge_base
from knoop.kb.models import CAUSES, TOOLS, Muscle
from knoop.kb.search import (
    GROUP_NAMES,
    REGION_GROUP_NAMES,
    muscles_for_region,
    search_muscles,
)
from knoop.web.pages import lang_of, render

router = APIRouter(include_in_schema=False)


@router.get("/")
def home(request: Request) -> Response:
    return RedirectResponse("/kb", status_code=307)


@router.get("/kb")
def muscle_list(request: Request, q: str = "") -> Response:
    lang = lang_of(request)
    kb = knowledge_base()
    found = search_muscles(kb, q)
    groups: dict[str, list[Muscle]] = {}
    for m in found:
        groups.setdefault(m.group, []).append(m)
    ordered = [(g, GROUP_NAMES[g][lang], groups[g]) for g in kb.contract.muscle_groups
               if g in groups]
    return render(request, "kb/list.html", {"q": q, "groups": ordered, "count": len(found),
                                            "total": len(kb.muscles),
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


@router.get("/kb/gebieden")
def region_list(request: Request) -> Response:
    kb = knowledge_base()
    by_group: dict[str, list] = {}
    for r in kb.contract.regions.values():
        by_group.setdefault(r.group, []).append(r)
    return render(request, "kb/regions.html",
                  {"groups": by_group, "group_names": REGION_GROUP_NAMES})


@router.get("/kb/gebieden/{region_id}")
def region_page(request: Request, region_id: str) -> Response:
    kb = knowledge_base()
    if region_id not in kb.contract.regions:
        raise UnknownRegion(f"unknown region '{region_id}'")
    essential, spillover, local = muscles_for_region(kb, region_id)
    return render(request, "kb/region.html", {
        "r": kb.contract.regions[region_id], "essential": essential, "spillover": spillover,
        "local": local})
