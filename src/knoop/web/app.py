"""The web application: server-rendered pages and the JSON API.

Every error becomes either a friendly Dutch (or English) page or, under ``/api/``, the one JSON
error shape (:class:`knoop.web.schemas.ErrorBody`) with the request ID. The middleware
(:mod:`knoop.web.middleware`) adds security headers, enforces body limits and logs every
unexpected exception with its traceback.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import FileResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from knoop import __version__
from knoop.errors import (
    BadInput,
    CsrfError,
    ErrorResponse,
    Forbidden,
    KnoopError,
    LoginRequired,
    NotFound,
    from_validation,
)
from knoop.store import Store
from knoop.web.app_json import json_bytes
from knoop.web.deps import WebState, ensure_pre_cookie
from knoop.web.i18n import translations
from knoop.web.middleware import Guard, request_id
from knoop.web.pages import lang_of, render

HERE = Path(__file__).parent
log = logging.getLogger("knoop.web")


def _(message: str) -> str:
    """Mark a message for extraction; it is translated when the page is rendered."""
    return message


ERROR_TEXT = {
    401: (_("Please log in"), _("Log in to see this page.")),
    403: (_("Not allowed"), _("This form has expired or did not come from this page. Go back, "
                              "reload the page and try again.")),
    404: (_("Not found"), _("This page does not exist.")),
    409: (_("Cannot change this now"), _("It was closed or changed in the meantime. Reload "
                                         "the page and try again.")),
    413: (_("Too much at once"), _("This request is larger than knoop accepts. Send less at "
                                   "once (for example fewer strokes) and try again.")),
    422: (_("Invalid input"), _("Please check what you entered.")),
    500: (_("Something went wrong"), _("Please try again; if it persists, let us know.")),
    503: (_("Temporarily unavailable"), _("The database does not answer. Nothing was saved; "
                                          "try again in a minute.")),
}
ERROR_CODES = {401: "login_required", 403: "forbidden", 404: "not_found",
               405: "method_not_allowed", 409: "conflict", 413: "payload_too_large",
               422: "bad_input", 500: "internal", 503: "database_unavailable"}


def api_error(request: Request, status: int, body: ErrorResponse) -> Response:
    """The one JSON error shape, with the request ID."""
    body["error"]["request_id"] = request_id(request) or None
    return Response(json_bytes(body), status_code=status, media_type="application/json")


#: A 403 that is not a refused form: the user may not do this (e.g. a therapist on the
#: practice administration).
NOT_YOURS = _("Only an admin of your practice can do this. Ask your practice's admin.")


def _error_page(request: Request, status: int, detail: str | None = None, *,
                text: str | None = None) -> Response:
    t = translations(lang_of(request)).gettext
    title, default = ERROR_TEXT.get(status, ERROR_TEXT[500])
    text = text or default
    return render(request, "error.html", {"title": t(title), "text": t(text),
                                          "detail": detail,
                                          "request_id": request_id(request) if status >= 500
                                          else ""},
                  status_code=status)


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def render_error(request: Request, status: int, code: str) -> Response:
    """What the middleware sends for 413, 500 and 503: JSON under /api/, else a page."""
    if _is_api(request):
        title = ERROR_TEXT.get(status, ERROR_TEXT[500])[1]
        return api_error(request, status, {"error": {"code": code, "message": title}})
    return _error_page(request, status)


def validation_problem(exc: RequestValidationError) -> KnoopError:
    """The first problem of a refused request, naming the field (see :mod:`knoop.errors`)."""
    return from_validation(exc.errors())


def _log_denied(request: Request, exc: KnoopError) -> None:
    """Access-log a refused request: a 403, a refused CSRF token, or a logged-in user's 404 (for
    a record of another practice it is the same 404 as for one that does not exist)."""
    from knoop.web.deps import current_user, store_of
    from knoop.web.middleware import redact

    try:
        user = current_user(request)
        if isinstance(exc, NotFound) and user is None:
            return
        ip = request.client.host if request.client else ""
        store_of(request).log_denied(user, method=request.method, path=redact(request.url.path),
                                     status=exc.http_status, ip=ip,
                                     reason=type(exc).__name__)
    except Exception as err:  # noqa: BLE001 - never turn a refusal into a 500
        log.warning("could not access-log a denied request: %s", err)


def create_app(store: Store | str | None = None, *, secret_key: bytes | None = None,
               cookie_secure: str | None = None) -> FastAPI:
    """Build the app (used by ``knoop serve`` as a factory and by the tests).

    ``store`` is a :class:`Store` or a database URL; by default the store on
    ``knoop.settings.load().database_url``, opened at first use. ``secret_key`` defaults to
    the settings' key (``KNOOP_SECRET_KEY`` or ``<data_dir>/secret.key``)."""
    if cookie_secure is None:
        from knoop.settings import load

        cookie_secure = load().cookie_secure
    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        """Load the knowledge base, the ranker and the PDF machinery (WeasyPrint, fonts, the
        chart backgrounds) before the first request, then move everything loaded so far out
        of the garbage collector's way (``gc.freeze``): no full collection of those objects
        ever pauses a request, and the first handout is as fast as the next."""
        from starlette.concurrency import run_in_threadpool

        from knoop.handouts.pdf import warm_up
        from knoop.ranking import default_ranker

        await run_in_threadpool(lambda: default_ranker().score_index)  # built on first use
        await run_in_threadpool(warm_up)
        gc.collect()
        gc.freeze()
        yield

    app = FastAPI(title="knoop", version=__version__, lifespan=lifespan,
                  description="Trigger-point therapy: knowledge base and muscles to examine. "
                              "Errors have one shape (ErrorBody); limits are in docs/web.md.",
                  docs_url="/api/docs", openapi_url="/openapi.json", redoc_url=None)
    app.state.knoop = WebState(store, secret_key, cookie_secure)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    # Pages carry the chart inline (~460 kB for a session); compressed they are ~10x smaller,
    # which matters for a client drawing on a phone.
    app.add_middleware(GZipMiddleware, minimum_size=2048, compresslevel=6)
    # outermost: request ID, body limits (before login and CSRF), headers, last defence
    app.add_middleware(Guard, render_error=render_error, on_response=ensure_pre_cookie)

    from knoop.web import (
        aftercare_page,
        api,
        auth,
        clients,
        diary_view,
        downloads,
        drawing_api,
        drawing_page,
        education,
        first_start,
        history,
        intake,
        kbpages,
        practice,
        session_api,
        session_page,
    )
    from knoop.web.schemas import HealthOut

    app.include_router(auth.router)
    app.include_router(first_start.router)
    app.include_router(practice.router)
    app.include_router(clients.router)
    app.include_router(history.router)
    app.include_router(session_page.router)
    app.include_router(session_api.api)
    app.include_router(intake.router)
    app.include_router(aftercare_page.router)
    app.include_router(diary_view.router)
    app.include_router(downloads.router)
    app.include_router(kbpages.router)
    app.include_router(education.router)
    app.include_router(api.router)
    app.include_router(drawing_api.router)
    app.include_router(drawing_page.router)

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        """Our own icon (a knot: a dark red dot in a light ring), for browsers that ask
        /favicon.ico before reading the page's ``<link rel="icon">``."""
        return FileResponse(HERE / "static" / "favicon.ico", media_type="image/x-icon",
                            headers={"Cache-Control": "public, max-age=86400"})

    @app.get("/api/openapi.json", include_in_schema=False)
    def old_openapi_url() -> Response:
        return RedirectResponse("/openapi.json", status_code=308)

    @app.get("/healthz", tags=["meta"], response_model=HealthOut,
             responses={503: {"model": HealthOut, "description": "The database does not "
                                                                 "answer"}})
    def healthz(request: Request) -> Response:
        """Health: 200 with the version when the database answers (one ``SELECT 1``), else 503
        with ``database: unavailable``."""
        from knoop.kb import KB_VERSION

        ok = request.app.state.knoop.database_ok()
        body = {"status": "ok" if ok else "unavailable", "version": __version__,
                "kb_version": KB_VERSION, "database": "ok" if ok else "unavailable"}
        return Response(json_bytes(body), status_code=200 if ok else 503,
                        media_type="application/json")

    @app.exception_handler(KnoopError)
    async def knoop_error(request: Request, exc: KnoopError) -> Response:
        if isinstance(exc, (Forbidden, CsrfError, NotFound)):
            _log_denied(request, exc)
        if isinstance(exc, LoginRequired) and not _is_api(request):
            from urllib.parse import urlencode

            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            q = {"volgende": target} if request.method == "GET" and target != "/" else {}
            if exc.expired:
                q["verlopen"] = "1"
            resp = RedirectResponse("/inloggen" + (f"?{urlencode(q)}" if q else ""),
                                    status_code=303)
            if exc.expired:
                resp.delete_cookie("knoop_session", path="/")
            return resp
        if isinstance(exc, CsrfError) and not _is_api(request):
            return _error_page(request, 403)
        if isinstance(exc, Forbidden) and not _is_api(request):
            return _error_page(request, 403, text=NOT_YOURS)
        if _is_api(request):
            return api_error(request, exc.http_status, exc.to_dict())
        status = exc.http_status if exc.http_status in ERROR_TEXT else 422
        return _error_page(request, status, None if status == 404 else exc.message)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        problem = validation_problem(exc)
        if request.url.path.startswith("/api/v1/sessions/"):
            from knoop.web.deps import input_error

            body = problem.to_dict()
            body["error"]["message"] = input_error(request, problem)  # Dutch, names the field
            return api_error(request, 422, body)
        if _is_api(request):
            return api_error(request, 422, problem.to_dict())
        return _error_page(request, 422, problem.message)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 400 and _is_api(request):  # FastAPI could not parse the body
            return api_error(request, 422, BadInput("$: not valid JSON (nested too deeply or "
                                                    "unreadable)", field="$").to_dict())
        if _is_api(request):
            code = ERROR_CODES.get(exc.status_code, "error")
            return api_error(request, exc.status_code,
                             {"error": {"code": code, "message": str(exc.detail)}})
        status = exc.status_code if exc.status_code in ERROR_TEXT else 404
        return _error_page(request, status)

    return app
