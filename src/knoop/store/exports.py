"""Exports of the whole practice: every client's sessions, findings and treatments as rows, read
by keyset pagination on the client ID in short transactions (a writer never waits for more
than one page), with one access-log entry for the whole export.

The cost is linear in the size of the practice: each page is four index range scans (clients
by ``practice_id, id``; their sessions, findings and treatments by client ID range), whatever
the page's position. Lists never read the ranking snapshot or the strokes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session as OrmSession

from knoop.store import validate as v
from knoop.store.models import ClientRow, FindingRow, SessionRow, TreatmentRow
from knoop.store.scoping import ScopedBase
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
#: Clients per page (one short transaction each).
PAGE = 500


@dataclass
class ExportPage:
    """One page of the export: rows as tuples in the order of the ``*_COLUMNS`` above,
    clients by ID, their sessions by start, findings and treatments in charting order."""

    clients: int
    sessions: list[tuple[Any, ...]] = field(default_factory=list)
    findings: list[tuple[Any, ...]] = field(default_factory=list)
    treatments: list[tuple[Any, ...]] = field(default_factory=list)


@dataclass(frozen=True)
class ExportScope:
    """What an export covers, fixed (and access-logged) when it starts."""

    clients: int
    sessions: int
    last_client_id: int


def _iso(t: dt.datetime | None) -> str | None:
    return t.isoformat() if t is not None else None


class ExportsMixin(ScopedBase):
    def practice_export(self, actor: Actor, *, page: int = PAGE,
                        scope: list[ExportScope] | None = None) -> Iterator[ExportPage]:
        """Every client of the actor's practice that exists when the export starts, a page of
        ``page`` clients at a time. The first transaction appends the one ``export`` entry to
        the access log (how many clients and sessions, up to which client ID) before any row is
        read; ``scope``, when given, receives that :class:`ExportScope`."""
        page = v.whole("page", page, 1, 5000) or PAGE

        def start(s: OrmSession) -> ExportScope:
            pid = actor.practice_id
            n, last = s.execute(select(func.count(), func.max(ClientRow.id))
                                .where(ClientRow.practice_id == pid)).one()
            sessions = s.scalar(select(func.count()).select_from(SessionRow)
                                .where(SessionRow.practice_id == pid)) or 0
            self._log(s, actor, "export", None, f"practice:{pid}/csv",
                      f"all clients: {n} clients, {sessions} sessions, ids <= {last or 0}")
            return ExportScope(int(n), int(sessions), int(last or 0))

        sc = self._run(start)
        if scope is not None:
            scope.append(sc)
        after = 0
        while after < sc.last_client_id:
            def op(s: OrmSession, a: int = after) -> tuple[int, ExportPage] | None:
                return self._export_page(s, actor, a, sc.last_client_id, page)
            out = self._run(op)
            if out is None:
                return
            after, rows = out
            yield rows

    def _export_page(self, s: OrmSession, actor: Actor, after: int, last: int,
                     page: int) -> tuple[int, ExportPage] | None:
        pid = actor.practice_id
        ids = list(s.scalars(select(ClientRow.id).where(ClientRow.practice_id == pid,
                                                        ClientRow.id > after,
                                                        ClientRow.id <= last)
                             .order_by(ClientRow.id).limit(page)))
        if not ids:
            return None
        lo, hi = ids[0], ids[-1]
        in_page = (SessionRow.practice_id == pid, SessionRow.client_id.between(lo, hi))
        out = ExportPage(len(ids))
        started: dict[int, str | None] = {}
        counts: dict[int, list[int]] = {}
        sess = s.execute(
            select(SessionRow.id, SessionRow.client_id, SessionRow.started_at,
                   SessionRow.status, SessionRow.complaint, SessionRow.symptoms,
                   SessionRow.causes, SessionRow.nrs_before, SessionRow.nrs_after,
                   SessionRow.regions, SessionRow.next_appointment, SessionRow.kb_version,
                   SessionRow.chart_version)
            .where(*in_page)
            .order_by(SessionRow.client_id, SessionRow.started_at, SessionRow.id)).all()
        client_of: dict[int, int] = {}
        for r in sess:
            started[r.id] = _iso(r.started_at)
            client_of[r.id] = r.client_id
            counts[r.id] = [0, 0]
        for f in s.execute(
                select(FindingRow.session_id, FindingRow.id, FindingRow.muscle, FindingRow.side,
                       FindingRow.trigger_point, FindingRow.result, FindingRow.pain_recognised,
                       FindingRow.tender_spot, FindingRow.taut_band,
                       FindingRow.referral_elicited, FindingRow.twitch, FindingRow.note)
                .join(SessionRow, SessionRow.id == FindingRow.session_id).where(*in_page)
                .order_by(FindingRow.id)):
            counts[f[0]][0] += 1
            out.findings.append((client_of[f[0]], f[0], started[f[0]], *f[1:]))
        for t in s.execute(
                select(TreatmentRow.session_id, TreatmentRow.id, TreatmentRow.muscle,
                       TreatmentRow.side, TreatmentRow.technique, TreatmentRow.duration_min,
                       TreatmentRow.pressure_tolerance, TreatmentRow.note)
                .join(SessionRow, SessionRow.id == TreatmentRow.session_id).where(*in_page)
                .order_by(TreatmentRow.id)):
            counts[t[0]][1] += 1
            out.treatments.append((client_of[t[0]], t[0], started[t[0]], *t[1:]))
        order = {sid: i for i, sid in enumerate(started)}
        out.findings.sort(key=lambda x: order[x[1]])  # stable: charting order per session
        out.treatments.sort(key=lambda x: order[x[1]])
        for r in sess:
            nf, nt = counts[r.id]
            out.sessions.append((pid, r.client_id, r.id, started[r.id], r.status, r.complaint,
                                 r.symptoms or [], r.causes or [], r.nrs_before, r.nrs_after,
                                 r.regions or [], nf, nt, _iso(r.next_appointment),
                                 r.kb_version, r.chart_version))
        return hi, out
