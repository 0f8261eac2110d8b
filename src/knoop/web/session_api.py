"""The session's JSON API (``/api/v1/sessions/{id}...``): what the session page saves as the
therapist works. Every call is one store transaction; the rules (red-flag gate, versions,
finding replacement, the drawing derivation) are the store's, this module only translates.

* **Versions.** Every answer carries the session's version as ``ETag`` (``"v3"``) and in the
  body. A write that sends ``If-Match: "v3"`` is refused with **412** when the session changed
  since (another window or device), with the current state in the body, so nothing is
  overwritten silently. Without ``If-Match`` (scripts) a write is not checked.
* **Errors.** The one JSON error shape with a Dutch message that names the field; the CSRF
  token goes in the ``X-CSRF-Token`` header.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from fastapi import APIRouter, Header, Request
from starlette.responses import Response

from knoop.errors import BadInput, KnoopError, RedFlagOpen, StaleVersion
from knoop.store import Session
from knoop.vocabulary import LOCAL_TZ
from knoop.web.app_json import json_response
from knoop.web.deps import (
    CsrfHeader,
    LoggedIn,
    RecordId,
    input_error,
    require_user,
    store_of,
    translator,
)
from knoop.web.middleware import request_id
from knoop.web.pages import lang_of
from knoop.web.schemas import (
    AutosaveIn,
    ChartFindingIn,
    FlagsIn,
    NoteIn,
    SessionStateOut,
    StaleBody,
    TreatmentIn,
    error_responses,
)
from knoop.web.session_view import SessionId, etag, state

api = APIRouter(prefix="/api/v1/sessions", tags=["sessions"])
TreatmentId = RecordId
IfMatch = Annotated[str | None, Header(
    alias="If-Match", max_length=40,
    description='the version the change is based on, as the ETag ("v3"); a stale one is 412')]
_VERSION = re.compile(r'^(?:W/)?"?v?(\d{1,9})"?$')

ERRORS: dict[int | str, dict[str, Any]] = {
    **error_responses(401, 403, 404, 409, 413, 422, 500, 503),
    412: {"model": StaleBody, "description": "Changed since the version in If-Match; "
                                             "`current` is the state now stored"}}
DEPS = [CsrfHeader, LoggedIn]


def _(message: str) -> str:
    return message


def expected(if_match: str | None) -> int | None:
    """The version an ``If-Match`` header names (None: no header, no check)."""
    if if_match is None or if_match.strip() == "*":
        return None
    m = _VERSION.match(if_match.strip())
    if m is None:
        raise BadInput('If-Match: must be the ETag of the session, like "v3"',
                       field="If-Match")
    return int(m.group(1))


def _reply(request: Request, s: Session, status: int = 200) -> Response:
    response = json_response(state(s, lang_of(request), translator(request)), status)
    response.headers["ETag"] = etag(s)
    return response


def _error(request: Request, session_id: int, exc: KnoopError) -> Response:
    """A refused write: 412 with the current state, 409 for an open red flag, else 404/422
    with a Dutch message naming the field."""
    from knoop.web.app import api_error

    t = translator(request)
    body = exc.to_dict()
    if isinstance(exc, StaleVersion):
        user = require_user(request)
        s = store_of(request).get_session(user.actor, session_id)
        body["error"]["message"] = t("This session was changed in another window or on "
                                     "another device.")
        body["error"]["request_id"] = request_id(request) or None
        response = json_response({**body, "current": state(s, lang_of(request), t)}, 412)
        response.headers["ETag"] = etag(s)
        return response
    if isinstance(exc, RedFlagOpen):
        body["error"]["message"] = t("Acknowledge the red flags first.")
        return api_error(request, 409, body)
    status = exc.http_status if exc.http_status in (404, 409, 422) else 422
    body["error"]["message"] = (t("Not found") if status == 404 else
                                input_error(request, exc))  # Dutch, naming the field
    return api_error(request, status, body)


def _run(request: Request, session_id: int, work: Any) -> Response:
    """Run one store call; turn the store's refusals into answers. A session of another
    practice stays the same 404 as one that does not exist."""
    try:
        return _reply(request, work(require_user(request)))
    except KnoopError as exc:
        if exc.http_status == 404 and exc.field in ("session_id", None):
            raise
        return _error(request, session_id, exc)


def _appointment(m: dt.datetime | None) -> dt.datetime | None:
    """A moment without an offset is Dutch local time; stored as naive UTC."""
    if m is None:
        return None
    if m.tzinfo is None:
        m = m.replace(tzinfo=LOCAL_TZ)
    return m.astimezone(dt.UTC).replace(tzinfo=None)


def _save_values(body: AutosaveIn) -> dict[str, Any]:
    """The fields of an autosave body that were sent, as ``update_session`` takes them."""
    given = body.model_dump(exclude_unset=True)
    out: dict[str, Any] = {}
    for k in ("complaint", "nrs_before", "nrs_after", "causes", "symptoms", "screening"):
        if k in given:
            empty: Any = "" if k == "complaint" else ([] if k in ("causes", "symptoms",
                                                                  "screening") else None)
            out[k] = given[k] if given[k] is not None else empty
    if "next_appointment" in given:
        out["next_appointment"] = _appointment(body.next_appointment)
    if body.drawing is not None:
        out["drawing"] = body.drawing.model_dump(exclude_unset=True)
    return out


@api.get("/{session_id}", dependencies=[LoggedIn], response_model=SessionStateOut,
         responses=error_responses(401, 404, 422, 500, 503))
def read_session(request: Request, session_id: SessionId) -> Response:
    """The session's state and version (``ETag``)."""
    user = require_user(request)
    return _reply(request, store_of(request).get_session(user.actor, session_id))


@api.post("/{session_id}", dependencies=DEPS, response_model=SessionStateOut, responses=ERRORS)
def autosave(request: Request, session_id: SessionId, body: AutosaveIn,
             if_match: IfMatch = None) -> Response:
    """Autosave: any of complaint, NRS, causes, next appointment and the drawing (strokes,
    explicit regions, exclusions, symptoms, screening), in one transaction."""
    version, values = expected(if_match), _save_values(body)

    def work(user: Any) -> Session:
        store = store_of(request)
        if not values:
            return store.get_session(user.actor, session_id)
        return store.update_session(user.actor, session_id, expected_version=version,
                                    **values)
    return _run(request, session_id, work)


@api.post("/{session_id}/flags", dependencies=DEPS, response_model=SessionStateOut,
          responses=ERRORS)
def decide_flags(request: Request, session_id: SessionId, body: FlagsIn,
                 if_match: IfMatch = None) -> Response:
    """Acknowledge red flags, or override them with a written reason (an emergency flag
    only so); stored with who and when, access-logged, and written into the SOAP note."""
    version = expected(if_match)
    return _run(request, session_id, lambda user: store_of(request).decide_flags(
        user.actor, session_id, acknowledge=body.flags, override=body.override,
        expected_version=version))


@api.post("/{session_id}/findings", dependencies=DEPS, response_model=SessionStateOut,
          responses=ERRORS)
def chart_finding(request: Request, session_id: SessionId, body: ChartFindingIn,
                  if_match: IfMatch = None) -> Response:
    """Chart the finding in force for one muscle and side (``result`` null takes it back),
    replacing an earlier one in the same transaction. Refused (409) while a red flag is open."""
    version = expected(if_match)
    return _run(request, session_id, lambda user: store_of(request).chart_finding(
        user.actor, session_id, muscle=body.muscle, side=body.side, result=body.result,
        trigger_point=body.trigger_point, pain_recognised=body.pain_recognised,
        tender_spot=body.tender_spot, taut_band=body.taut_band,
        referral_elicited=body.referral_elicited, twitch=body.twitch, note=body.note or "",
        expected_version=version))


@api.post("/{session_id}/treatments", dependencies=DEPS, response_model=SessionStateOut,
          responses=ERRORS)
def record_treatment(request: Request, session_id: SessionId, body: TreatmentIn,
                     if_match: IfMatch = None) -> Response:
    """Record a treatment of one muscle and side (refused with 409 while a red flag is open)."""
    version = expected(if_match)

    def work(user: Any) -> Session:
        store = store_of(request)
        store.add_treatment(user.actor, session_id, muscle=body.muscle, side=body.side,
                            technique=body.technique, duration_min=body.duration_min,
                            pressure_tolerance=body.pressure_tolerance, note=body.note or "",
                            expected_version=version)
        return store.get_session(user.actor, session_id)
    return _run(request, session_id, work)


@api.post("/{session_id}/treatments/{treatment_id}/remove", dependencies=DEPS,
          response_model=SessionStateOut, responses=ERRORS)
def remove_treatment(request: Request, session_id: SessionId, treatment_id: TreatmentId,
                     if_match: IfMatch = None) -> Response:
    """Remove a treatment recorded by mistake (one store transaction; refused with 409 on a
    closed session). A treatment of another session is a 404."""
    version = expected(if_match)

    def work(user: Any) -> Session:
        store = store_of(request)
        store.get_session(user.actor, session_id)  # NotFound -> 404 for an outsider
        store.remove_treatment(user.actor, treatment_id, session_id=session_id,
                               expected_version=version)
        return store.get_session(user.actor, session_id)
    return _run(request, session_id, work)


@api.post("/{session_id}/note", dependencies=DEPS, response_model=SessionStateOut,
          responses=ERRORS)
def save_note(request: Request, session_id: SessionId, body: NoteIn,
              if_match: IfMatch = None) -> Response:
    """Save the S/O/A/P fields; the store regenerates the SOAP text from them and the
    structured data."""
    version = expected(if_match)

    def work(user: Any) -> Session:
        store = store_of(request)
        store.set_note(user.actor, session_id, subjective=body.subjective,
                       objective=body.objective, assessment=body.assessment, plan=body.plan,
                       expected_version=version)
        return store.get_session(user.actor, session_id)
    return _run(request, session_id, work)
