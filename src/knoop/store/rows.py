"""Rows to records: the frozen dataclasses of :mod:`knoop.store.types` made from ORM rows,
and the derived values stored beside them (retention date, search keys)."""

from __future__ import annotations

import datetime as dt
from typing import get_args

from knoop.kb.models import Muscle
from knoop.store import validate as v
from knoop.store.models import (
    ClientRow,
    FindingRow,
    FlagDecisionRow,
    HandoutRow,
    NoteRow,
    SessionRow,
    TreatmentRow,
)
from knoop.store.types import (
    Client,
    Finding,
    FlagDecision,
    Handout,
    Note,
    Treatment,
)

RETENTION_YEARS = 20
#: The values of the Literal in ``Muscle.causes: list[Literal[...]]``.
CAUSES: tuple[str, ...] = get_args(get_args(Muscle.model_fields["causes"].annotation)[0])
CLIENT_FIELDS = ("first_name", "infix", "last_name", "date_of_birth", "email", "phone", "gp_name")
SESSION_FIELDS = ("started_at", "complaint", "symptoms", "causes", "screening", "intake",
                  "drawing",
                  "painmap", "strokes", "nrs_before", "nrs_after", "next_appointment", "status")


def retention_date(last_change: dt.datetime) -> dt.date:
    d = last_change.date()
    try:
        return d.replace(year=d.year + RETENTION_YEARS)
    except ValueError:  # 29 February
        return d.replace(year=d.year + RETENTION_YEARS, day=28)


def age_on(born: dt.date | None, day: dt.date) -> int | None:
    """A client's age in whole years on ``day`` (None: no date of birth, or not 0-120)."""
    if born is None:
        return None
    age = day.year - born.year - ((day.month, day.day) < (born.month, born.day))
    return age if 0 <= age <= 120 else None


def search_keys(first: str, infix: str, last: str) -> tuple[str, str, str]:
    n = v.normalise
    return (n(f"{last} {first}"), n(f"{first} {infix} {last}"), n(f"{infix} {last} {first}"))


def client_of(r: ClientRow) -> Client:
    return Client(r.id, r.practice_id, r.first_name, r.infix, r.last_name, r.date_of_birth,
                  r.email, r.phone, r.gp_name, r.created_at, r.last_change, r.retention_until,
                  r.version or 1)


def flag_decision_of(r: FlagDecisionRow) -> FlagDecision:
    return FlagDecision(r.flag, r.urgency, r.decision, r.reason, r.decided_by, r.decided_at)


def full_name(first: str, infix: str, last: str) -> str:
    return " ".join(p for p in (first, infix, last) if p)


def finding_of(r: FindingRow) -> Finding:
    return Finding(r.id, r.session_id, r.muscle, r.side, r.trigger_point, r.result,
                   r.pain_recognised, r.tender_spot, r.taut_band, r.referral_elicited, r.twitch,
                   r.note)


def treatment_of(r: TreatmentRow) -> Treatment:
    return Treatment(r.id, r.session_id, r.muscle, r.side, r.technique, r.duration_min,
                     r.pressure_tolerance, r.note)


def note_of(r: NoteRow) -> Note:
    return Note(r.session_id, r.subjective, r.objective, r.assessment, r.plan, r.soap_text,
                r.updated_at, r.updated_by)


def handout_of(r: HandoutRow) -> Handout:
    return Handout(r.id, r.session_id, r.kind, r.language, list(r.muscles), r.kb_version,
                   r.issued_at, r.issued_by)


#: The columns of a :class:`SessionSummary`, in its order: a list reads these, never the
#: ranking snapshot.
SUMMARY_COLUMNS = (SessionRow.id, SessionRow.client_id, SessionRow.started_at, SessionRow.status,
                   SessionRow.complaint, SessionRow.nrs_before, SessionRow.nrs_after,
                   SessionRow.therapist_id)
