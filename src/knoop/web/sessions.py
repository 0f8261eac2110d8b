"""A treatment session, step by step, on one screen: 1 intake, 2 drawing, 3 live results (red
flags first), 4 charting (findings on the chart, treatments, NRS after), 5 the SOAP note.

The page is ``GET /sessies/{id}``. The browser saves as it goes through a small JSON API
(``/api/v1/sessions/{id}...``, CSRF token in the ``X-CSRF-Token`` header); every call is one
store transaction, so nothing is ever half saved, and bad input is a 422 in the one JSON error
shape with a Dutch message that names the field.

Where the store has no field of its own, the web layer keeps its data in the session's
``intake`` object: ``intake["drawing"]`` (the explicit region choices and the regions switched
off in the list, so the drawing reopens exactly as it was) and ``intake["red_flags_ack"]``
(which red flags the therapist acknowledged, by whom and when).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import RedirectResponse
from starlette.datastructures import FormData
from starlette.responses import Response

from knoop.errors import BadInput, Conflict, KnoopError, NotFound
from knoop.store import Session, User
from knoop.vocabulary import LOCAL_TZ
from knoop.web.deps import (
    MAX_ID,
    CsrfForm,
    CsrfHeader,
    LoggedIn,
    fmt_date,
    fmt_datetime,
    input_error,
    local_time,
    require_user,
    store_of,
    translator,
)
from knoop.web.pages import lang_of, render
from knoop.web.schemas import (
    AutosaveIn,
    ChartFindingIn,
    FlagsIn,
    NoteIn,
    SessionStateOut,
    TreatmentIn,
    error_responses,
)

router = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api/v1/sessions", tags=["sessions"])
SessionId = Annotated[int, Path(ge=1, le=MAX_ID)]
AMS = LOCAL_TZ


def _(message: str) -> str:
    return message


TECHNIQUES = {
    "ischemic_compression": _("Ischemic compression"), "manual_release": _("Manual release"),
    "dry_needling": _("Dry needling"), "stretching": _("Stretching"), "massage": _("Massage"),
    "cupping": _("Cupping"), "heat": _("Heat"), "spray_and_stretch": _("Spray and stretch"),
    "instruction": _("Instruction"), "other": _("Other"),
}
TOLERANCES = {"low": _("low"), "moderate": _("moderate"), "high": _("high")}
RESULTS = {"active": _("active trigger point"), "latent": _("latent"),
           "none_found": _("none found"), "not_examined": _("not examined")}
CRITERIA = (("pain_recognised", _("pain recognised")), ("tender_spot", _("tender spot")),
            ("taut_band", _("taut band")), ("referral_elicited", _("referral elicited")),
            ("twitch", _("twitch response")))
SIDES = {"left": _("left"), "right": _("right")}


# ------------------------------------------------------------------------------ helpers
def _kb_name(muscle: str, lang: str) -> str:
    from knoop.kb import knowledge_base

    m = knowledge_base().muscles.get(muscle)
    if m is None:
        return muscle
    return m.names.nl if lang == "nl" else m.names.en


def _tp_name(muscle: str, tp: str | None, lang: str) -> str:
    from knoop.kb import knowledge_base

    m = knowledge_base().muscles.get(muscle)
    if m is None or not tp:
        return ""
    for p in m.trigger_points:
        if p.id == tp:
            return p.name.get(lang) or tp
    return tp


def _latest_findings(s: Session) -> dict[tuple[str, str], Any]:
    """The finding in force per muscle and side: the last one charted."""
    out: dict[tuple[str, str], Any] = {}
    for f in s.findings:
        out[(f.muscle, f.side)] = f
    return out


def _acked(s: Session) -> list[str]:
    ack = (s.intake or {}).get("red_flags_ack") or {}
    flags = ack.get("flags") if isinstance(ack, dict) else None
    return [f for f in flags if isinstance(f, str)] if isinstance(flags, list) else []


def _open_flags(s: Session) -> list[str]:
    """Red flags in the stored ranking that nobody acknowledged yet."""
    flags = [f.get("id") for f in ((s.ranking or {}).get("red_flags") or [])]
    acked = set(_acked(s))
    return [f for f in flags if f and f not in acked]


def _drawing_init(s: Session) -> dict[str, Any]:
    """The drawing as the widget restores it: strokes, explicit regions, exclusions,
    findings in force, acknowledged red flags."""
    d = (s.intake or {}).get("drawing")
    if isinstance(d, dict):
        regions, exclude = d.get("regions") or [], d.get("exclude") or []
    else:  # drawn elsewhere (demo data, the API): the pain map's regions are the choices
        regions = [] if s.strokes else list((s.painmap or {}).get("regions") or [])
        exclude = []
    findings = []
    for f in _latest_findings(s).values():
        item = {"muscle": f.muscle, "side": f.side, "result": f.result, "id": f.id,
                "trigger_point": f.trigger_point, "note": f.note}
        for c, _label in CRITERIA:
            item[c] = getattr(f, c)
        findings.append(item)
    return {"strokes": s.strokes or [], "regions": regions, "exclude": exclude,
            "findings": findings, "acked_flags": _acked(s)}


def _treatments(s: Session, lang: str, t: Any) -> list[dict[str, Any]]:
    return [{"id": x.id, "muscle": x.muscle, "name": _kb_name(x.muscle, lang),
             "side": x.side, "side_name": t(SIDES.get(x.side, x.side)),
             "technique": t(TECHNIQUES.get(x.technique, x.technique)),
             "duration_min": x.duration_min,
             "pressure": t(TOLERANCES[x.pressure_tolerance]) if x.pressure_tolerance else "",
             "note": x.note} for x in s.treatments]


def _findings(s: Session, lang: str, t: Any) -> list[dict[str, Any]]:
    out = []
    for f in _latest_findings(s).values():
        crit = [t(label) for c, label in CRITERIA if getattr(f, c)]
        out.append({"id": f.id, "muscle": f.muscle, "name": _kb_name(f.muscle, lang),
                    "side": f.side, "side_name": t(SIDES.get(f.side, f.side)),
                    "result": f.result, "result_name": t(RESULTS.get(f.result, f.result)),
                    "trigger_point": _tp_name(f.muscle, f.trigger_point, lang),
                    "criteria": crit})
    return out


def _muscle_options(lang: str) -> list[tuple[str, str]]:
    from knoop.kb import knowledge_base

    ms = knowledge_base().muscles.values()
    return sorted(((m.id, m.names.nl if lang == "nl" else m.names.en) for m in ms),
                  key=lambda x: x[1].lower())


def _local_input(moment: dt.datetime | None) -> str:
    m = local_time(moment)
    return m.strftime("%Y-%m-%dT%H:%M") if m is not None else ""


# ------------------------------------------------------------------------------ the page
@router.get("/sessies/{session_id}")
def session_page(request: Request, session_id: SessionId, user: User = LoggedIn) -> Response:
    from knoop.kb.models import CAUSES
    from knoop.web.drawing import widget_context

    t = _ = translator(request)
    lang = lang_of(request)
    store = store_of(request)
    s = store.get_session(user.actor, session_id)  # NotFound -> 404 for an outsider
    c = store.get_client(user.actor, s.client_id)
    ctx = widget_context(lang)
    from knoop.web.clients import STATUS_NAMES

    ctx.update({
        "s": s, "c": c, "when": fmt_datetime(s.started_at),
        "status_name": t(STATUS_NAMES.get(s.status, s.status)),
        "readonly": s.status == "closed",
        "charting": True,  # the "Chart finding" tool of the drawing widget
        "init": json.dumps(_drawing_init(s), ensure_ascii=False).replace("</", "<\\/"),
        "causes": [(k, v[lang]) for k, v in CAUSES.items()],
        "muscles": _muscle_options(lang),
        "techniques": [(k, t(v)) for k, v in TECHNIQUES.items()],
        "tolerances": [(k, t(v)) for k, v in TOLERANCES.items()],
        "criteria": [(k, t(v)) for k, v in CRITERIA],
        "treatments": _treatments(s, lang, t), "findings": _findings(s, lang, t),
        "next_appointment": _local_input(s.next_appointment),
        "intake_answers": {k: v for k, v in (s.intake or {}).items()
                           if k not in ("drawing", "red_flags_ack")},
        "acked": (s.intake or {}).get("red_flags_ack") or {},
        "acked_when": fmt_datetime(dt.datetime.fromisoformat(
            (s.intake or {}).get("red_flags_ack", {}).get("at")))
        if isinstance((s.intake or {}).get("red_flags_ack"), dict)
        and (s.intake or {})["red_flags_ack"].get("at") else "",
        "born": fmt_date(c.date_of_birth),
        "i18n": json.dumps({
            "saving": _("Saving…"), "saved": _("Saved"), "failed": _("Not saved"),
            "offline": _("No connection: not saved yet. It will be tried again."),
            "treated": _("Treatment recorded"), "pickMuscle": _("Choose a muscle first"),
            "ackFirst": _("Acknowledge the red flags first."),
            "findingSaved": _("Finding saved"), "minutes": _("min"),
            "remove": _("remove"), "removeTreatment": _("Remove treatment"),
            "removed": _("Treatment removed"),
        }, ensure_ascii=False).replace("</", "<\\/"),
    })
    return render(request, "sessions/page.html", ctx)


@router.post("/sessies/{session_id}/status")
def set_status(request: Request, session_id: SessionId, user: User = LoggedIn,
               form: FormData = CsrfForm) -> Response:
    status = str(form.get("status") or "")
    if status not in ("open", "closed"):
        raise BadInput("status: must be open or closed", field="status",
                       allowed=["open", "closed"])
    store_of(request).set_status(user.actor, session_id, status)
    return RedirectResponse(f"/sessies/{session_id}", status_code=303)


# ------------------------------------------------------------------------------ JSON API
def _error(request: Request, exc: KnoopError) -> Response:
    body = exc.to_dict()
    status = exc.http_status if exc.http_status in (404, 409, 422) else 422
    body["error"]["message"] = (translator(request)("Not found") if status == 404 else
                                exc.message if status == 409 and exc.field == "flags" else
                                input_error(request, exc))  # Dutch, naming the field
    from knoop.web.app import api_error

    return api_error(request, status, body)


def _appointment(m: dt.datetime | None) -> dt.datetime | None:
    """A moment without an offset is Dutch local time; stored as naive UTC."""
    if m is None:
        return None
    if m.tzinfo is None:
        m = m.replace(tzinfo=AMS)
    return m.astimezone(dt.UTC).replace(tzinfo=None)


def _save_values(data: AutosaveIn, s: Session) -> dict[str, Any]:
    """Turn a checked autosave body into ``update_session`` fields (only what was sent)."""
    from knoop.web.drawing import derive

    given = data.model_dump(exclude_unset=True)
    out: dict[str, Any] = {}
    for k in ("complaint", "nrs_before", "nrs_after", "causes", "symptoms", "screening"):
        if k in given:
            out[k] = given[k] if given[k] is not None or k.startswith("nrs") else \
                ("" if k == "complaint" else [])
    if "next_appointment" in given:
        out["next_appointment"] = _appointment(data.next_appointment)
    if data.drawing is not None:
        d = data.drawing.model_dump(exclude_unset=True)
        derived = derive(d, "nl", top=1)  # contract checks name the field (regions[3].side)
        pm = derived["painmap"]
        out["strokes"] = d.get("strokes") or None
        out["painmap"] = {"regions": pm["regions"]}
        out["symptoms"] = pm["symptoms"]
        out["screening"] = pm["screening"]
        intake = dict(s.intake or {})
        intake["drawing"] = {"regions": d.get("regions") or [], "exclude": d.get("exclude") or []}
        out["intake"] = intake
    return out


def _state(s: Session, lang: str, t: Any) -> dict[str, Any]:
    return {"id": s.id, "status": s.status, "updated_at": fmt_datetime(s.updated_at),
            "soap_text": s.note.soap_text if s.note else "",
            "findings": _findings(s, lang, t), "treatments": _treatments(s, lang, t),
            "open_flags": _open_flags(s)}


def _reply(request: Request, s: Session) -> Response:
    from knoop.web.app_json import json_response

    return json_response(_state(s, lang_of(request), translator(request)))


SESSION_ERRORS = error_responses(401, 403, 404, 409, 413, 422, 500, 503)
API_DEPS = [CsrfHeader, LoggedIn]


@api.post("/{session_id}", dependencies=API_DEPS, response_model=SessionStateOut,
          responses=SESSION_ERRORS)
def autosave(request: Request, session_id: SessionId, body: AutosaveIn) -> Response:
    """Autosave: any of complaint, NRS, causes, next appointment and the drawing (strokes,
    explicit regions, exclusions, symptoms, screening), in one transaction."""
    user = require_user(request)
    store = store_of(request)
    try:
        s = store.get_session(user.actor, session_id)
        vals = _save_values(body, s)
        if vals:
            s = store.update_session(user.actor, session_id, **vals)
    except (BadInput, Conflict) as exc:
        return _error(request, exc)
    except KnoopError as exc:
        if exc.http_status == 422:
            return _error(request, exc)
        raise
    return _reply(request, s)


def _gate(request: Request, s: Session) -> None:
    if _open_flags(s):
        _ = translator(request)
        raise Conflict(_("Acknowledge the red flags first."), field="flags")


@api.post("/{session_id}/flags", dependencies=API_DEPS, response_model=SessionStateOut,
          responses=SESSION_ERRORS)
def acknowledge_flags(request: Request, session_id: SessionId, body: FlagsIn) -> Response:
    """Store that the therapist read the red flags (IDs, who, when by the store's clock)."""
    user = require_user(request)
    store = store_of(request)
    try:
        s = store.get_session(user.actor, session_id)
        intake = dict(s.intake or {})
        known = set(_acked(s))
        intake["red_flags_ack"] = {
            "flags": sorted(known | set(body.flags)), "by": user.id,
            "by_email": user.email,
            "at": store.clock().isoformat(timespec="seconds")}
        s = store.update_session(user.actor, session_id, intake=intake)
    except (BadInput, Conflict) as exc:
        return _error(request, exc)
    return _reply(request, s)


@api.post("/{session_id}/findings", dependencies=API_DEPS, response_model=SessionStateOut,
          responses=SESSION_ERRORS)
def chart_finding(request: Request, session_id: SessionId, body: ChartFindingIn) -> Response:
    """Chart a finding for one muscle and side (``result`` null takes it back). The new
    finding is stored before the old one is removed, so a failure never loses a finding."""
    user = require_user(request)
    store = store_of(request)
    try:
        s = store.get_session(user.actor, session_id)
        old = [f.id for f in s.findings if f.muscle == body.muscle and f.side == body.side]
        if body.result is not None:
            _gate(request, s)
            store.add_finding(user.actor, session_id, muscle=body.muscle, side=body.side,
                              result=body.result, trigger_point=body.trigger_point,
                              pain_recognised=body.pain_recognised,
                              tender_spot=body.tender_spot, taut_band=body.taut_band,
                              referral_elicited=body.referral_elicited, twitch=body.twitch,
                              note=body.note or "")
        for fid in old:
            store.remove_finding(user.actor, fid)
        s = store.get_session(user.actor, session_id)
    except KnoopError as exc:
        if exc.http_status == 404 and not exc.field:
            raise
        return _error(request, exc)
    return _reply(request, s)


@api.post("/{session_id}/treatments", dependencies=API_DEPS, response_model=SessionStateOut,
          responses=SESSION_ERRORS)
def record_treatment(request: Request, session_id: SessionId, body: TreatmentIn) -> Response:
    """Record a treatment of one muscle and side (refused while a red flag is open)."""
    user = require_user(request)
    store = store_of(request)
    try:
        s = store.get_session(user.actor, session_id)
        _gate(request, s)
        store.add_treatment(user.actor, session_id, muscle=body.muscle, side=body.side,
                            technique=body.technique, duration_min=body.duration_min,
                            pressure_tolerance=body.pressure_tolerance, note=body.note or "")
        s = store.get_session(user.actor, session_id)
    except KnoopError as exc:
        if exc.http_status == 404 and exc.field in ("session_id", None):
            raise
        return _error(request, exc)
    return _reply(request, s)


TreatmentId = Annotated[int, Path(ge=1, le=MAX_ID)]


@api.post("/{session_id}/treatments/{treatment_id}/remove", dependencies=API_DEPS,
          response_model=SessionStateOut, responses=SESSION_ERRORS)
def remove_treatment(request: Request, session_id: SessionId,
                     treatment_id: TreatmentId) -> Response:
    """Remove a treatment recorded by mistake (one store transaction; refused with 409 on a
    closed session). A treatment of another session is a 404."""
    user = require_user(request)
    store = store_of(request)
    try:
        s = store.get_session(user.actor, session_id)  # NotFound -> 404 for an outsider
        if treatment_id not in {x.id for x in s.treatments}:
            raise NotFound(f"treatment {treatment_id} not found", field="treatment_id")
        store.remove_treatment(user.actor, treatment_id)
        s = store.get_session(user.actor, session_id)
    except KnoopError as exc:
        if exc.http_status == 404 and exc.field in ("session_id", None):
            raise
        return _error(request, exc)
    return _reply(request, s)


@api.post("/{session_id}/note", dependencies=API_DEPS, response_model=SessionStateOut,
          responses=SESSION_ERRORS)
def save_note(request: Request, session_id: SessionId, body: NoteIn) -> Response:
    """Save the S/O/A/P fields; the store regenerates the SOAP text from them and the
    structured data."""
    user = require_user(request)
    store = store_of(request)
    try:
        store.set_note(user.actor, session_id, subjective=body.subjective,
                       objective=body.objective, assessment=body.assessment, plan=body.plan)
        s = store.get_session(user.actor, session_id)
    except KnoopError as exc:
        if exc.http_status == 404 and exc.field in ("session_id", None):
            raise
        return _error(request, exc)
    return _reply(request, s)
