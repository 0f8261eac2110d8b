"""The one middleware around the whole app, written as plain ASGI (no per-request task).

In order, for every HTTP request:

1. **Request ID.** A random ID in ``request.state.request_id``, sent back as ``X-Request-ID``
   and shown on every error page and in every JSON error, so a therapist's report of "it went
   wrong" can be found in the server log.
2. **Body limit.** A body over the route's limit (:func:`body_limit`) is refused with 413
   before it is read: by its ``Content-Length`` at once, or, for a chunked body, as soon as the
   bytes received pass the limit. This runs before login, CSRF and JSON parsing.
3. **Security headers** on every response (CSP, nosniff, frame and referrer policy; HSTS when
   the request came over https), and ``Cache-Control: no-store`` on anything a logged-in user
   or an intake or aftercare link sees.
4. **Last line of defence.** An exception nobody handled is logged with its traceback and the
   request ID, and answered with a friendly 500 page (or the JSON error shape under ``/api/``);
   a database that does not answer gives 503 instead. Never a traceback page.
"""

from __future__ import annotations

import logging
import re
import secrets
from collections.abc import Awaitable, Callable

from sqlalchemy.exc import DisconnectionError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("knoop.web")

KIB = 1024
MIB = 1024 * KIB
#: Body limits in bytes, by path prefix (first match wins); see docs/web.md.
BODY_LIMITS: tuple[tuple[str, int], ...] = (
    ("/api/v1/rank", 1 * MIB),
    ("/api/v1/drawing", 1 * MIB),
    ("/api/v1/sessions/", 4 * MIB),
    ("/intake/", 4 * MIB),
    ("/praktijk/logo", 1 * MIB),  # a logo of at most 512 kB, as multipart
    ("/nazorg/", 1 * MIB),
)
#: Every other request (login and record forms, GETs).
DEFAULT_BODY_LIMIT = 256 * KIB

CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
]
HSTS = (b"strict-transport-security", b"max-age=31536000; includeSubDomains")
#: The secret part of an intake or aftercare link, wherever a path is logged.
INTAKE_TOKEN = re.compile(r"(/intake/|/nazorg/)[^/?#\s\"]+")

#: Errors that mean the database cannot be reached (503), not that knoop is wrong (500).
DATABASE_DOWN = (OperationalError, InterfaceError, DisconnectionError, PoolTimeout)

ErrorRenderer = Callable[[Request, int, str], Response]
CookieHook = Callable[[Request, Response], None]


def redact(text: str) -> str:
    """``text`` with every intake- or aftercare-link token replaced by ``[redacted]``."""
    return INTAKE_TOKEN.sub(r"\1[redacted]", text)


class RedactIntakeTokens(logging.Filter):
    """A logging filter for uvicorn's access log (and any other): intake-link tokens never
    reach a log file."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        elif isinstance(record.msg, str):
            record.msg = redact(record.msg)
        return True


def body_limit(path: str) -> int:
    """The largest request body, in bytes, that ``path`` accepts."""
    for prefix, limit in BODY_LIMITS:
        if path.startswith(prefix):
            return limit
    return DEFAULT_BODY_LIMIT


def _database_down(exc: BaseException) -> bool:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, DATABASE_DOWN):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


class Guard:
    """The ASGI middleware described in the module docstring.

    ``render_error(request, status, code)`` makes the error response (a page, or JSON under
    ``/api/``); ``on_response(request, response_headers)`` may add cookies (the CSRF
    pre-session cookie)."""

    def __init__(self, app: ASGIApp, *, render_error: ErrorRenderer,
                 on_response: CookieHook | None = None) -> None:
        self.app = app
        self.render_error = render_error
        self.on_response = on_response

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = secrets.token_hex(8)
        scope.setdefault("state", {})["request_id"] = request_id
        path: str = scope.get("path", "")
        shown_path = redact(path)
        limit = body_limit(path)
        request = Request(scope)

        received = 0
        too_large = False

        async def counted() -> Message:
            nonlocal received, too_large
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    too_large = True  # whatever the app answers now is replaced by a 413
                    # an HTTPException, so FastAPI's body parsing lets it through instead of
                    # calling it a parse error
                    raise HTTPException(413)
            return message

        started = False
        replacing = False
        no_store = bool(request.cookies.get("knoop_session")) or \
            path.startswith(("/intake/", "/nazorg/"))

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if too_large and not replacing:
                return  # the app's answer to a body it could not finish reading
            if message["type"] == "http.response.start":
                started = True
                headers: list[tuple[bytes, bytes]] = list(message.get("headers", []))
                headers.extend(SECURITY_HEADERS)
                if scope.get("scheme") == "https":
                    headers.append(HSTS)
                headers.append((b"x-request-id", request_id.encode()))
                if no_store:
                    headers = [h for h in headers if h[0].lower() != b"cache-control"]
                    headers.append((b"cache-control", b"no-store"))
                if self.on_response is not None:
                    extra = Response()
                    self.on_response(request, extra)
                    headers.extend(h for h in extra.raw_headers if h[0] == b"set-cookie")
                message = {**message, "headers": headers}
            await send(message)

        length = request.headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > limit):
            await self._error(request, receive, guarded_send, 413, "payload_too_large")
            return

        try:
            await self.app(scope, counted, guarded_send)
        except HTTPException:
            if not too_large:
                raise
        except Exception as exc:  # noqa: BLE001 - the last line of defence, logged below
            down = _database_down(exc)
            if down:
                log.error("database unavailable: %s %s request_id=%s: %s", scope.get("method"),
                          shown_path, request_id, exc.__class__.__name__, exc_info=exc)
            else:
                log.error("unhandled error: %s %s request_id=%s", scope.get("method"),
                          shown_path, request_id, exc_info=exc)
            if not started and not too_large:
                await self._error(request, receive, guarded_send, 503 if down else 500,
                                  "database_unavailable" if down else "internal")
        if too_large and not started:
            replacing = True
            await self._error(request, receive, guarded_send, 413, "payload_too_large")

    async def _error(self, request: Request, receive: Receive,
                     send: Callable[[Message], Awaitable[None]], status: int, code: str) -> None:
        try:
            response = self.render_error(request, status, code)
        except Exception as exc:  # noqa: BLE001 - e.g. a template that needs the database
            log.error("error page failed request_id=%s", request.state.request_id, exc_info=exc)
            response = Response(f"error {status}, request {request.state.request_id}\n",
                                status_code=status, media_type="text/plain")
        if status == 413:
            response.headers["connection"] = "close"  # do not read the rest of the body
        await response(request.scope, receive, send)


def request_id(request: Request) -> str:
    """The ID the middleware gave this request ("" outside the app, e.g. in unit tests)."""
    return str(getattr(request.state, "request_id", "") or "")

