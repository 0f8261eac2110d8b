"""The web application: server-rendered pages and the JSON API.

Every error becomes either a friendly Dutch (or English) page or, under ``/api/``, the one JSON
error shape of :mod:`knoop.errors`. Security headers are set on every response.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from knoop import __version__
from knoop.errors import KnoopError
from knoop.web.pages import lang_of, render

HERE = Path(__file__).parent
CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")

ERROR_TEXT = {
    404: {"nl": ("Niet gevonden", "Deze pagina bestaat niet (meer)."),
          "en": ("Not found", "This page does not exist.")},
    422: {"nl": ("Ongeldige invoer", "Controleer wat je hebt ingevuld."),
          "en": ("Invalid input", "Please check what you entered.")},
    500: {"nl": ("Er ging iets mis", "Probeer het opnieuw; blijft het misgaan, meld het ons."),
          "en": ("Something went wrong", "Please try again; if it persists, let us know.")},
}


def _error_page(request: Request, status: int, detail: str | None = None) -> Response:
    lang = lang_of(request)
    title, text = ERROR_TEXT.get(status, ERROR_TEXT[500])[lang]
    return render(request, "error.html", {"title": title, "text": text, "detail": detail},
                  status_code=status)


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def create_app() -> FastAPI:
    """Build the app (used by ``knoop serve`` as a factory and by the tests)."""
    app = FastAPI(title="knoop", version=__version__,
                  description="Trigger-point therapy: knowledge base and muscles to examine.",
                  docs_url="/api/docs", openapi_url="/api/openapi.json", redoc_url=None)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    from knoop.web import api, education, kbpages

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
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["X-Frame-Options"] = "DENY"
        return response

    @app.exception_handler(KnoopError)
    async def knoop_error(request: Request, exc: KnoopError) -> Response:
        if _is_api(request):
            return JSONResponse(exc.to_dict(), status_code=exc.http_status)
        return _error_page(request, exc.http_status if exc.http_status in ERROR_TEXT else 422,
                           exc.message)

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
