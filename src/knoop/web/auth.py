"""Login (e-mail + password, then the 6-digit code when the user turned on the second factor),
logout and the home page.

The store does the checking (argon2id, throttling per account and per IP, single-use TOTP
codes, the access log); this module only turns its answers into Dutch pages. Between the two
login steps the browser holds only the random token of the store's pending-login record (5
minutes, ``SameSite=Strict``, path ``/inloggen``); the password is never kept anywhere.
The client address is the connection's: ``X-Forwarded-For`` counts only when ``knoop serve``
was told to trust the proxy (``KNOOP_TRUSTED_PROXIES``).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from starlette.datastructures import FormData
from starlette.responses import Response

from knoop.errors import AuthError
from knoop.web.deps import (
    SESSION_COOKIE,
    SESSION_HOURS,
    CsrfForm,
    current_user,
    session_token,
    set_cookie,
    store_of,
    translator,
)
from knoop.web.pages import render

router = APIRouter(include_in_schema=False)
PENDING_COOKIE = "knoop_2fa"
PENDING_SECONDS = 300


def _safe_next(target: str | None) -> str:
    """Only a local path may be the place to go after login (no open redirect)."""
    if target and target.startswith("/") and not target.startswith("//") and \
            "\\" not in target and not target.startswith("/inloggen"):
        return target
    return "/clienten"


def _ip(request: Request) -> str:
    return request.client.host if request.client else ""


def _message(request: Request, exc: AuthError) -> str:
    _ = translator(request)
    if "too many" in exc.message:
        return _("Too many failed attempts. For your safety this login is blocked for "
                 "15 minutes; try again later.")
    return _("Wrong e-mail address, password or code.")


@router.get("/")
def home(request: Request) -> Response:
    """Logged in: the client list; otherwise the login page."""
    if session_token(request) and current_user(request) is not None:
        return RedirectResponse("/clienten", status_code=303)
    if store_of(request).needs_setup():  # a fresh installation: make the first practice
        return RedirectResponse("/start", status_code=303)
    return RedirectResponse("/inloggen", status_code=303)


def _login_page(request: Request, *, error: str = "", email: str = "", step: str = "password",
                status_code: int = 200, target: str = "") -> Response:
    _ = translator(request)
    notice = ""
    if request.query_params.get("verlopen"):
        notice = _("Your session has expired. Please log in again.")
    elif request.query_params.get("uitgelogd"):
        notice = _("You are logged out.")
    return render(request, "auth/login.html", {
        "error": error, "notice": notice, "email": email, "step": step,
        "target": target or request.query_params.get("volgende", ""),
    }, status_code=status_code)


@router.get("/inloggen")
def login_form(request: Request) -> Response:
    if session_token(request) and current_user(request) is not None:
        return RedirectResponse(_safe_next(request.query_params.get("volgende")), 303)
    if store_of(request).needs_setup():
        return RedirectResponse("/start", status_code=303)
    return _login_page(request)


def _logged_in(request: Request, token: str, target: str) -> Response:
    resp = RedirectResponse(_safe_next(target), status_code=303)
    set_cookie(request, resp, SESSION_COOKIE, token, max_age=SESSION_HOURS * 3600)
    resp.delete_cookie(PENDING_COOKIE, path="/inloggen")
    return resp


@router.post("/inloggen")
def login(request: Request, form: FormData = CsrfForm) -> Response:
    _ = translator(request)
    email = str(form.get("email") or "").strip()[:254]
    password = str(form.get("password") or "")[:1024]
    target = str(form.get("volgende") or "")
    if not email or not password:
        return _login_page(request, error=_("Fill in your e-mail address and password."),
                           email=email, status_code=422, target=target)
    try:
        token, user = store_of(request).login_password(email, password, _ip(request))
    except AuthError as exc:
        status = 429 if "too many" in exc.message else 401
        return _login_page(request, error=_message(request, exc), email=email,
                           status_code=status, target=target)
    if user is None:  # password right, second factor needed: token of the pending login
        resp = _login_page(request, email=email, step="code", target=target)
        set_cookie(request, resp, PENDING_COOKIE, token, max_age=PENDING_SECONDS,
                   path="/inloggen", samesite="strict")
        return resp
    return _logged_in(request, token, target)


@router.post("/inloggen/code")
def login_code(request: Request, form: FormData = CsrfForm) -> Response:
    _ = translator(request)
    target = str(form.get("volgende") or "")
    pending = request.cookies.get(PENDING_COOKIE, "")
    too_long = _("The login step took too long. Please start again.")
    if not pending:
        return _login_page(request, error=too_long, status_code=401, target=target)
    code = "".join(str(form.get("code") or "").split())[:12]
    if not code.isdigit() or len(code) != 6:
        return _login_page(request, error=_("Enter the 6-digit code from your authenticator "
                                            "app."), step="code", status_code=422,
                           target=target)
    try:
        token, _user = store_of(request).login_code(pending, code, _ip(request))
    except AuthError as exc:
        if exc.field == "pending":
            return _login_page(request, error=too_long, status_code=401, target=target)
        status = 429 if "too many" in exc.message else 401
        step = "password" if status == 429 else "code"
        return _login_page(request, error=_message(request, exc), step=step,
                           status_code=status, target=target)
    return _logged_in(request, token, target)


@router.post("/uitloggen")
def logout(request: Request, form: FormData = CsrfForm) -> Response:
    token = session_token(request)
    if token:
        store_of(request).logout(token)
    resp = RedirectResponse("/inloggen?uitgelogd=1", status_code=303)
    resp.delete_cookie(SESSION_COOKIE, path="/")
    return resp
