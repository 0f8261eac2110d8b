"""Client education page: “Wat is een triggerpunt?” (same text as the printed leaflet)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from knoop.handouts.education import INTRO, TITLE, sections
from knoop.web.pages import lang_of, render

router = APIRouter(include_in_schema=False)


@router.get("/uitleg")
def education(request: Request) -> Response:
    lang = lang_of(request)
    return render(request, "education.html", {"title": TITLE[lang], "intro": INTRO[lang],
                                              "sections": sections(lang)})
