"""The client's intake at home, through a one-time link (``/intake/{token}``).

No account: the token is the permission (256-bit random, the store keeps only its sha256, it
expires, and it works once). The client reads a short Dutch explanation, draws the pain on the
chart (the same widget, in a client mode without muscles or scores), answers the complaint,
pain score, other complaints and the screening questions, and sends it. It lands as a
``draft`` session for the therapist. A used, expired or unknown link shows the same clear
message with status 404.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from starlette.datastructures import FormData
from starlette.responses import Response

from knoop.errors import AuthError, BadInput, KnoopError
from knoop.vocabulary import URGENCY_WORDS, word
from knoop.web.deps import CsrfForm, input_error, store_of
from knoop.web.pages import lang_of, render

router = APIRouter(include_in_schema=False)
MAX_TOKEN = 100


def _invalid(request: Request) -> Response:
    return render(request, "intake/invalid.html", {}, status_code=404)


def _grant(request: Request, token: str) -> Any:
    if not token or len(token) > MAX_TOKEN:
        return None
    try:
        return store_of(request).check_intake_token(token)
    except AuthError:
        return None


def _page(request: Request, token: str, grant: Any, *, values: dict[str, Any] | None = None,
          error: str = "", status_code: int = 200) -> Response:
    from knoop.web.drawing_page import widget_context

    ctx = widget_context(lang_of(request))
    practice = store_of(request).practice(grant.practice_id)
    ctx.update({"token": token, "practice": practice, "v": values or {}, "error": error,
                "expires": grant.expires_at})
    return render(request, "intake/page.html", ctx, status_code=status_code)


@router.get("/intake/{token}")
def intake_page(request: Request, token: str) -> Response:
    grant = _grant(request, token)
    if grant is None:
        return _invalid(request)
    return _page(request, token, grant)


def _answers(form: FormData) -> dict[str, Any]:
    from knoop.kb import knowledge_base

    c = knowledge_base().contract
    complaint = str(form.get("complaint") or "")[:4000].strip()
    since = str(form.get("since") or "")[:200].strip()
    nrs_raw = str(form.get("nrs_before") or "").strip()
    nrs = None
    if nrs_raw:
        if not nrs_raw.isdigit() or not 0 <= int(nrs_raw) <= 10:
            raise BadInput("nrs_before: must be a whole number 0-10", field="nrs_before",
                           kind="range", allowed=[str(n) for n in range(11)])
        nrs = int(nrs_raw)
    symptoms = [s for s in form.getlist("symptoms") if isinstance(s, str)]
    screening = [s for s in form.getlist("screening") if isinstance(s, str)]
    for name, vals, known in (("symptoms", symptoms, c.symptoms),
                              ("screening", screening, c.screening)):
        for i, s in enumerate(vals):
            if s not in known:
                raise BadInput(f"{name}[{i}]: unknown", field=f"{name}[{i}]")
    raw = str(form.get("drawing") or "").strip()
    drawing: dict[str, Any] = {}
    if raw:
        try:
            drawing = json.loads(raw)
        except (json.JSONDecodeError, RecursionError):
            raise BadInput("strokes: the drawing could not be read", field="strokes") from None
        if not isinstance(drawing, dict):
            raise BadInput("strokes: the drawing could not be read", field="strokes")
        drawing = {k: v for k, v in drawing.items() if k in ("strokes", "regions", "exclude")}
    drew = any(drawing.get(k) for k in ("strokes", "regions"))
    if not (complaint or since or nrs is not None or symptoms or screening or drew):
        # nothing to go on: refused before the link is used, so the client can try again
        raise BadInput("complaint: the intake is empty", field="complaint",
                       kind="empty_intake")
    intake: dict[str, Any] = {"source": "intake_link"}  # the store adds submitted_at
    if since:
        intake["since"] = since
    out: dict[str, Any] = {"complaint": complaint, "symptoms": symptoms,
                           "screening": screening, "nrs_before": nrs, "intake": intake}
    if drawing:  # the store derives coverage and pain map (knoop.ranking.drawing)
        out["drawing"] = drawing
    return out


@router.post("/intake/{token}")
def submit_intake(request: Request, token: str, form: FormData = CsrfForm) -> Response:
    grant = _grant(request, token)
    if grant is None:
        return _invalid(request)
    values = {"complaint": str(form.get("complaint") or "")[:4000],
              "since": str(form.get("since") or "")[:200],
              "nrs_before": str(form.get("nrs_before") or "")[:3],
              "symptoms": form.getlist("symptoms"), "screening": form.getlist("screening")}
    try:
        answers = _answers(form)
        store_of(request).use_intake_token(token, intake=answers)
    except AuthError:
        return _invalid(request)
    except KnoopError as exc:
        if exc.http_status != 422 and not isinstance(exc, BadInput):
            raise
        return _page(request, token, grant, values=values, error=input_error(request, exc),
                     status_code=422)
    return render(request, "intake/thanks.html", {"warning_signs": warning_signs(lang_of(request))})


#: The warning signs repeated on the thank-you page, by screening ID: the page words them
#: exactly as the intake's questions do (one source: the contract).
WARNING_SIGNS = ("chest_pain_exertion", "saddle_numbness", "bladder_bowel_change",
                 "progressive_weakness", "fever_or_unwell")


def warning_signs(lang: str) -> list[str]:
    """The screening questions of :data:`WARNING_SIGNS` in ``lang``, as the intake asks them."""
    from knoop.kb import knowledge_base

    items = knowledge_base().contract.screening
    return [items[i].en if lang == "en" else items[i].nl for i in WARNING_SIGNS if i in items]


def screening_flags(ids: list[str], lang: str) -> list[dict[str, str]]:
    """The screening questions a client answered yes, most urgent first, with the urgency in a
    word: what "Wachtende intakes" shows before anyone opens the intake."""
    from knoop.kb import knowledge_base
    from knoop.ranking.redflags import URGENCY_ORDER

    items = knowledge_base().contract.screening
    known = sorted((items[i] for i in dict.fromkeys(ids) if i in items),
                   key=lambda s: (URGENCY_ORDER[s.urgency], s.id))
    return [{"id": s.id, "urgency": s.urgency, "urgency_word": word(URGENCY_WORDS, s.urgency, lang),
             "text": s.en if lang == "en" else s.nl} for s in known]
