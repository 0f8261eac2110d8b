"""Practice administration in the browser, for an admin of the practice: the practice's
details (name, address, AGB code, registration numbers, contact, logo) and its colleagues
(invited with an initial password that follows the password policy, roles changed,
deactivated; never deleted). A therapist gets the same "not allowed" page as for any admin
action; every change goes through the store, scoped to the admin's own practice."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from starlette.datastructures import FormData, UploadFile
from starlette.responses import Response

from knoop.errors import BadInput, Conflict, Forbidden, KnoopError, StaleVersion
from knoop.store import User
from knoop.store.models import ROLES
from knoop.store.practices import LOGO_MAX_BYTES, PRACTICE_FIELDS
from knoop.web.deps import (
    CsrfForm,
    LoggedIn,
    RecordId,
    fmt_date,
    input_error,
    store_of,
    translator,
)
from knoop.web.pages import render

router = APIRouter(include_in_schema=False)
UserId = RecordId


def _(message: str) -> str:
    return message


ROLE_NAMES = {"therapist": _("Therapist"), "admin": _("Admin (manages the practice)")}
SAVED = {"gegevens": _("Practice details saved."), "logo": _("Logo saved."),
         "logo-weg": _("Logo removed."), "rol": _("Role changed."),
         "actief": _("Account reactivated."), "inactief": _("Account deactivated."),
         "welkom": _("Your practice is ready. Fill in its details and invite your colleagues.")}


def _form_str(form: FormData, name: str, max_len: int = 400) -> str:
    v = form.get(name)
    return str(v)[:max_len].strip() if isinstance(v, str) else ""


def _admin(user: User) -> None:
    if user.role != "admin":
        raise Forbidden("only an admin of the practice manages it")


def _page(request: Request, user: User, *, values: dict[str, str] | None = None,
          error: str = "", error_field: str = "", section: str = "", invited: str = "",
          invite: dict[str, str] | None = None, status_code: int = 200) -> Response:
    t = _ = translator(request)
    store = store_of(request)
    p = store.practice(user.practice_id)
    if values is None:
        values = {f: str(getattr(p, f) or "") for f in PRACTICE_FIELDS}
        values["version"] = str(p.version)
    team = [{"id": u.id, "name": u.name, "email": u.email, "role": u.role,
             "role_name": t(ROLE_NAMES[u.role]), "active": u.active,
             "since": fmt_date(u.created_at), "me": u.id == user.id}
            for u in store.users(user.actor)]
    made = request.query_params.get("collega", "")
    invited = invited or next((_(
        "Account made for %(who)s. Give the initial password in person or by phone (never in "
        "the same e-mail as the address); they log in at this address with their e-mail.")
        % {"who": u["name"] or u["email"]} for u in team if str(u["id"]) == made), "")
    return render(request, "practice/page.html", {
        "p": p, "v": values, "error": error, "error_field": error_field, "section": section,
        "team": team, "roles": [(r, t(ROLE_NAMES[r])) for r in ROLES], "invited": invited,
        "invite": invite or {"role": "therapist"}, "logo_kb": LOGO_MAX_BYTES // 1024,
        "saved": t(SAVED[request.query_params.get("opgeslagen", "")])
        if request.query_params.get("opgeslagen", "") in SAVED else "",
        "title": _("Practice"),
    }, status_code=status_code)


@router.get("/praktijk")
def practice_page(request: Request, user: User = LoggedIn) -> Response:
    _admin(user)
    return _page(request, user)


@router.post("/praktijk")
def save_practice(request: Request, user: User = LoggedIn,
                  form: FormData = CsrfForm) -> Response:
    _admin(user)
    _ = translator(request)
    values = {f: _form_str(form, f) for f in PRACTICE_FIELDS}
    values["version"] = _form_str(form, "version", 12)
    version = int(values["version"]) if values["version"].isdigit() else None
    try:
        store_of(request).update_practice(user.actor, expected_version=version,
                                          **{f: values[f] for f in PRACTICE_FIELDS})
    except StaleVersion:
        values["version"] = str(store_of(request).practice(user.practice_id).version)
        return _page(request, user, values=values, section="details", status_code=409,
                     error=_("Someone else changed the practice details in the meantime. "
                             "Your changes are still in the form: check them and save again."))
    except BadInput as exc:
        return _page(request, user, values=values, error=input_error(request, exc),
                     error_field=exc.field or "", section="details", status_code=422)
    return RedirectResponse("/praktijk?opgeslagen=gegevens", status_code=303)


@router.post("/praktijk/logo")
async def upload_logo(request: Request, user: User = LoggedIn,
                      form: FormData = CsrfForm) -> Response:
    """A PNG or JPEG of at most 512 kB, checked by its content (not its name or type)."""
    from starlette.concurrency import run_in_threadpool

    _admin(user)
    upload = form.get("logo")
    data = await upload.read(LOGO_MAX_BYTES + 1) if isinstance(upload, UploadFile) else b""
    try:
        await run_in_threadpool(store_of(request).set_logo, user.actor, data)
    except BadInput as exc:
        return await run_in_threadpool(_page, request, user, error=input_error(request, exc),
                                       error_field="logo", section="logo", status_code=422)
    return RedirectResponse("/praktijk?opgeslagen=logo#logo", status_code=303)


@router.post("/praktijk/logo/verwijderen")
def remove_logo(request: Request, user: User = LoggedIn, form: FormData = CsrfForm) -> Response:
    _admin(user)
    store_of(request).set_logo(user.actor, None)
    return RedirectResponse("/praktijk?opgeslagen=logo-weg#logo", status_code=303)


@router.get("/praktijk/logo")
def logo(request: Request, user: User = LoggedIn) -> Response:
    """The logo of the user's own practice (any colleague may see it)."""
    from knoop.errors import NotFound

    found = store_of(request).practice_logo(user.practice_id)
    if found is None:
        raise NotFound("no logo", field="logo")
    data, media = found
    return Response(data, media_type=media, headers={"Cache-Control": "private, max-age=60"})


@router.post("/praktijk/collegas")
def invite(request: Request, user: User = LoggedIn, form: FormData = CsrfForm) -> Response:
    """A colleague's account with an initial password (the password policy applies), which the
    admin passes on in person or by phone; the colleague can change it later."""
    _admin(user)
    _ = translator(request)
    values = {"name": _form_str(form, "invite_name", 200),
              "email": _form_str(form, "invite_email", 254),
              "role": _form_str(form, "invite_role", 20)}
    password = str(form.get("invite_password") or "")[:1024]
    try:
        u = store_of(request).create_user(user.practice_id, values["email"],
                                          values["role"] or "therapist", password,
                                          name=values["name"], actor=user.actor)
    except (BadInput, Conflict) as exc:
        return _page(request, user, invite=values, error=input_error(request, exc),
                     error_field="invite_" + (exc.field or ""), section="team",
                     status_code=422 if isinstance(exc, BadInput) else 409)
    return RedirectResponse(f"/praktijk?collega={u.id}#team", status_code=303)


def _user_change(request: Request, user: User, work: Any, saved: str) -> Response:
    try:
        work()
    except KnoopError as exc:
        if not isinstance(exc, (BadInput, Conflict)) or exc.http_status == 404:
            raise
        return _page(request, user, error=input_error(request, exc), section="team",
                     status_code=409)
    return RedirectResponse(f"/praktijk?opgeslagen={saved}#team", status_code=303)


@router.post("/praktijk/collegas/{user_id}/rol")
def change_role(request: Request, user_id: UserId, user: User = LoggedIn,
                form: FormData = CsrfForm) -> Response:
    _admin(user)
    role = _form_str(form, "role", 20)
    return _user_change(request, user,
                        lambda: store_of(request).set_role(user.actor, user_id, role), "rol")


@router.post("/praktijk/collegas/{user_id}/actief")
def change_active(request: Request, user_id: UserId, user: User = LoggedIn,
                  form: FormData = CsrfForm) -> Response:
    """Deactivate (or reactivate) an account: a deactivated colleague is logged out at once
    and cannot log in; their records and access-log entries stay."""
    _admin(user)
    active = _form_str(form, "active", 5) == "yes"
    return _user_change(request, user,
                        lambda: store_of(request).set_active(user.actor, user_id, active),
                        "actief" if active else "inactief")
