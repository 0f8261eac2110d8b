"""The web application: server-rendered pages and the JSON API.

Every error becomes either a friendly Dutch (or English) page or, under ``/api/``, the one JSON
error shape of :mod:`knoop.errors`. Security headers are set on every response.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from knoop import __version__
from knoop.errors import KnoopError
from knoop.store import Store
from knoop.web.deps import CsrfError, LoginRequired, WebState, ensure_pre_cookie
from knoop.web.i18n import translations
from knoop.web.pages import lang_of, render

HERE = Path(__file__).parent
CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")

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
    422: (_("Invalid input"), _("Please check what you entered.")),
    500: (_("Something went wrong"), _("Please try again; if it persists, let us know.")),
}


def _error_page(request: Request, status: int, detail: str | None = None) -> Response:
    t = translations(lang_of(request)).gettext
    title, text = ERROR_TEXT.get(status, ERROR_TEXT[500])
    return render(request, "error.html", {"title": t(title), "text": t(text),
                                          "detail": detail}, status_code=status)


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def create_app(store: Store | str | None = None, *, secret_key: bytes | None = None,
               cookie_secure: str | None = None) -> FastAPI:
    """Build the app (used by ``knoop serve`` as a factory and by the tests).

    ``store`` is a :class:`Store` or a database URL; by default the store on
    ``knoop.settings.load().database_url``, opened at first use. ``secret_key`` defaults to
    the settings' key (``KNOOP_SECRET_KEY`` or ``<data_dir>/secret.key``)."""
    if cookie_secure is None:
        from knoop.settings import load

        cookie_secure = load().cookie_secure
    app = FastAPI(title="knoop", version=__version__,
                  description="Trigger-point therapy: knowledge base and muscles to examine.",
                  docs_url="/api/docs", openapi_url="/api/openapi.json", redoc_url=None)
    app.state.knoop = WebState(store, secret_key, cookie_secure)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    # Pages carry the chart inline (~460 kB for a session); compressed they are ~10x smaller,
    # which matters for a client drawing on a phone.
    app.add_middleware(GZipMiddleware, minimum_size=2048)

    from knoop.web import (
        api,
        auth,
        clients,
        downloads,
        education,
        history,
        intake,
        kbpages,
        sessions,
    )

    app.include_router(auth.router)
    app.include_router(clients.router)
    app.include_router(history.router)
    app.include_router(sessions.router)
    app.include_router(sessions.api)
    app.include_router(intake.router)
    app.include_router(downloads.router)
    app.include_router(kbpages.router)
    app.include_router(education.router)
    app.include_router(api.router)
    from knoop.web import drawing

    app.include_router(drawing.router)

    @app.get("/healthz", tags=["meta"])
    def healthz() -> dict[str, str]:
        """Liveness: 200 with the version."""
        from knoop.kb import KB_VERSION

        return {"status": "ok", "version": __version__, "kb_version": KB_VERSION}

    @app.middleware("http")
    async def security_headers(request: Request, call_next):  # type: ignore[no-untyped-def]
        try:
            response = await call_next(request)
        except Exception:  # noqa: BLE001 - last line of defence: never a traceback page
            response = (JSONResponse({"error": {"code": "internal", "message":
                                                "internal error"}}, status_code=500)
                        if _is_api(request) else _error_page(request, 500))
        ensure_pre_cookie(request, response)
        if request.cookies.get("knoop_session") or request.url.path.startswith("/intake/"):
            response.headers["Cache-Control"] = "no-store"  # health data: never cached
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["X-Frame-Options"] = "DENY"
        return response

    @app.exception_handler(KnoopError)
    async def knoop_error(request: Request, exc: KnoopError) -> Response:
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
        if _is_api(request):
            return JSONResponse(exc.to_dict(), status_code=exc.http_status)
        status = exc.http_status if exc.http_status in ERROR_TEXT else 422
        return _error_page(request, status, None if status == 404 else exc.message)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        err = exc.errors()[0] if exc.errors() else {"loc": (), "msg": "invalid"}
        field = ".".join(str(p) for p in err["loc"] if p != "body") or "$"
        body = {"error": {"code": "bad_input", "message": f"{field}: {err['msg']}",
                          "field": field}}
        if _is_api(request):
            return JSONResponse(body, status_code=422)
        return _error_page(request, 422, body["error"]["message"])

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if _is_api(request):
            code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "error")
            return JSONResponse({"error": {"code": code, "message": str(exc.detail)}},
                                status_code=exc.status_code)
        status = exc.status_code if exc.status_code in ERROR_TEXT else 404
        return _error_page(request, status)

    return app
