"""Page rendering shared by all routers: Jinja2 environment, language choice, layout texts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from markupsafe import Markup
from starlette.responses import Response

from knoop import __version__
from knoop.web.i18n import chart_messages, translations

templates = Jinja2Templates(directory=Path(__file__).parent / "templates")
LANGS = ("nl", "en")


def lang_of(request: Request) -> str:
    """``?lang=en`` switches to English; anything else (or nothing) is Dutch."""
    lang = request.query_params.get("lang") or request.cookies.get("lang") or "nl"
    return lang if lang in LANGS else "nl"


def render(request: Request, name: str, context: dict[str, Any],
           status_code: int = 200) -> Response:
    from knoop.web.deps import SESSION_COOKIE, csrf_token, current_user

    lang = lang_of(request)
    t = translations(lang)
    user = None
    if request.cookies.get(SESSION_COOKIE):
        try:
            user = current_user(request)
        except Exception:  # noqa: BLE001 - an error page must render even without a database
            user = None
    ctx = {"request": request, "lang": lang, "version": __version__,
           "nl": lang == "nl", "_": t.gettext, "ngettext": t.ngettext, "chart_i18n": _chart_i18n, "user": user,
           "csrf": lambda: csrf_token(request), **context}
    response = templates.TemplateResponse(request, name, ctx, status_code=status_code)
    if request.query_params.get("lang") in LANGS:
        response.set_cookie("lang", lang, max_age=365 * 24 * 3600, samesite="lax")
    return response


def _chart_i18n(lang: str) -> Markup:
    """The drawing widget's texts as JSON for a non-executed ``<script>`` data block."""
    text = json.dumps(chart_messages(lang), ensure_ascii=False).replace("</", "<\\/")
    return Markup(text)
