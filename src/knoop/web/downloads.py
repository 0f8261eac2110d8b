"""Download routes: the aftercare handout, the leaflet, the dossier and the FHIR export.

Every route needs a login (the web app's own ``require_user`` dependency from
:mod:`knoop.web.deps`) and reads through the store as that user's Actor, so an outsider gets the
same 404 as for a client that does not exist, and every download is access-logged. The
dossier (which includes the access log) is for admins (403 otherwise).

    GET /sessies/{id}/nazorg.pdf[?lang=en]     aftercare handout (recorded as issued)
    GET /sessies/{id}/fhir.json                FHIR R4 Bundle of one session
    GET /clienten/{id}/fhir.json               FHIR R4 Bundle of the client
    GET /clienten/{id}/dossier.pdf|.json       the client's full dossier (admin)
    GET /uitleg/folder.pdf[?lang=en]           the education leaflet (no login needed)

Include it in the app with ``app.include_router(downloads.router)``.
"""

from __future__ import annotations

import json

from fastapi import APIRouter, Request
from starlette.responses import Response

from knoop.store import User
from knoop.web.deps import LoggedIn, RecordId, store_of
from knoop.web.pages import lang_of

router = APIRouter(include_in_schema=False)
Id = RecordId


def _file(data: bytes, media_type: str, filename: str, *, inline: bool = False) -> Response:
    disposition = "inline" if inline else "attachment"
    return Response(data, media_type=media_type, headers={
        "Content-Disposition": f'{disposition}; filename="{filename}"',
        "Cache-Control": "no-store"})  # health data: never in a shared cache


def _lang(request: Request) -> str:
    q = request.query_params.get("lang")
    return q if q in ("nl", "en") else lang_of(request)


@router.get("/sessies/{session_id}/nazorg.pdf")
def aftercare(request: Request, session_id: Id, user: User = LoggedIn) -> Response:
    from knoop.handouts.aftercare import aftercare_pdf

    lang = _lang(request)
    pdf = aftercare_pdf(store_of(request), user.actor, session_id, lang=lang)
    name = "nazorg" if lang == "nl" else "aftercare"
    return _file(pdf, "application/pdf", f"{name}-{session_id}.pdf", inline=True)


@router.get("/sessies/{session_id}/fhir.json")
def session_fhir(request: Request, session_id: Id, user: User = LoggedIn) -> Response:
    from knoop.fhir import fhir_bundle

    bundle = fhir_bundle(store_of(request), user.actor, session_id=session_id)
    return _file(json.dumps(bundle, ensure_ascii=False).encode("utf-8"),
                 "application/fhir+json", f"sessie-{session_id}-fhir.json")


@router.get("/clienten/{client_id}/fhir.json")
def client_fhir(request: Request, client_id: Id, user: User = LoggedIn) -> Response:
    from knoop.fhir import fhir_bundle

    bundle = fhir_bundle(store_of(request), user.actor, client_id=client_id)
    return _file(json.dumps(bundle, ensure_ascii=False).encode("utf-8"),
                 "application/fhir+json", f"client-{client_id}-fhir.json")


@router.get("/clienten/{client_id}/dossier.json")
def dossier_json_route(request: Request, client_id: Id, user: User = LoggedIn) -> Response:
    from knoop.handouts.dossier import dossier_json

    data = dossier_json(store_of(request), user.actor, client_id)
    return _file(json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8"),
                 "application/json", f"dossier-{client_id}.json")


@router.get("/clienten/{client_id}/dossier.pdf")
def dossier_pdf_route(request: Request, client_id: Id, user: User = LoggedIn) -> Response:
    from knoop.handouts.dossier import dossier_pdf

    pdf = dossier_pdf(store_of(request), user.actor, client_id, lang=_lang(request))
    return _file(pdf, "application/pdf", f"dossier-{client_id}.pdf")


@router.get("/uitleg/folder.pdf")
def leaflet(request: Request) -> Response:
    from knoop.handouts.leaflet import leaflet_pdf

    lang = _lang(request)
    return _file(leaflet_pdf(lang), "application/pdf",
                 "triggerpunten.pdf" if lang == "nl" else "trigger-points.pdf", inline=True)
