"""The drawable body chart as a page: ``GET /tekenen`` (the stand-alone "Pijntekening": chart,
tools, region list, symptoms, screening and live results) and ``GET /tekenen/kaart/{view}``
(one view's SVG, for the detail views loaded when their tab is first opened), and the context
every page with the drawing widget needs (:func:`widget_context`)."""

from __future__ import annotations

import gzip
import hashlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from markupsafe import Markup

from knoop.bodymap.render import NRS_COLOURS
from knoop.errors import NotFound
from knoop.vocabulary import QUALITIES, QUALITY_WORDS, VIEW_WORDS, VIEWS, region_label
from knoop.web.i18n import LOCALE_DIR
from knoop.web.pages import json_script, lang_of, render

router = APIRouter(include_in_schema=False)


@cache
def _chart_file(view: str, lang: str) -> ChartFile:
    """One view of the interactive chart, rendered once per process, with its ETag and its
    gzip form (the SVG is ~225 kB, ~25 kB compressed)."""
    from knoop.bodymap import render_svg

    svg = render_svg(view, lang=lang, interactive=True)
    # Regions stay clickable buttons with labels for screen readers, but out of the tab order:
    # keyboard users have the region list (hundreds of tab stops would bury the results).
    svg = svg.replace(' tabindex="0" role="button"', ' tabindex="-1" role="button"')
    body = svg.encode("utf-8")
    return ChartFile(body, gzip.compress(body, compresslevel=9, mtime=0),
                     hashlib.sha256(body).hexdigest()[:16])


@dataclass(frozen=True)
class ChartFile:
    body: bytes
    gzipped: bytes
    etag: str


@cache
def chart_files_version() -> str:
    """A short hash of every chart file: pages ask for ``?v=<this>``, so the files can be cached
    for a year (``immutable``) and a new template or wording gets new URLs."""
    from knoop.bodymap import chart
    from knoop.bodymap.closeups import closeups

    h = hashlib.sha256(f"{chart().version}|{closeups()!r}".encode())
    h.update(Path(__file__).with_name("i18n.py").read_bytes())
    for name in ("nl", "en"):
        h.update((LOCALE_DIR / name / "LC_MESSAGES" / "messages.po").read_bytes())
    return h.hexdigest()[:12]


def _region_rows(lang: str) -> list[dict[str, Any]]:
    from knoop.kb.contract import contract
    from knoop.kb.search import REGION_GROUP_NAMES

    rows = []
    for r in contract().regions.values():
        name = r.nl if lang == "nl" else r.en
        group = REGION_GROUP_NAMES.get(r.group, (r.group, r.group))[0 if lang == "nl" else 1]
        sides = ("right", "left") if r.paired else (None,)
        for s in sides:
            label = region_label(name, s, lang)
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
        # the SVGs are cacheable files (GET /tekenen/kaart/{view}), not inline in the page
        "chart_files": chart_files_version(),
        "closeups_json": _closeups_json(lang),
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


@cache
def _closeups_json(lang: str) -> Markup:
    from knoop.bodymap.closeups import as_json

    return json_script(as_json(lang))


@router.get("/tekenen/kaart/{view}")
def chart_view(request: Request, view: str) -> Response:
    """One view of the interactive chart as an SVG file. With ``?v=`` (the pages' current
    :func:`chart_files_version`) it may be cached for a year; without, it is revalidated by its
    ETag. Sent gzip-compressed when the browser accepts it."""
    if view not in VIEWS:
        raise NotFound(f"unknown view '{view}'", field="view", allowed=list(VIEWS))
    f = _chart_file(view, lang_of(request))
    etag = f'"{f.etag}"'
    immutable = request.query_params.get("v") == chart_files_version()
    headers = {"ETag": etag, "Vary": "Accept-Encoding",
               "Cache-Control": ("public, max-age=31536000, immutable" if immutable
                                 else "no-cache")}
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    if "gzip" in request.headers.get("accept-encoding", ""):
        headers["Content-Encoding"] = "gzip"
        return Response(f.gzipped, media_type="image/svg+xml", headers=headers)
    return Response(f.body, media_type="image/svg+xml", headers=headers)
