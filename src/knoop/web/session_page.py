"""The session page (``GET /sessies/{id}``): a treatment session, step by step, on one screen:
1 intake, 2 drawing, 3 live results (red flags first), 4 charting (findings on the chart,
treatments, NRS after), 5 the SOAP note. The browser saves as it goes through the JSON API of
:mod:`knoop.web.session_api`; this module only renders, and opens or closes a session.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from starlette.datastructures import FormData
from starlette.responses import Response

from knoop.errors import BadInput, ConsentMissing
from knoop.store import Session, User
from knoop.store.rows import age_on
from knoop.vocabulary import TECHNIQUES, TOLERANCES
from knoop.web.deps import CsrfForm, LoggedIn, fmt_date, fmt_datetime, store_of, translator
from knoop.web.pages import json_script, lang_of, render
from knoop.web.session_view import (
    CRITERIA,
    TOLERANCE_LABELS,
    SessionId,
    drawing_init,
    findings,
    local_input,
    muscle_options,
    technique_name,
    treatments,
)

router = APIRouter(include_in_schema=False)


def _flag_decisions(s: Session, lang: str) -> list[dict[str, Any]]:
    """Who decided what on which red flag, for the page (acknowledged or overridden);
    ``title`` is the flag in words (never its ID)."""
    from knoop.ranking.redflags import flag_title

    return [{"flag": d.flag, "title": flag_title(d.flag, lang), "urgency": d.urgency,
             "decision": d.decision, "reason": d.reason, "when": fmt_datetime(d.decided_at)}
            for d in s.flag_decisions]


def _sent_at(intake: dict[str, Any] | None) -> str:
    """When the client sent the intake (stored as naive UTC ISO text), in local time."""
    raw = (intake or {}).get("submitted_at")
    try:
        return fmt_datetime(dt.datetime.fromisoformat(str(raw))) if raw else ""
    except ValueError:
        return ""


def consent_gate(request: Request, given: bool | None) -> dict[str, Any]:
    """The consent gate on the session: without the client's treatment consent in force
    (``given``: True, False withdrawn, None never asked) the page says so and offers to record
    it (the store refuses every treatment until then)."""
    from knoop.web.clients import CONSENT_VERSION, CONSENTS

    t = translator(request)
    return {"treatment_consent": given,
            "consent_needed": request.query_params.get("toestemming") == "nodig",
            "treatment_text": t(CONSENTS[0][2]), "consent_version": CONSENT_VERSION}


@router.get("/sessies/{session_id}")
def session_page(request: Request, session_id: SessionId, user: User = LoggedIn) -> Response:
    from knoop.kb.models import CAUSES
    from knoop.web.clients import STATUS_NAMES
    from knoop.web.drawing_page import widget_context

    t = _ = translator(request)
    lang = lang_of(request)
    store = store_of(request)
    page = store.session_with_client(user.actor, session_id)  # outsider: 404
    s, c = page.session, page.client
    ctx = widget_context(lang)
    decisions = _flag_decisions(s, lang)
    ctx.update(consent_gate(request, page.treatment_consent))
    ctx.update({
        "s": s, "c": c, "when": fmt_datetime(s.started_at),
        "status_name": t(STATUS_NAMES.get(s.status, s.status)),
        "readonly": s.status == "closed",
        "charting": True,  # the "Chart finding" tool of the drawing widget
        "init": json_script(drawing_init(s)),
        "causes": [(k, v[lang]) for k, v in CAUSES.items()],
        "muscles": muscle_options(lang),
        "techniques": [(k, technique_name(k, lang)) for k in TECHNIQUES],
        "tolerances": [(k, t(TOLERANCE_LABELS[k])) for k in TOLERANCES],
        "criteria": [(k, t(v)) for k, v in CRITERIA],
        "treatments": treatments(s, lang, t), "findings": findings(s, lang, t),
        "next_appointment": local_input(s.next_appointment),
        "intake_answers": {k: v for k, v in (s.intake or {}).items() if k != "drawing"},
        "intake_sent": _sent_at(s.intake),
        "decisions": decisions,
        "acked_when": decisions[-1]["when"] if decisions else "",
        "born": fmt_date(c.date_of_birth),
        "client_age": age_on(c.date_of_birth, s.started_at.date()),
        "i18n": json_script({
            "saving": _("Saving…"), "saved": _("Saved"), "failed": _("Not saved"),
            "offline": _("No connection: not saved yet. It will be tried again."),
            "treated": _("Treatment recorded"), "pickMuscle": _("Choose a muscle first"),
            "ackFirst": _("Acknowledge the red flags first."),
            "findingSaved": _("Finding saved"), "minutes": _("min"), "pressure": _("pressure tolerance"),
            "remove": _("remove"), "removeTreatment": _("Remove treatment"),
            "removed": _("Treatment removed."), "undo": _("Undo"),
            "restored": _("Treatment recorded again."),
            "findingRemoved": _("Finding taken back."),
            "stale": _("This session was changed in another window or on another device."),
            "yourText": _("Your unsaved changes (copy them if you need them):"),
            "keepMine": _("Save my changes over it"),
            "loadTheirs": _("Load the other version"),
            "reasonLabel": _("Why do you treat despite this emergency sign? (required)"),
            "override": _("Treat anyway, with this reason"),
            "drawingChanged": _("the drawing"), "close": _("Close"),
        }),
    })
    from knoop.web.diary_view import intake_diary

    ctx.update(intake_diary(page))
    return render(request, "sessions/page.html", ctx)


@router.post("/sessies/{session_id}/status")
def set_status(request: Request, session_id: SessionId, user: User = LoggedIn,
               form: FormData = CsrfForm) -> Response:
    status = str(form.get("status") or "")
    if status not in ("open", "closed"):
        raise BadInput("status: must be open or closed", field="status",
                       allowed=["open", "closed"])
    try:
        store_of(request).set_status(user.actor, session_id, status)
    except ConsentMissing:  # taking over an intake without treatment consent: ask for it
        return RedirectResponse(f"/sessies/{session_id}?toestemming=nodig#consent-gate",
                                status_code=303)
    return RedirectResponse(f"/sessies/{session_id}", status_code=303)
