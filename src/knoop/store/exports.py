"""Exports of the whole practice: every client's sessions, findings and treatments as rows, read
by keyset pagination on the client ID in short transactions (a writer never waits for more
than one page), with one access-log entry for the whole export.

The cost is linear in the size of the practice: each page is five index range scans (clients
by ``practice_id, id``; their sessions, findings, treatments and diary by client ID range),
whatever the page's position, read as the driver returns the rows. A session row no longer
holds its ranking snapshot (``session_rankings``, migration 0010), so the scans read small
rows; the export reads neither the snapshots nor the strokes.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, Executable, Integer, String, cast, func, select, type_coerce
from sqlalchemy.orm import Session as OrmSession

from knoop.store import validate as v
from knoop.store.engine import make_reader
from knoop.store.models import ClientRow, DiaryEntryRow, FindingRow, SessionRow, TreatmentRow
from knoop.store.scoping import ScopedBase
from knoop.store.snapshot import loads
from knoop.store.types import Actor

#: The columns of :attr:`ExportPage.sessions`, in order (``regions`` is the list of painted
#: regions, ``findings`` and ``treatments`` their numbers).
SESSION_COLUMNS = ("practice_id", "client_id", "session_id", "started_at", "status",
                   "complaint", "symptoms", "causes", "nrs_before", "nrs_after", "regions",
                   "findings", "treatments", "next_appointment", "kb_version", "chart_version")
FINDING_COLUMNS = ("client_id", "session_id", "started_at", "finding_id", "muscle", "side",
                   "trigger_point", "result", "pain_recognised", "tender_spot", "taut_band",
                   "referral_elicited", "twitch", "note")
TREATMENT_COLUMNS = ("client_id", "session_id", "started_at", "treatment_id", "muscle", "side",
                     "technique", "duration_min", "pressure_tolerance", "note")
#: The columns of :attr:`ExportPage.diary` (``regions``: the painted regions of the entry's
#: drawing, if any).
DIARY_COLUMNS = ("client_id", "entry_id", "at", "nrs", "exercises_done", "much_worse",
                 "regions")
#: Clients per page (one short transaction each).
PAGE = 500


@dataclass
class ExportPage:
    """One page of the export: rows as tuples in the order of the ``*_COLUMNS`` above,
    clients by ID, their sessions by start, findings and treatments in charting order.
    Yes/no cells are 1/0 (None: not recorded)."""

    clients: int
    sessions: list[tuple[Any, ...]] = field(default_factory=list)
    findings: list[tuple[Any, ...]] = field(default_factory=list)
    treatments: list[tuple[Any, ...]] = field(default_factory=list)
    diary: list[tuple[Any, ...]] = field(default_factory=list)


@dataclass(frozen=True)
class ExportScope:
    """What an export covers, fixed (and access-logged) when it starts."""

    clients: int
    sessions: int
    last_client_id: int


def _iso(t: dt.datetime | str | None) -> str | None:
    """A moment as ``datetime.isoformat`` writes it, also from SQLite's stored text
    (``2026-03-02 09:00:00.000000``), read raw: parsing a million of them costs seconds."""
    if t is None or isinstance(t, dt.datetime):
        return t.isoformat() if t is not None else None
    frac = t[19:]
    return f"{t[:10]}T{t[11:19]}{frac if frac.strip('.0') else ''}"


@lru_cache(maxsize=4096)
def _parsed_ids(raw: str) -> tuple[str, ...]:
    return tuple(json.loads(raw) or ())


def _ids(raw: Any) -> list[str]:
    """A JSON list of vocabulary IDs (symptoms, causes), read raw: the same few lists come
    back again and again, so each distinct text is parsed once."""
    if not isinstance(raw, str):
        return list(raw or [])
    return list(_parsed_ids(raw))


def _json(raw: Any) -> Any:
    return loads(raw) if isinstance(raw, str) else raw


def _raw(col: Any) -> Any:
    """The column as the driver returns it (SQLite: the stored text), without SQLAlchemy's
    per-row conversion; :func:`_iso`, :func:`_ids` and :func:`_json` read both forms."""
    return type_coerce(col, String).label(col.key)


def _yes_no(col: Any) -> Any:
    """A yes/no column as 1/0 (None: not recorded) on both databases."""
    return cast(col, Integer).label(col.key)


def _fetch(conn: Connection, stmt: Executable) -> Sequence[Any]:
    """All rows as the driver returns them (tuples): no per-row work by SQLAlchemy, which
    costs more than the query itself for a million rows. Yes/no columns are read with
    :func:`_yes_no`, JSON and moments with :func:`_raw`."""
    result = conn.execute(stmt)
    try:
        return result.cursor.fetchall()
    finally:
        result.close()


@dataclass(frozen=True)
class ExportPlan:
    """An export, fixed (and access-logged) when it starts: what it covers and its pages as
    ranges of client IDs (``lo``, ``hi``, how many clients), ``page`` clients each."""

    scope: ExportScope
    practice_id: int
    pages: list[tuple[int, int, int]]


def read_page(conn: Connection, pid: int, lo: int, hi: int, clients: int) -> ExportPage:
    """The rows of practice ``pid``'s clients with IDs ``lo`` to ``hi`` (``clients`` of them),
    read in the caller's transaction: five index range scans, whatever the page's position."""
    in_page = (SessionRow.practice_id == pid, SessionRow.client_id.between(lo, hi))
    in_order = (SessionRow.client_id, SessionRow.started_at, SessionRow.id)
    out = ExportPage(clients)
    n_findings = (select(func.count()).where(FindingRow.session_id == SessionRow.id)
                  .scalar_subquery())
    n_treatments = (select(func.count()).where(TreatmentRow.session_id == SessionRow.id)
                    .scalar_subquery())
    sess = _fetch(conn, select(
        SessionRow.id, SessionRow.client_id, _raw(SessionRow.started_at), SessionRow.status,
        SessionRow.complaint, _raw(SessionRow.symptoms), _raw(SessionRow.causes),
        SessionRow.nrs_before, SessionRow.nrs_after, _raw(SessionRow.regions), n_findings,
        n_treatments, _raw(SessionRow.next_appointment), SessionRow.kb_version,
        SessionRow.chart_version)
        .where(*in_page).order_by(*in_order))
    started = {r[0]: _iso(r[2]) for r in sess}
    out.findings = [(f[0], f[1], started[f[1]], *f[2:]) for f in _fetch(conn, select(
        SessionRow.client_id, FindingRow.session_id, FindingRow.id, FindingRow.muscle,
        FindingRow.side, FindingRow.trigger_point, FindingRow.result,
        _yes_no(FindingRow.pain_recognised), _yes_no(FindingRow.tender_spot),
        _yes_no(FindingRow.taut_band), _yes_no(FindingRow.referral_elicited),
        _yes_no(FindingRow.twitch), FindingRow.note)
        .join(SessionRow, SessionRow.id == FindingRow.session_id).where(*in_page)
        .order_by(*in_order, FindingRow.id))]
    out.treatments = [(t[0], t[1], started[t[1]], *t[2:]) for t in _fetch(conn, select(
        SessionRow.client_id, TreatmentRow.session_id, TreatmentRow.id,
        TreatmentRow.muscle, TreatmentRow.side, TreatmentRow.technique,
        TreatmentRow.duration_min, TreatmentRow.pressure_tolerance, TreatmentRow.note)
        .join(SessionRow, SessionRow.id == TreatmentRow.session_id).where(*in_page)
        .order_by(*in_order, TreatmentRow.id))]
    out.diary = [(e[0], e[1], _iso(e[2]), e[3], e[4], e[5], _json(e[6]) or [])
                 for e in _fetch(conn, select(
        DiaryEntryRow.client_id, DiaryEntryRow.id, _raw(DiaryEntryRow.at),
        DiaryEntryRow.nrs, _yes_no(DiaryEntryRow.exercises_done),
        _yes_no(DiaryEntryRow.much_worse),
        _raw(DiaryEntryRow.regions))
        .where(DiaryEntryRow.practice_id == pid, DiaryEntryRow.client_id.between(lo, hi))
        .order_by(DiaryEntryRow.client_id, DiaryEntryRow.at, DiaryEntryRow.id))]
    out.sessions = [(pid, r[1], r[0], started[r[0]], r[3], r[4], _ids(r[5]), _ids(r[6]),
                     r[7], r[8], _json(r[9]) or [], r[10], r[11], _iso(r[12]), r[13], r[14])
                    for r in sess]
    return out


class PageReader:
    """Reads export pages on a read-only connection of its own: what a worker process of a
    parallel export (``fhir.csvexport``) uses. Each page is one read transaction (a snapshot);
    the plan, scoping and access-log entry come from :meth:`ExportsMixin.export_plan` in the
    process that started the export."""

    def __init__(self, url: str) -> None:
        self.engine = make_reader(url)

    def __call__(self, pid: int, lo: int, hi: int, clients: int) -> ExportPage:
        with self.engine.connect() as conn, conn.begin():
            return read_page(conn, pid, lo, hi, clients)

    def close(self) -> None:
        self.engine.dispose()


class ExportsMixin(ScopedBase):
    def export_plan(self, actor: Actor, *, page: int = PAGE) -> ExportPlan:
        """Start an export of every client of the actor's practice that exists now: append the
        one ``export`` entry to the access log (how many clients and sessions, up to which
        client ID) before any row is read, and split the clients into pages of ``page``."""
        page = v.whole("page", page, 1, 5000) or PAGE
        pid = actor.practice_id

        def start(s: OrmSession) -> ExportPlan:
            n, last = s.execute(select(func.count(), func.max(ClientRow.id))
                                .where(ClientRow.practice_id == pid)).one()
            sessions = s.scalar(select(func.count()).select_from(SessionRow)
                                .where(SessionRow.practice_id == pid)) or 0
            self._log(s, actor, "export", None, f"practice:{pid}/csv",
                      f"all clients: {n} clients, {sessions} sessions, ids <= {last or 0}")
            ids = list(s.connection().scalars(
                select(ClientRow.id).where(ClientRow.practice_id == pid)
                .order_by(ClientRow.id)))
            pages = [(ids[i], ids[min(i + page, len(ids)) - 1], min(page, len(ids) - i))
                     for i in range(0, len(ids), page)]
            return ExportPlan(ExportScope(int(n), int(sessions), int(last or 0)), pid, pages)

        return self._run(start)

    def export_page(self, plan: ExportPlan, index: int) -> ExportPage:
        """Page ``index`` of ``plan``, in a short transaction of its own (a writer never waits
        for more than one page)."""
        lo, hi, n = plan.pages[index]
        return self._run(lambda s: read_page(s.connection(), plan.practice_id, lo, hi, n))

    def reader_url(self) -> str | None:
        """The database URL for a :class:`PageReader` in another process (None: an in-memory
        database, which another process cannot open)."""
        url = self.engine.url
        if url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:"):
            return None
        return url.render_as_string(hide_password=False)

    def practice_export(self, actor: Actor, *, page: int = PAGE) -> Iterator[ExportPage]:
        """Every client of the actor's practice that exists when the export starts, a page of
        ``page`` clients at a time (see :meth:`export_plan`)."""
        plan = self.export_plan(actor, page=page)
        for i in range(len(plan.pages)):
            yield self.export_page(plan, i)
