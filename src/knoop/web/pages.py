"""Page rendering shared by all routers: the Jinja2 environment, layout texts, JSON data
blocks. (The language of a request is :func:`knoop.web.i18n.lang_of`, re-exported here.)"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from markupsafe import Markup
from starlette.responses import Response

from knoop import __version__, numbers
from knoop.web.i18n import LANGS, chart_messages, lang_of, translations

templates = Jinja2Templates(directory=Path(__file__).parent / "templates")
templates.env.filters.update(pct=numbers.pct, share=numbers.share,
                             pct_points=numbers.pct_points)


def json_script(data: Any) -> Markup:
    """``data`` as JSON for a ``<script type="application/json">`` data block: ``<``, ``>``,
    ``&`` and the two JavaScript line separators are escaped, so no text inside (a note with
    ``<!--<script>`` or ``</script>``) can end or change the block."""
    text = json.dumps(data, ensure_ascii=False)
    for raw, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(raw, escaped)
    return Markup(text)


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
    return json_script(chart_messages(lang))
