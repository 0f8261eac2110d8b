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

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse
from starlette.datastructures import FormData
from starlette.responses import Response

from knoop.errors import BadInput, ConsentMissing, DuplicateClient, NotFound, StaleVersion
from knoop.store import Store, User
from knoop.web.deps import (
    CsrfForm,
    LoggedIn,
    RecordId,
    fmt_date,
    fmt_datetime,
    input_error,
    local_time,
    store_of,
    translator,
)
from knoop.web.intake import screening_flags
from knoop.web.invitation import invitation
from knoop.web.pages import lang_of, render

router = APIRouter(include_in_schema=False)
ClientId = RecordId
PageNo = Annotated[int, Query(ge=1, le=1_000_000)]
#: Sessions per page on the client page (its timeline).
SESSIONS_PER_PAGE = 50

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


def today(store: Store) -> dt.date:
    """Today in the practice's time zone, by the store's clock (never ``date.today()``)."""
    return local_time(store.clock()).date()


def duplicates_of(request: Request, user: User, exc: DuplicateClient) -> list[dict[str, Any]]:
    """The clients a duplicate warning names (each read is access-logged)."""
    store = store_of(request)
    out = []
    for cid in exc.allowed or []:
        c = store.get_client(user.actor, int(cid))
        out.append({"id": c.id, "name": c.display_name, "born": fmt_date(c.date_of_birth)})
    return out


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
             "changed": fmt_date(c.last_change), "consent": c.treatment_consent}
            for c in found]
    waiting = [{"session_id": d.session_id, "client_id": d.client_id, "name": d.client_name,
                "when": fmt_datetime(d.started_at), "flags": screening_flags(d.screening, lang)}
               for d in store.waiting_intakes(user.actor, limit=50)]
    return render(request, "clients/list.html", {
        "q": q, "rows": rows, "error": error, "title": _("Clients"), "waiting": waiting})


def _new_form(request: Request, values: dict[str, str], error: str = "", field: str = "",
              status_code: int = 200, duplicates: list[dict[str, Any]] | None = None
              ) -> Response:
    t = _ = translator(request)
    values.setdefault("request_id", str(uuid.uuid4()))
    return render(request, "clients/new.html", {
        "v": values, "error": error, "error_field": field, "duplicates": duplicates or [],
        "consents": [(k, t(title), t(text)) for k, title, text in CONSENTS],
        "consent_version": CONSENT_VERSION, "today": today(store_of(request)).isoformat(),
    }, status_code=status_code)


@router.get("/clienten/nieuw")
def new_client_form(request: Request, user: User = LoggedIn) -> Response:
    return _new_form(request, {"consent_date": today(store_of(request)).isoformat()})


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
    confirmed = _form_str(form, "confirm_duplicate", 5) == "yes"
    now = today(store)
    try:
        try:
            day = dt.date.fromisoformat(values["consent_date"] or now.isoformat())
        except ValueError:
            raise BadInput("consent_date: not a date", field="consent_date",
                           kind="not_date") from None
        if day > now + dt.timedelta(days=1):
            raise BadInput("consent_date: in the future", field="consent_date", kind="future")
        if day.year < 1990:
            raise BadInput("consent_date: not a date", field="consent_date", kind="not_date")
        consents = [{"kind": kind, "given": True, "text_version": CONSENT_VERSION, "date": day}
                    for kind, ok in given.items() if ok]
        c = store.create_client(user.actor, consents=consents, request_id=rid or None,
                                allow_duplicate=confirmed,
                                **{k: v for k, v in values.items() if k in CLIENT_FIELDS})
    except DuplicateClient as exc:
        return _new_form(request, values, status_code=409,
                         duplicates=duplicates_of(request, user, exc))
    except BadInput as exc:
        field = "consent_date" if (exc.field or "").startswith("consents") else exc.field
        return _new_form(request, values, input_error(request, exc), field or "",
                         status_code=422)
    return RedirectResponse(f"/clienten/{c.id}?opgeslagen=nieuw", status_code=303)


def _client_context(request: Request, user: User, client_id: int,
                    page: int = 1) -> dict[str, Any]:
    t = _ = translator(request)
    o = store_of(request).client_overview(user.actor, client_id, page=page,
                                          per_page=SESSIONS_PER_PAGE)  # outsider: 404
    c = o.client
    latest: dict[str, Any] = {}
    for con in o.consents:
        latest[con.kind] = con
    consent_rows = [{"kind": k, "title": t(title), "text": t(text),
                     "given": latest[k].given if k in latest else None,
                     "date": fmt_date(latest[k].date) if k in latest else "",
                     "version": latest[k].text_version if k in latest else ""}
                    for k, title, text in CONSENTS]
    sessions = [{"id": s.id, "when": fmt_datetime(s.started_at), "status": s.status,
                 "status_name": t(STATUS_NAMES.get(s.status, s.status)),
                 "complaint": s.complaint, "nrs_before": s.nrs_before, "nrs_after": s.nrs_after}
                for s in o.sessions]
    links = [{"id": ln.id, "state": ln.state, "state_name": t(LINK_STATES[ln.state]),
              "made": fmt_datetime(ln.created_at), "expires": fmt_datetime(ln.expires_at),
              "used": fmt_datetime(ln.used_at), "revoked": fmt_datetime(ln.revoked_at)}
             for ln in o.links]
    pages = max(1, -(-o.total // SESSIONS_PER_PAGE))
    from knoop.web.aftercare_page import aftercare_context

    treatment = latest.get("treatment")
    saved = {"nieuw": _("Client saved."), "ja": _("Saved."),
             "toestemming": _("Consent recorded.")}
    return {"c": c, "born": fmt_date(c.date_of_birth), "sessions": sessions,
            "consents": consent_rows, "request_id": str(uuid.uuid4()), "links": links,
            "drafts": o.drafts, "page": page, "pages": pages, "total": o.total,
            "treatment_consent": treatment.given if treatment else None,
            "treatment_text": t(CONSENTS[0][2]), "consent_version": CONSENT_VERSION,
            "saved": saved.get(request.query_params.get("opgeslagen", ""), ""),
            "consent_needed": request.query_params.get("toestemming") == "nodig",
            **aftercare_context(request, o.aftercare_links)}


@router.get("/clienten/{client_id}")
def client_page(request: Request, client_id: ClientId, pagina: PageNo = 1,
                user: User = LoggedIn) -> Response:
    """The client page; its sessions come 50 at a time, newest first (``?pagina=2``...)."""
    return render(request, "clients/page.html",
                  _client_context(request, user, client_id, pagina))


def _edit_form(request: Request, client_id: int, values: dict[str, str], *, error: str = "",
               field: str = "", status_code: int = 200,
               duplicates: list[dict[str, Any]] | None = None) -> Response:
    return render(request, "clients/edit.html", {
        "client_id": client_id, "v": values, "error": error, "error_field": field,
        "duplicates": duplicates or [], "today": today(store_of(request)).isoformat(),
    }, status_code=status_code)


@router.get("/clienten/{client_id}/bewerken")
def edit_client_form(request: Request, client_id: ClientId, user: User = LoggedIn) -> Response:
    c = store_of(request).get_client(user.actor, client_id)  # 404 for an outsider
    values = {f: str(getattr(c, f) or "") for f in CLIENT_FIELDS}
    values["version"] = str(c.version)
    return _edit_form(request, client_id, values)


@router.post("/clienten/{client_id}/bewerken")
def edit_client(request: Request, client_id: ClientId, user: User = LoggedIn,
                form: FormData = CsrfForm) -> Response:
    """Change every detail of a client in one versioned store call (a change made meanwhile
    in another window is not overwritten); the same name and date of birth as another client
    asks first; "opgeslagen" confirms."""
    _ = translator(request)
    store = store_of(request)
    store.get_client(user.actor, client_id)  # 404 before anything else for an outsider
    values = {f: _form_str(form, f, 300).strip() for f in CLIENT_FIELDS}
    values["version"] = _form_str(form, "version", 12).strip()
    confirmed = _form_str(form, "confirm_duplicate", 5) == "yes"
    version = int(values["version"]) if values["version"].isdigit() else None
    try:
        store.update_client(user.actor, client_id, expected_version=version,
                            allow_duplicate=confirmed,
                            **{k: (v or None) if k == "date_of_birth" else v
                               for k, v in values.items() if k in CLIENT_FIELDS})
    except StaleVersion:
        c = store.get_client(user.actor, client_id)
        values["version"] = str(c.version)
        return _edit_form(request, client_id, values, status_code=409, error=_(
            "Someone else changed this client in the meantime. Your changes are still in the "
            "form: check them and save again."))
    except DuplicateClient as exc:
        return _edit_form(request, client_id, values, status_code=409,
                          duplicates=duplicates_of(request, user, exc))
    except BadInput as exc:
        return _edit_form(request, client_id, values, error=input_error(request, exc),
                          field=exc.field or "", status_code=422)
    return RedirectResponse(f"/clienten/{client_id}?opgeslagen=ja", status_code=303)


@router.post("/clienten/{client_id}/sessies")
def new_session(request: Request, client_id: ClientId, user: User = LoggedIn,
                form: FormData = CsrfForm) -> Response:
    """Start a session. The form carries a UUID, so a double click or a retry after a lost
    answer opens the same session instead of a second one. Without the client's treatment
    consent the store refuses; the client page then asks for it, right there."""
    rid = _form_str(form, "request_id", 64).strip() or None
    try:
        s = store_of(request).create_session(user.actor, client_id, status="open",
                                             request_id=rid, require_consent=True)
    except ConsentMissing:
        return RedirectResponse(f"/clienten/{client_id}?toestemming=nodig#toestemming-nodig",
                                status_code=303)
    return RedirectResponse(f"/sessies/{s.id}", status_code=303)


@router.post("/clienten/{client_id}/toestemming")
def change_consent(request: Request, client_id: ClientId, user: User = LoggedIn,
                   form: FormData = CsrfForm) -> Response:
    """Record a consent as given or withdrawn. With ``then=session`` (the consent gate of
    "Start session") the session starts right after; with ``then=/sessies/<id>`` (the gate on
    the session page) the therapist goes back to that session."""
    kind = _form_str(form, "kind", 40)
    given = _form_str(form, "given", 5) == "yes"
    then = _form_str(form, "then", 40)
    store = store_of(request)
    store.get_client(user.actor, client_id)
    if kind not in {k for k, _t, _x in CONSENTS}:
        raise BadInput("kind: unknown consent", field="kind")
    store.record_consent(user.actor, client_id, kind, given, CONSENT_VERSION)
    if then == "session" and kind == "treatment" and given:
        rid = _form_str(form, "request_id", 64).strip() or None
        s = store.create_session(user.actor, client_id, status="open", request_id=rid,
                                 require_consent=True)
        return RedirectResponse(f"/sessies/{s.id}", status_code=303)
    if then.startswith("/sessies/") and then[9:].isdigit():
        return RedirectResponse(then, status_code=303)
    return RedirectResponse(f"/clienten/{client_id}?opgeslagen=toestemming#toestemming",
                            status_code=303)


TTL_CHOICES = (1, 3, 7, 14)
LinkId = RecordId


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
    expires = store.clock() + dt.timedelta(days=days)
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
