"""The client's own aftercare page and pain diary between sessions (``/nazorg/{token}``), and the
therapist's side of it on the client page (make a link with its QR code and a ready message,
list and revoke links, the aftercare PDF with the QR code).

No account: the token is the permission (256-bit random, stored as sha256, one client, revocable,
expiring after a period without use, only with the client's ``aftercare`` consent, rate-limited;
see :mod:`knoop.store.aftercare_links`). The page is a phone page, Dutch first, readable and
printable without JavaScript: today's aftercare from the same texts as the aftercare handout
(:func:`knoop.handouts.aftercare.build_context`, one source), and per treated muscle its
self-massage and stretch with the diagram of where the trigger point lies. The diary is a plain
form (pain now 0-10, exercises done); the chart widget adds an optional drawing when JavaScript
runs. "Veel erger" stores a flagged entry and shows the contact advice at the top.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from markupsafe import Markup
from starlette.datastructures import FormData
from starlette.responses import Response

from knoop.errors import AuthError, BadInput, KnoopError, NotFound, TooManyRequests
from knoop.store import AftercareLink, AftercareView, Session, Store, User
from knoop.web.deps import (
    CsrfForm,
    LoggedIn,
    RecordId,
    fmt_date,
    fmt_datetime,
    input_error,
    store_of,
    translator,
)
from knoop.web.pages import lang_of, render

router = APIRouter(include_in_schema=False)
ClientId = RecordId
MAX_TOKEN = 100
MAX_DRAWING = 400_000


def _(message: str) -> str:
    return message


LINK_STATES = {"open": _("open"), "expired": _("expired"), "revoked": _("revoked")}


def _ip(request: Request) -> str:
    return request.client.host if request.client else ""


def page_url(request: Request, token: str) -> str:
    return f"{str(request.base_url).rstrip('/')}/nazorg/{token}"


# ------------------------------------------------------------------------------ the client
def _invalid(request: Request, status_code: int = 404) -> Response:
    return render(request, "aftercare/invalid.html", {"busy": status_code == 429},
                  status_code=status_code)


def _view(request: Request, token: str) -> AftercareView | Response:
    if not token or len(token) > MAX_TOKEN:
        return _invalid(request)
    try:
        return store_of(request).open_aftercare(token, ip=_ip(request))
    except AuthError:
        return _invalid(request)
    except TooManyRequests:
        return _invalid(request, 429)


def _page(request: Request, token: str, view: AftercareView, *, error: str = "",
          worse: bool = False, saved: bool = False, values: dict[str, str] | None = None,
          status_code: int = 200) -> Response:
    from knoop.handouts.aftercare import build_context
    from knoop.handouts.practice import practice_details
    from knoop.store import Actor
    from knoop.web.drawing_page import widget_context

    lang = lang_of(request)
    store = store_of(request)
    actor = Actor(None, view.practice_id, "client")
    practice = practice_details(store, actor, therapist_id=view.session.therapist_id
                                if view.session else view.created_by)
    ctx: dict[str, Any] = widget_context(lang)
    # the drawing is optional here: only the first view inline, the others load on their tab
    ctx["svgs"] = {k: v for k, v in ctx.get("svgs", {}).items() if k == "front"}
    ctx["ac"] = build_context(view.session, None, practice, lang) if view.session else None
    ctx["tp_words"] = point_words(view.session, lang) if view.session else {}
    ctx["diagrams"] = ({f"{c.muscle}:{c.side}": web_diagram(c.muscle, c.side, lang)
                        for c in ctx["ac"]["cards"]} if ctx["ac"] else {})
    ctx.update({"token": token, "view": view, "practice": practice, "error": error,
                "worse": worse, "saved": saved, "v": values or {},
                "session_date": fmt_date(view.session.started_at) if view.session else "",
                "expires": fmt_date(view.expires_at),
                "entries": [{"when": fmt_datetime(e.at), "nrs": e.nrs,
                             "exercises": e.exercises_done, "worse": e.much_worse,
                             "drawing": e.has_drawing} for e in view.entries]})
    return render(request, "aftercare/page.html", ctx, status_code=status_code)


def web_diagram(muscle: str, side: str, lang: str) -> Markup:
    """The muscle's diagram zoomed in on its zones and trigger points, as the handout shows it,
    but with the chart drawn in vectors (the handout's background image is for print only)."""
    return Markup(_diagram(muscle, side, lang))  # noqa: S704 - our own SVG, escaped parts


@lru_cache(maxsize=64)
def _diagram(muscle: str, side: str, lang: str) -> str:
    import re

    from knoop.bodymap import muscle_diagram_svg, muscle_zones
    from knoop.handouts.charts import crop

    svg = muscle_diagram_svg(muscle, side=side, lang=lang)
    view = re.search(r'data-view="([a-z_]+)"', svg)
    if view is None:
        return svg
    essential, spill, points = muscle_zones(muscle, side)
    keys = set(essential) | set(spill)
    for _tp, locs in points:
        keys |= set(locs)
    # the crop's small full-body key draws the print background image: not for a web page
    return re.sub(r'<svg class="key".*?</svg>', "", crop(svg, view.group(1), keys, lang=lang),
                  flags=re.DOTALL)


def point_words(session: Session, lang: str) -> dict[str, list[str]]:
    """Per treated muscle (``muscle:side``) the names of its trigger points in plain words:
    those found active or latent in the session, else the muscle's usual (not rare) ones."""
    from knoop.handouts.aftercare import treated_muscles
    from knoop.kb import knowledge_base

    kb = knowledge_base()
    out = {}
    for muscle, side in treated_muscles(session):
        named = {f.trigger_point for f in session.findings if f.muscle == muscle
                 and f.side == side and f.trigger_point and f.result in ("active", "latent")}
        tps = kb.muscle(muscle).trigger_points
        chosen = [tp for tp in tps if tp.id in named] if named else [tp for tp in tps
                                                                     if not tp.rare]
        out[f"{muscle}:{side}"] = [tp.name.get(lang) for tp in chosen]
    return out


@router.get("/nazorg/{token}")
def aftercare_page(request: Request, token: str) -> Response:
    view = _view(request, token)
    if isinstance(view, Response):
        return view
    return _page(request, token, view, saved=request.query_params.get("opgeslagen") == "1")


def diary_answers(form: FormData) -> dict[str, Any]:
    """The diary form -> the keyword arguments of :meth:`Store.add_diary_entry`."""
    raw = str(form.get("nrs") or "").strip()
    worse = form.get("much_worse") == "1"
    if not raw and not worse:
        raise BadInput("nrs: required", field="nrs", kind="required")
    if raw and (not raw.isdigit() or not 0 <= int(raw) <= 10):
        raise BadInput("nrs: a whole number 0-10", field="nrs", kind="range",
                       allowed=[str(n) for n in range(11)])
    ex = str(form.get("exercises") or "")
    if ex not in ("", "yes", "no"):
        raise BadInput("exercises_done: yes or no", field="exercises_done")
    out: dict[str, Any] = {"nrs": int(raw) if raw else None,
                           "exercises_done": {"yes": True, "no": False}.get(ex),
                           "much_worse": worse}
    drawing = str(form.get("drawing") or "").strip()
    if len(drawing) > MAX_DRAWING:
        raise BadInput("drawing: too large", field="drawing", kind="too_long",
                       limit=MAX_DRAWING)
    if drawing:
        try:
            d = json.loads(drawing)
        except (json.JSONDecodeError, RecursionError):
            raise BadInput("drawing: the drawing could not be read", field="drawing") from None
        if isinstance(d, dict):
            d = {k: x for k, x in d.items() if k in ("strokes", "regions", "exclude") and x}
        out["drawing"] = d or None
    return out


@router.post("/nazorg/{token}")
def add_entry(request: Request, token: str, form: FormData = CsrfForm) -> Response:
    view = _view(request, token)
    if isinstance(view, Response):
        return view
    values = {"nrs": str(form.get("nrs") or "")[:3], "exercises": str(form.get("exercises")
                                                                       or "")[:3]}
    try:
        answers = diary_answers(form)
        entry = store_of(request).add_diary_entry(token, ip=_ip(request), **answers)
    except AuthError:
        return _invalid(request)
    except TooManyRequests:
        return _invalid(request, 429)
    except KnoopError as exc:
        if not isinstance(exc, BadInput):
            raise
        return _page(request, token, view, error=input_error(request, exc), values=values,
                     status_code=422)
    if entry.much_worse:  # the contact advice first, on this very answer
        fresh = _view(request, token)
        return fresh if isinstance(fresh, Response) else _page(request, token, fresh,
                                                               worse=True)
    return RedirectResponse(f"/nazorg/{token}?opgeslagen=1#dagboek", status_code=303)


# ------------------------------------------------------------------------------ the therapist
def aftercare_context(request: Request, aftercare_links: list[AftercareLink]) -> dict[str, Any]:
    """The client page's aftercare card: the links made (read with the client page)."""
    t = translator(request)
    links = [{"id": ln.id, "state": ln.state, "state_name": t(LINK_STATES[ln.state]),
              "made": fmt_datetime(ln.created_at), "expires": fmt_date(ln.expires_at),
              "used": fmt_datetime(ln.last_used_at), "revoked": fmt_datetime(ln.revoked_at)}
             for ln in aftercare_links]
    return {"aftercare_links": links}


def _message(request: Request, first_name: str, practice: str, url: str) -> str:
    _ = translator(request)
    return (_("Hello %(name)s, here is your own aftercare page from %(practice)s: %(url)s "
              "You will find your exercises there and can keep a pain diary. The link is "
              "personal: do not share it.") % {"name": first_name, "practice": practice,
                                               "url": url})


@router.post("/clienten/{client_id}/nazorglink")
def make_link(request: Request, client_id: ClientId, user: User = LoggedIn,
              form: FormData = CsrfForm) -> Response:
    """Make an aftercare link; the token is shown this once (as text, QR code and message)."""
    from knoop.errors import Conflict
    from knoop.web.clients import _client_context

    store = store_of(request)
    try:
        days = int(str(form.get("idle_days") or "28")[:3])
    except ValueError:
        days = 28
    ctx = None
    try:
        token = store.create_aftercare_link(user.actor, client_id, idle_days=days)
    except (BadInput, Conflict) as exc:
        if isinstance(exc, NotFound):
            raise
        ctx = _client_context(request, user, client_id)
        _ = translator(request)
        ctx["aftercare_error"] = (_(
            "The client has not given consent for the aftercare page yet: record the consent "
            "first.") if exc.kind == "consent" else input_error(request, exc))
        return render(request, "clients/page.html", ctx, status_code=422)
    ctx = _client_context(request, user, client_id)
    url = page_url(request, token)
    c = ctx["c"]
    from knoop.handouts.aftercare import qr_svg

    ctx.update({"aftercare_url": url, "aftercare_token": token,
                "aftercare_qr": Markup(qr_svg(url)),
                "aftercare_message": _message(request, c.first_name,
                                              store.practice(user.actor.practice_id).name, url)})
    return render(request, "clients/page.html", ctx)


@router.post("/clienten/{client_id}/nazorglink/{link_id}/intrekken")
def revoke_link(request: Request, client_id: ClientId, link_id: ClientId,
                user: User = LoggedIn, form: FormData = CsrfForm) -> Response:
    store = store_of(request)
    if link_id not in {ln.id for ln in store.aftercare_links(user.actor, client_id)}:
        raise NotFound(f"aftercare link {link_id} not found", field="link_id")
    store.revoke_aftercare_link(user.actor, link_id)
    return RedirectResponse(f"/clienten/{client_id}#nazorg", status_code=303)


@router.post("/clienten/{client_id}/nazorglink/folder.pdf")
def handout_with_qr(request: Request, client_id: ClientId, user: User = LoggedIn,
                    form: FormData = CsrfForm) -> Response:
    """The aftercare handout of the client's latest session with the link's QR code. The link
    (posted back from the page that showed it) must be an open link of this client."""
    from knoop.handouts.aftercare import aftercare_pdf

    store: Store = store_of(request)
    token = str(form.get("token") or "")[:MAX_TOKEN]
    link = store.aftercare_link_for(user.actor, token)
    if link.client_id != client_id:
        raise NotFound("aftercare link not found", field="token")
    latest = [s for s in store.client_history(user.actor, client_id) if s.status != "draft"]
    if not latest:
        raise NotFound("no session yet", field="session_id")
    lang = lang_of(request)
    pdf = aftercare_pdf(store, user.actor, latest[0].id, lang=lang,
                        link_url=page_url(request, token))
    name = "nazorg" if lang == "nl" else "aftercare"
    return Response(pdf, media_type="application/pdf", headers={
        "Content-Disposition": f'inline; filename="{name}-{latest[0].id}.pdf"',
        "Cache-Control": "no-store"})
