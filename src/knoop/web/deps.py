"""Web plumbing shared by the app's routers: the records store, the logged-in user, CSRF
tokens, cookies and the translator of the request.

* **Login session.** The cookie ``knoop_session`` holds the store's login token (256-bit random,
  stored only as sha256 by :mod:`knoop.store`); ``HttpOnly; SameSite=Lax``, ``Secure`` when the
  request came over https. The store decides whether it is still valid (12 h, 30 minutes
  idle, logout, a deactivated user), so every app process sees the same truth.
* **CSRF.** Every POST must carry a token in the form field ``csrf`` or, for our JavaScript's
  JSON requests, in the header ``X-CSRF-Token``. The token is ``HMAC(server key, login token)``
  when logged in, else ``HMAC(server key, pre-session cookie)`` (a random ``knoop_pre`` cookie
  set on the first visit), so it is per session, never stored, and useless on another browser.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from threading import Lock
from typing import Annotated, Any, Literal

from fastapi import Depends, Path, Request
from starlette.datastructures import FormData
from starlette.responses import Response

from knoop.errors import CsrfError, KnoopError, LoginRequired
from knoop.store import Store, User
from knoop.web.i18n import lang_of, translations

SESSION_COOKIE = "knoop_session"
PRE_COOKIE = "knoop_pre"
CSRF_FIELD = "csrf"
CSRF_HEADER = "x-csrf-token"
SESSION_HOURS = 12  # the store's login-session lifetime (knoop.store.authentication.SESSION_TTL)


@dataclass
class WebState:
    """What the app holds: how to reach the store, the server key and cookie policy."""

    store_source: Store | str | None = None
    secret: bytes | None = None
    cookie_secure: str = "auto"
    _store: Store | None = field(default=None, repr=False)
    _lock: Lock = field(default_factory=Lock, repr=False)

    @property
    def store(self) -> Store:
        """The store, opened on first use (so pages that need no records never touch it)."""
        if self._store is None:
            with self._lock:
                if self._store is None:
                    src = self.store_source
                    if isinstance(src, Store):
                        self._store = src
                    else:
                        import datetime as dt

                        from knoop.settings import load

                        settings = load()
                        self._store = Store(
                            src if src is not None else settings.database_url,
                            audit_key=settings.audit_key(),
                            audit_anchor=settings.audit_anchor,
                            idle_timeout=dt.timedelta(minutes=settings.idle_minutes))
        return self._store

    def database_ok(self) -> bool:
        """Whether the records database answers a ``SELECT 1`` (for ``/healthz``)."""
        try:
            with self.store.engine.connect() as conn:
                conn.exec_driver_sql("SELECT 1")
            return True
        except Exception:  # noqa: BLE001 - any failure means: not available
            return False

    def key(self) -> bytes:
        if self.secret is None:
            with self._lock:
                if self.secret is None:
                    from knoop.settings import load

                    self.secret = load().secret_key()
        return self.secret


def web(request: Request) -> WebState:
    return request.app.state.knoop


def store_of(request: Request) -> Store:
    return web(request).store


# ------------------------------------------------------------------------------ translation
def translator(request: Request) -> Callable[[str], str]:
    return translations(lang_of(request)).gettext


# ------------------------------------------------------------------------------ cookies
def is_https(request: Request) -> bool:
    return request.url.scheme == "https"


def set_cookie(request: Request, response: Response, name: str, value: str, *,
               max_age: int | None, path: str = "/",
               samesite: Literal["lax", "strict", "none"] = "lax") -> None:
    policy = web(request).cookie_secure
    secure = policy == "on" or (policy == "auto" and is_https(request))
    response.set_cookie(name, value, max_age=max_age, path=path, httponly=True,
                        samesite=samesite, secure=secure)


# ------------------------------------------------------------------------------ the user
def session_token(request: Request) -> str:
    return request.cookies.get(SESSION_COOKIE, "")


def current_user(request: Request) -> User | None:
    """The logged-in user, or None; looked up once per request."""
    if hasattr(request.state, "user"):
        return request.state.user
    token = session_token(request)
    user = store_of(request).user_for_token(token) if token else None
    request.state.user = user
    return user


def require_user(request: Request) -> User:
    user = current_user(request)
    if user is None:
        raise LoginRequired(expired=bool(session_token(request)))
    return user


# ------------------------------------------------------------------------------ CSRF
def csrf_basis(request: Request) -> str:
    token = session_token(request)
    if token:
        return "s:" + token
    pre = request.cookies.get(PRE_COOKIE) or getattr(request.state, "pre", "")
    if not pre:  # the middleware sets it on the response of this request
        pre = secrets.token_urlsafe(24)
        request.state.pre = pre
    return "p:" + pre


def csrf_token(request: Request) -> str:
    return hmac.new(web(request).key(), csrf_basis(request).encode("utf-8"),
                    hashlib.sha256).hexdigest()


def check_csrf(request: Request, supplied: Any) -> None:
    if not isinstance(supplied, str) or not supplied or \
            not hmac.compare_digest(supplied, csrf_token(request)):
        raise CsrfError("missing or wrong CSRF token: reload the page and try again",
                        field=CSRF_FIELD)


async def csrf_form(request: Request) -> FormData:
    """Dependency of every form POST: the form, after checking its CSRF token."""
    try:
        form = await request.form()
    except Exception:  # noqa: BLE001 - a malformed body is just a missing token
        form = FormData()
    check_csrf(request, form.get(CSRF_FIELD) or request.headers.get(CSRF_HEADER))
    return form


def csrf_header(request: Request) -> None:
    """Dependency of every JSON POST from our JavaScript."""
    check_csrf(request, request.headers.get(CSRF_HEADER))


CsrfForm = Depends(csrf_form)
CsrfHeader = Depends(csrf_header)
LoggedIn = Depends(require_user)


def ensure_pre_cookie(request: Request, response: Response) -> None:
    """Called by the app middleware: keep the pre-session cookie the CSRF token was made on."""
    pre = getattr(request.state, "pre", "")
    if pre and not request.cookies.get(PRE_COOKIE):
        set_cookie(request, response, PRE_COOKIE, pre, max_age=None)


# ------------------------------------------------------------------------------ display
def local_time(moment: Any) -> Any:
    """Store times are naive UTC; show them in Dutch local time."""
    import datetime as dt

    from knoop.vocabulary import LOCAL_TZ

    if moment is None:
        return None
    if isinstance(moment, dt.datetime):
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=dt.UTC)
        return moment.astimezone(LOCAL_TZ)
    return moment


def fmt_datetime(moment: Any) -> str:
    m = local_time(moment)
    return m.strftime("%d-%m-%Y %H:%M") if m is not None else ""


def fmt_date(moment: Any) -> str:
    m = local_time(moment)
    return m.strftime("%d-%m-%Y") if m is not None else ""


#: Path parameter bounds for database IDs: a huge number is a 404/422, never an overflow.
MAX_ID = 2**53
#: A database ID in a URL path (client, session, user, link, treatment), within those bounds.
RecordId = Annotated[int, Path(ge=1, le=MAX_ID)]


def _(message: str) -> str:
    """Mark a message for the catalogs; translated at use with :func:`translator`."""
    return message


#: Form and JSON field names -> the label the user sees (error messages name it).
FIELD_LABELS = {
    "first_name": _("First name"), "infix": _("Infix"), "last_name": _("Last name"),
    "date_of_birth": _("Date of birth"), "email": _("E-mail address"), "phone": _("Phone"),
    "gp_name": _("GP (general practitioner)"), "complaint": _("Main complaint"),
    "nrs_before": _("Pain now (NRS 0–10)"), "nrs_after": _("Pain after treatment (NRS 0–10)"),
    "symptoms": _("Other complaints"), "causes": _("Likely causes"),
    "screening": _("Red flags: screening questions"), "strokes": _("Drawing"),
    "drawing": _("Drawing"),
    "regions": _("Drawing"), "painmap": _("Drawing"), "exclude": _("Drawing"),
    "next_appointment": _("Next appointment"), "muscle": _("Muscle"), "side": _("Side"),
    "result": _("Finding"), "trigger_point": _("Trigger point"),
    "technique": _("Technique"), "duration_min": _("Duration (minutes)"),
    "pressure_tolerance": _("Pressure tolerance"), "note": _("Remark"),
    "subjective": _("S: subjective"), "objective": _("O: objective"),
    "assessment": _("A: assessment"), "plan": _("P: plan"), "status": _("Status"),
    "consent_date": _("Date of consent"), "ttl_days": _("Valid for"),
    "q": _("Search"), "flags": _("Red flags"), "override": _("Reason to treat anyway"),
    "password": _("Password"),
    "name": _("Name"), "address": _("Address"), "postcode": _("Postcode"), "city": _("City"),
    "agb_code": _("AGB code"), "registration": _("Registration numbers"),
    "website": _("Website"), "logo": _("Logo"), "role": _("Role"), "admin_name": _("Your name"),
    "active": _("Account"),
    "practice_name": _("Practice name"), "consent": _("Consent"),
    "nrs": _("Pain now (NRS 0–10)"), "exercises_done": _("Exercises done"),
    "much_worse": _("Much worse"), "idle_days": _("Stops after unused for"),
}


def field_label(request: Request, field: str | None) -> str:
    t = _ = translator(request)
    base = (field or "").split("[")[0].split(".")[0]
    return t(FIELD_LABELS[base]) if base in FIELD_LABELS else (field or "")


#: What is wrong, in words, by :attr:`knoop.errors.KnoopError.kind` ("%s": the limit).
KIND_TEXT = {
    "required": _("this field is required"), "too_long": _("at most %s characters"),
    "characters": _("contains characters that are not allowed"),
    "not_date": _("not a valid date"), "date_range": _("not a valid date"),
    "email": _("not a valid e-mail address"),
    "range": _("enter a whole number in the allowed range"),
    "closed": _("the session is closed; reopen it first"),
    "empty_intake": _("nothing has been filled in yet. Draw where it hurts or describe your "
                      "complaint, then send again; your link still works"),
    "reason_required": _("write why you treat despite this emergency sign "
                         "(at least 10 characters)"),
    "password_common": _("this password is too common or too easy to guess; choose a sentence "
                         "of a few words, at least 12 characters"),
    "password_short": _("a password needs at least 12 characters; a sentence of a few words is "
                        "easiest to remember"),
    "future": _("{label} is in the future"),
    "postcode": _("a Dutch postcode is four digits and two letters, such as 3511 AB"),
    "agb_code": _("an AGB code is 8 digits"),
    "phone": _("only digits, spaces, +, ( ) and -"),
    "website": _("a web address such as www.praktijk.nl"),
    "logo_type": _("only a PNG or JPEG image"),
    "logo_size": _("at most %s kB"),
    "last_admin": _("the practice needs at least one active admin"),
    "exists": _("is already in use by another account"),
    "consent_missing": _("record the client's treatment consent first"),
}


def input_error(request: Request, exc: KnoopError) -> str:
    """A Dutch (or English) message for bad input that names the field, chosen by the
    error's ``kind`` (never by its English text)."""
    _ = translator(request)
    label = field_label(request, exc.field)
    template = KIND_TEXT.get(exc.kind)
    if template is None:
        detail = exc.message.split(": ", 1)[-1] if exc.field else exc.message
        text = _("this value is not valid") + f" ({detail})"
    elif "{label}" in template:  # a whole sentence: "Geboortedatum ligt in de toekomst"
        return _(template).replace("{label}", label or _("This value"))
    elif exc.kind == "range" and exc.allowed and all(a.isdigit() for a in exc.allowed):
        text = _("enter a whole number from %(lo)s to %(hi)s") % {
            "lo": exc.allowed[0], "hi": exc.allowed[-1]}
    elif "%s" in template:
        text = _(template) % (exc.limit if exc.limit is not None else "")
    else:
        text = _(template)
    return f"{label}: {text}" if label else text
