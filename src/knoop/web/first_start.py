"""The first start of a fresh installation in the browser: while no user exists, ``/start``
asks for the first practice and its admin (instead of ``knoop user create``); afterwards it is
gone (a 404), and of two racing first starts the store lets exactly one through. The admin is
logged in right away and lands on the practice page."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from starlette.datastructures import FormData
from starlette.responses import Response

from knoop.errors import AuthError, BadInput, Conflict, NotFound
from knoop.web.deps import (
    SESSION_COOKIE,
    SESSION_HOURS,
    CsrfForm,
    input_error,
    set_cookie,
    store_of,
    translator,
)
from knoop.web.pages import render

router = APIRouter(include_in_schema=False)
FIELDS = ("practice_name", "city", "admin_name", "email")


def _closed() -> NotFound:
    return NotFound("the first start is done", field="setup")


def _form(request: Request, values: dict[str, str], error: str = "", field: str = "",
          status_code: int = 200) -> Response:
    _ = translator(request)
    return render(request, "auth/first_start.html", {
        "v": values, "error": error, "error_field": field, "title": _("Start your practice")},
        status_code=status_code)


@router.get("/start")
def first_start_form(request: Request) -> Response:
    if not store_of(request).needs_setup():
        raise _closed()
    return _form(request, {})


@router.post("/start")
def first_start(request: Request, form: FormData = CsrfForm) -> Response:
    store = store_of(request)
    if not store.needs_setup():
        raise _closed()
    values = {f: str(form.get(f) or "").strip()[:254] for f in FIELDS}
    password = str(form.get("password") or "")[:1024]
    again = str(form.get("password_again") or "")[:1024]
    _ = translator(request)
    if password != again:
        return _form(request, values, _("Password: the two passwords are not the same."),
                     "password", status_code=422)
    try:
        user = store.first_start(practice={"name": values["practice_name"],
                                           "city": values["city"]},
                                 email=values["email"], password=password,
                                 name=values["admin_name"])
    except Conflict:
        raise _closed() from None
    except BadInput as exc:
        field = "practice_name" if exc.field == "name" else (exc.field or "")
        if exc.field == "name":
            exc.field = "practice_name"
        return _form(request, values, input_error(request, exc), field, status_code=422)
    ip = request.client.host if request.client else ""
    try:
        token, _u = store.login_password(user.email, password, ip)
    except AuthError:  # cannot happen with the password just set; then log in by hand
        return RedirectResponse("/inloggen", status_code=303)
    resp = RedirectResponse("/praktijk?opgeslagen=welkom", status_code=303)
    set_cookie(request, resp, SESSION_COOKIE, token, max_age=SESSION_HOURS * 3600)
    return resp
