"""The drawable body chart as a page: ``GET /tekenen`` (the stand-alone "Pijntekening": chart,
tools, region list, symptoms, screening and live results) and ``GET /tekenen/kaart/{view}``
(one view's SVG, for the detail views loaded when their tab is first opened), and the context
every page with the drawing widget needs (:func:`widget_context`)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from markupsafe import Markup

from knoop.bodymap.render import NRS_COLOURS
from knoop.errors import NotFound
from knoop.vocabulary import MAIN_VIEWS, QUALITIES, QUALITY_WORDS, VIEW_WORDS, VIEWS, side_word
from knoop.web.pages import lang_of, render

router = APIRouter(include_in_schema=False)


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
            label = f"{name} ({side_word(s, lang)})" if s else name
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
        "views": [(v, VIEW_WORDS[v][i]) for v in VIEWS],
        "svgs": {v: _chart_svg(v, lang) for v in MAIN_VIEWS},
        "qualities": [(q, QUALITY_WORDS[q][i]) for q in QUALITIES],
        "nrs": list(enumerate(NRS_COLOURS, start=1)),  # the chart's one NRS scale
        "rows": rows, "deep_rows": [r for r in rows if r["deep"]],
        "symptoms": [(s.id, s.nl if lang == "nl" else s.en) for s in kb.contract.symptoms.values()],
        "screening": [(s.id, s.nl if lang == "nl" else s.en, s.urgency)
                      for s in kb.contract.screening.values()],
        "kb_version": kb.version,
    }


@router.get("/tekenen")
def drawing_page(request: Request) -> Response:
    ctx = widget_context(lang_of(request))
    ctx["charting"] = True  # the "Chart finding" tool (never on the client's intake page)
    return render(request, "draw/page.html", ctx)


@router.get("/tekenen/kaart/{view}")
def chart_view(request: Request, view: str) -> Response:
    """One view of the interactive chart as an SVG fragment (loaded when its tab opens)."""
    if view not in VIEWS:
        raise NotFound(f"unknown view '{view}'", field="view", allowed=list(VIEWS))
    return Response(str(_chart_svg(view, lang_of(request))), media_type="image/svg+xml",
                    headers={"Cache-Control": "no-cache"})
