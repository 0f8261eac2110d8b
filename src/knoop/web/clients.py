"""Clients: the list with name search and the waiting intakes of the practice, a new client
with consents (one store transaction, idempotent by the form's UUID), the client page with the
timeline of sessions, starting a session, and one-time intake links (made, listed, revoked).

Every read and write goes through :class:`knoop.store.Store` with the user's actor, so the
store scopes it to the practice (another practice's client is a 404) and logs the access.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import RedirectResponse
from starlette.datastructures import FormData
from starlette.responses import Response

from knoop.errors import BadInput, NotFound
from knoop.store import User
from knoop.web.deps import (
    MAX_ID,
    CsrfForm,
    LoggedIn,
    fmt_date,
    fmt_datetime,
    input_error,
    store_of,
    translator,
)
from knoop.web.intake import screening_flags
from knoop.web.invitation import invitation
from knoop.web.pages import lang_of, render

router = APIRouter(include_in_schema=False)
ClientId = Annotated[int, Path(ge=1, le=MAX_ID)]

CONSENT_VERSION = "2026-01"


def _(message: str) -> str:
    return message


#: The consents asked for a new client: (kind, title, the text the client agrees to).
CONSENTS = [
    ("treatment", _("Treatment"),
     _("I agree to be examined and treated (trigger-point therapy) and that my therapist keeps a "
       "record of it.")),
    ("gp_sharing", _("Sharing with the GP"),
     _("My therapist may inform my GP about the complaint and the treatment when that helps.")),
    ("photos", _("Photos"),
     _("Photos may be taken for my own record (never published).")),
    ("research", _("Research"),
     _("My data may be used without my name for research to improve the care.")),
    ("aftercare", _("Aftercare page and pain diary"),
     _("I want a personal web page with my aftercare and exercises, and I may keep a pain "
       "diary there that my therapist reads. Whoever has the link can open the page.")),
]
STATUS_NAMES = {"draft": _("intake by client (draft)"), "open": _("open"),
                "closed": _("closed")}
LINK_STATES = {"open": _("open"), "used": _("used"), "expired": _("expired"),
               "revoked": _("revoked")}
CLIENT_FIELDS = ("first_name", "infix", "last_name", "date_of_birth", "email", "phone", "gp_name")


def _form_str(form: FormData, name: str, max_len: int = 4000) -> str:
    v = form.get(name)
    return str(v)[:max_len] if isinstance(v, str) else ""


@router.get("/clienten")
def client_list(request: Request, q: str = "", user: User = LoggedIn) -> Response:
    store = store_of(request)
    _ = translator(request)
    lang = lang_of(request)
    error = ""
    try:
        found = store.search_clients(user.actor, q.strip()[:100], limit=50)
    except BadInput as exc:
        error = input_error(request, exc)
        found = []
    rows = [{"id": c.id, "name": c.display_name, "born": fmt_date(c.date_of_birth),
             "changed": fmt_date(c.last_change)} for c in found]
    waiting = [{"session_id": d.session_id, "client_id": d.client_id, "name": d.client_name,
                "when": fmt_datetime(d.started_at), "flags": screening_flags(d.screening, lang)}
               for d in store.waiting_intakes(user.actor, limit=50)]
    return render(request, "clients/list.html", {
        "q": q, "rows": rows, "error": error, "title": _("Clients"), "waiting": waiting})


def _new_form(request: Request, values: dict[str, str], error: str = "", field: str = "",
              status_code: int = 200) -> Response:
    t = _ = translator(request)
    values.setdefault("request_id", str(uuid.uuid4()))
    return render(request, "clients/new.html", {
        "v": values, "error": error, "error_field": field,
        "consents": [(k, t(title), t(text)) for k, title, text in CONSENTS],
        "consent_version": CONSENT_VERSION, "today": dt.date.today().isoformat(),
    }, status_code=status_code)


@router.get("/clienten/nieuw")
def new_client_form(request: Request, user: User = LoggedIn) -> Response:
    return _new_form(request, {"consent_date": dt.date.today().isoformat()})


@router.post("/clienten/nieuw")
def create_client(request: Request, user: User = LoggedIn, form: FormData = CsrfForm) -> Response:
    """The client and the consents ticked are stored in one store transaction; the form's
    UUID ``request_id`` makes a double submit (or a retry) land on the same client."""
    store = store_of(request)
    values = {f: _form_str(form, f, 300).strip() for f in CLIENT_FIELDS}
    values["consent_date"] = _form_str(form, "consent_date", 20).strip()
    rid = _form_str(form, "request_id", 64).strip()
    values["request_id"] = rid or str(uuid.uuid4())
    given = {k: form.get(f"consent_{k}") == "yes" for k, _t, _x in CONSENTS}
    for k, ok in given.items():
        values[f"consent_{k}"] = "yes" if ok else ""
    try:
        try:
            day = dt.date.fromisoformat(values["consent_date"] or dt.date.today().isoformat())
        except ValueError:
            raise BadInput("consent_date: not a date", field="consent_date",
                           kind="not_date") from None
        if day > dt.date.today() + dt.timedelta(days=1) or day.year < 1990:
            raise BadInput("consent_date: not a date", field="consent_date", kind="not_date")
        consents = [{"kind": kind, "given": True, "text_version": CONSENT_VERSION, "date": day}
                    for kind, ok in given.items() if ok]
        c = store.create_client(user.actor, consents=consents, request_id=rid or None,
                                **{k: v for k, v in values.items() if k in CLIENT_FIELDS})
    except BadInput as exc:
        field = "consent_date" if (exc.field or "").startswith("consents") else exc.field
        return _new_form(request, values, input_error(request, exc), field or "",
                         status_code=422)
    return RedirectResponse(f"/clienten/{c.id}", status_code=303)


def _client_context(request: Request, user: User, client_id: int) -> dict[str, Any]:
    t = _ = translator(request)
    store = store_of(request)
    c = store.get_client(user.actor, client_id)  # NotFound -> 404 for an outsider
    history = store.client_history(user.actor, client_id)
    consents = store.consents(user.actor, client_id)
    latest: dict[str, Any] = {}
    for con in consents:
        latest[con.kind] = con
    consent_rows = [{"kind": k, "title": t(title), "text": t(text),
                     "given": latest[k].given if k in latest else None,
                     "date": fmt_date(latest[k].date) if k in latest else "",
                     "version": latest[k].text_version if k in latest else ""}
                    for k, title, text in CONSENTS]
    sessions = [{"id": s.id, "when": fmt_datetime(s.started_at), "status": s.status,
                 "status_name": t(STATUS_NAMES.get(s.status, s.status)),
                 "complaint": s.complaint, "nrs_before": s.nrs_before, "nrs_after": s.nrs_after}
                for s in history]
    links = [{"id": ln.id, "state": ln.state, "state_name": t(LINK_STATES[ln.state]),
              "made": fmt_datetime(ln.created_at), "expires": fmt_datetime(ln.expires_at),
              "used": fmt_datetime(ln.used_at), "revoked": fmt_datetime(ln.revoked_at)}
             for ln in store.intake_links(user.actor, client_id)]
    from knoop.web.aftercare_page import aftercare_context

    return {"c": c, "born": fmt_date(c.date_of_birth), "sessions": sessions,
            "consents": consent_rows, "request_id": str(uuid.uuid4()), "links": links,
            "drafts": sum(1 for s in history if s.status == "draft"),
            **aftercare_context(request, user, client_id)}


@router.get("/clienten/{client_id}")
def client_page(request: Request, client_id: ClientId, user: User = LoggedIn) -> Response:
    return render(request, "clients/page.html", _client_context(request, user, client_id))


@router.post("/clienten/{client_id}/sessies")
def new_session(request: Request, client_id: ClientId, user: User = LoggedIn,
                form: FormData = CsrfForm) -> Response:
    """Start a session. The form carries a UUID, so a double click or a retry after a lost
    answer opens the same session instead of a second one."""
    rid = _form_str(form, "request_id", 64).strip() or None
    s = store_of(request).create_session(user.actor, client_id, status="open", request_id=rid)
    return RedirectResponse(f"/sessies/{s.id}", status_code=303)


@router.post("/clienten/{client_id}/toestemming")
def change_consent(request: Request, client_id: ClientId, user: User = LoggedIn,
                   form: FormData = CsrfForm) -> Response:
    kind = _form_str(form, "kind", 40)
    given = _form_str(form, "given", 5) == "yes"
    store = store_of(request)
    store.get_client(user.actor, client_id)
    if kind not in {k for k, _t, _x in CONSENTS}:
        raise BadInput("kind: unknown consent", field="kind")
    store.record_consent(user.actor, client_id, kind, given, CONSENT_VERSION)
    return RedirectResponse(f"/clienten/{client_id}#toestemming", status_code=303)


TTL_CHOICES = (1, 3, 7, 14)
LinkId = Annotated[int, Path(ge=1, le=MAX_ID)]


@router.post("/clienten/{client_id}/intakelink")
def intake_link(request: Request, client_id: ClientId, user: User = LoggedIn,
                form: FormData = CsrfForm) -> Response:
    """Make a one-time intake link; the token is shown this once (the store keeps a hash)."""
    try:
        days = int(_form_str(form, "ttl_days", 3) or "3")
    except ValueError:
        days = 3
    if days not in TTL_CHOICES:
        days = 3
    store = store_of(request)
    token = store.create_intake_token(user.actor, client_id, dt.timedelta(days=days))
    ctx = _client_context(request, user, client_id)
    base = str(request.base_url).rstrip("/")
    expires = dt.datetime.now(dt.UTC) + dt.timedelta(days=days)
    url = f"{base}/intake/{token}"
    c = ctx["c"]
    ctx.update({"intake_url": url, "intake_expires": fmt_datetime(expires),
                "intake_days": days, "invite": invitation(
                    url, practice=store.practice(user.practice_id).name,
                    expires=fmt_datetime(expires), first_name=c.first_name, email=c.email or "",
                    phone=c.phone or "", therapist=user.name, lang=lang_of(request))})
    return render(request, "clients/page.html", ctx)


@router.post("/clienten/{client_id}/intakelink/{link_id}/intrekken")
def revoke_intake_link(request: Request, client_id: ClientId, link_id: LinkId,
                       user: User = LoggedIn, form: FormData = CsrfForm) -> Response:
    """Revoke an intake link: opening it then shows the same "no longer valid" page as a used
    or expired one. The link must belong to this client (else 404, as for an outsider)."""
    store = store_of(request)
    if link_id not in {ln.id for ln in store.intake_links(user.actor, client_id)}:
        raise NotFound(f"intake link {link_id} not found", field="link_id")
    store.revoke_intake_token(user.actor, link_id)
    return RedirectResponse(f"/clienten/{client_id}#intakelinks", status_code=303)
