"""The scoping rule of every record operation, in one base class.

Every function takes an :class:`Actor` and only ever sees rows of ``actor.practice_id``. A
client or session of another practice raises exactly the same :class:`NotFound` as one that
does not exist. Every read and write of client data appends to the access log in the same
transaction (:meth:`ScopedBase._log`)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import defer

from knoop.errors import Conflict, ConsentMissing, NotFound, RedFlagOpen, StaleVersion
from knoop.kb import KB_VERSION, KnowledgeBase, knowledge_base
from knoop.kb.models import CAUSES
from knoop.ranking import default_ranker
from knoop.ranking.redflags import flag_title
from knoop.store import audit
from knoop.store.base import StoreBase
from knoop.store.models import (
    ClientRow,
    ConsentRow,
    FindingRow,
    FlagDecisionRow,
    HandoutRow,
    NoteRow,
    SessionRankingRow,
    SessionRow,
    TreatmentRow,
    UserRow,
)
from knoop.store.rows import (
    age_on,
    finding_of,
    flag_decision_of,
    handout_of,
    note_of,
    retention_date,
    treatment_of,
)
from knoop.store.soap import FlagOutcome, soap_text
from knoop.store.types import Actor, Session

#: Load a session row without its strokes (the ranking snapshot is in its own table).
SUMMARY_ONLY = (defer(SessionRow.strokes, raiseload=True),)
#: Ids per ``IN (...)`` list: well below SQLite's limit of bound parameters.
CHUNK = 900


def _chunks(ids: Sequence[int]) -> Iterator[Sequence[int]]:
    for i in range(0, len(ids), CHUNK):
        yield ids[i:i + CHUNK]


class ScopedBase(StoreBase):
    """Row look-ups scoped to the actor's practice, the access log, closed-session checks, and
    what every part of a session needs: its ranking snapshot, its assembly, its SOAP text."""

    # ---- helpers ---------------------------------------------------------------------------
    def _log(self, s: OrmSession, actor: Actor, action: str, client_id: int | None,
             obj: str = "", detail: str = "") -> None:
        audit.append(s, at=self.clock(), actor=actor, action=action, client_id=client_id,
                     obj=obj, detail=detail)

    def _client_row(self, s: OrmSession, actor: Actor, client_id: int,
                    lock: bool = False) -> ClientRow:
        if isinstance(client_id, bool) or not isinstance(client_id, int):
            raise NotFound(f"client {client_id} not found", field="client_id")
        q = select(ClientRow).where(ClientRow.id == client_id,
                                    ClientRow.practice_id == actor.practice_id)
        r = s.scalar(q.with_for_update() if lock else q)
        if r is None:
            raise NotFound(f"client {client_id} not found", field="client_id")
        return r

    def _session_row(self, s: OrmSession, actor: Actor, session_id: int) -> SessionRow:
        if isinstance(session_id, bool) or not isinstance(session_id, int):
            raise NotFound(f"session {session_id} not found", field="session_id")
        r = s.scalar(select(SessionRow).where(SessionRow.id == session_id,
                                              SessionRow.practice_id == actor.practice_id))
        if r is None:
            raise NotFound(f"session {session_id} not found", field="session_id")
        return r

    def _touch(self, s: OrmSession, client_id: int) -> None:
        now = self.clock()
        c = s.get(ClientRow, client_id)
        assert c is not None
        c.last_change = now
        c.retention_until = retention_date(now)

    def _writable(self, r: SessionRow) -> None:
        if r.status == "closed":
            raise Conflict(f"session {r.id} is closed; reopen it (status open) to change it",
                           field="status", kind="closed")

    @staticmethod
    def _ranking(s: OrmSession, r: SessionRow) -> dict[str, Any] | None:
        """The session's ranking snapshot (None: none stored); read once per transaction."""
        snap = s.get(SessionRankingRow, r.id)
        return snap.ranking if snap is not None else None

    @staticmethod
    def _store_ranking(s: OrmSession, r: SessionRow, ranking: dict[str, Any] | None) -> None:
        """Replace the session's ranking snapshot (None: remove it); ``r`` must have its id."""
        snap = s.get(SessionRankingRow, r.id)
        if ranking is None:
            if snap is not None:
                s.delete(snap)
        elif snap is None:
            s.add(SessionRankingRow(session_id=r.id, ranking=ranking))
        else:
            snap.ranking = ranking

    def _rerank(self, s: OrmSession, r: SessionRow) -> None:
        """A fresh ranking snapshot with the session's findings as charted, in order."""
        self._rank(s, r, list(s.scalars(select(FindingRow).where(FindingRow.session_id == r.id)
                                        .order_by(FindingRow.id))))

    def _rank(self, s: OrmSession, r: SessionRow, findings: list[FindingRow]) -> None:
        """Snapshot a fresh ranking (:meth:`_ranked`) in place of the stored one."""
        self._store_ranking(s, r, self._ranked(s, r, findings))

    def _ranked(self, s: OrmSession, r: SessionRow,
                findings: list[FindingRow]) -> dict[str, Any] | None:
        """A fresh ranking from the pain map, the session's symptoms and screening, and the
        palpation findings (``not_examined`` does not count); stamps the session's KB
        version. None when there is nothing to rank."""
        if r.painmap is None and not r.symptoms and not r.screening:
            r.kb_version = KB_VERSION
            return None
        pm = dict(r.painmap or {"regions": []})
        pm["symptoms"] = sorted(set(pm.get("symptoms", [])) | set(r.symptoms or []))
        pm["screening"] = sorted(set(pm.get("screening", [])) | set(r.screening or []))
        seen: dict[tuple[str, str], dict[str, str]] = {}
        for f in findings:
            if f.result in ("active", "latent", "none_found"):
                seen[(f.muscle, f.side)] = {"muscle": f.muscle, "side": f.side,
                                            "result": f.result}
        pm["findings"] = list(seen.values())
        age = self._age(s, r)
        if age is not None:  # the red-flag rules weigh age (a new headache after 50, ...)
            pm["client"] = {**(pm.get("client") or {}), "age": age}
        ranker = default_ranker()
        ranking: dict[str, Any] = ranker.rank(ranker.parse(pm), "nl").to_dict()
        r.kb_version = ranking["kb_version"]
        return ranking

    def _age(self, s: OrmSession, r: SessionRow) -> int | None:
        """The client's age in whole years on the day of the session (None: unknown)."""
        c = s.get(ClientRow, r.client_id)
        if c is None:
            return None
        return age_on(c.date_of_birth, (r.started_at or self.clock()).date())

    def _full(self, s: OrmSession, r: SessionRow) -> Session:
        return self._full_many(s, [r])[0]

    def _full_many(self, s: OrmSession, rows: Sequence[SessionRow], *,
                   ranking: bool = True) -> list[Session]:
        """Sessions with their findings, treatments, note, handouts, red-flag decisions and
        (with ``ranking``) ranking snapshots in six statements per 900 sessions (never a query
        per session); without ``ranking`` it is None. A row loaded without its strokes
        (:data:`SUMMARY_ONLY`) gives None there."""
        ids = [r.id for r in rows]
        by: dict[str, dict[int, list[Any]]] = {k: {i: [] for i in ids} for k in
                                                ("f", "t", "h", "d")}
        notes: dict[int, NoteRow] = {}
        snaps: dict[int, dict[str, Any]] = {}
        for chunk in _chunks(ids):
            if ranking:
                snaps.update((x.session_id, x.ranking) for x in s.scalars(
                    select(SessionRankingRow).where(SessionRankingRow.session_id.in_(chunk))))
            for f in s.scalars(select(FindingRow).where(FindingRow.session_id.in_(chunk))
                               .order_by(FindingRow.id)):
                by["f"][f.session_id].append(f)
            for t in s.scalars(select(TreatmentRow).where(TreatmentRow.session_id.in_(chunk))
                               .order_by(TreatmentRow.id)):
                by["t"][t.session_id].append(t)
            for h in s.scalars(select(HandoutRow).where(HandoutRow.session_id.in_(chunk))
                               .order_by(HandoutRow.id)):
                by["h"][h.session_id].append(h)
            notes.update((n.session_id, n) for n in
                         s.scalars(select(NoteRow).where(NoteRow.session_id.in_(chunk))))
            for d in s.scalars(select(FlagDecisionRow).where(FlagDecisionRow.session_id
                                                             .in_(chunk))
                               .order_by(FlagDecisionRow.id)):
                by["d"][d.session_id].append(d)
        out = []
        for r in rows:
            unloaded = inspect(r).unloaded
            n = notes.get(r.id)
            out.append(Session(
                r.id, r.client_id, r.practice_id, r.therapist_id, r.started_at, r.status,
                r.complaint, list(r.symptoms or []), list(r.causes or []),
                list(r.screening or []), dict(r.intake or {}), r.painmap,
                list(r.regions or []), r.chart_version,
                None if "strokes" in unloaded else r.strokes, snaps.get(r.id),
                r.kb_version, r.nrs_before, r.nrs_after, r.next_appointment,
                r.created_at, r.updated_at, [finding_of(f) for f in by["f"][r.id]],
                [treatment_of(t) for t in by["t"][r.id]], note_of(n) if n else None,
                [handout_of(h) for h in by["h"][r.id]], r.version or 1,
                [flag_decision_of(d) for d in by["d"][r.id]]))
        return out

    def _decisions(self, s: OrmSession, r: SessionRow) -> list[FlagDecisionRow]:
        return list(s.scalars(select(FlagDecisionRow).where(FlagDecisionRow.session_id == r.id)
                              .order_by(FlagDecisionRow.id)).all())

    # ---- the session's rules ---------------------------------------------------------------
    def _check_version(self, r: SessionRow | ClientRow, expected: int | None,
                       what: str) -> None:
        """Refuse a write based on an older version (``expected`` None: no check, for
        callers that read and write in one transaction, like the CLI)."""
        if expected is not None and expected != (r.version or 1):
            raise StaleVersion(f"{what} {r.id} was changed in the meantime (version "
                               f"{r.version}, your change was based on {expected})",
                               field="version", current=r.version or 1)

    def _open_session(self, s: OrmSession, actor: Actor, session_id: int,
                      expected_version: int | None) -> SessionRow:
        """The session to change: the actor's, not closed, and still at ``expected_version``."""
        r = self._session_row(s, actor, session_id)
        self._writable(r)
        self._check_version(r, expected_version, "session")
        return r

    def _changed(self, r: SessionRow) -> None:
        """The session (or a part of it) changed: new version, new ``updated_at``."""
        r.version = (r.version or 1) + 1
        r.updated_at = self.clock()

    def _gate(self, s: OrmSession, r: SessionRow) -> None:
        """The red-flag gate: no finding or treatment while a red flag of the session's
        ranking is neither acknowledged nor overridden."""
        decided = {d.flag for d in self._decisions(s, r)}
        open_ = [f.get("id") for f in ((self._ranking(s, r) or {}).get("red_flags") or [])
                 if isinstance(f, dict) and f.get("id") not in decided]
        if open_:
            raise RedFlagOpen(f"red flag(s) {', '.join(map(str, open_))} must be acknowledged "
                              "(or, for an emergency, overridden with a reason) first",
                              field="flags", allowed=[str(f) for f in open_])

    @staticmethod
    def _treatment_consent(s: OrmSession, client_id: int) -> bool | None:
        """The client's treatment consent in force: the latest one recorded (True given, False
        withdrawn), None when never asked."""
        latest = s.scalar(select(ConsentRow.given).where(ConsentRow.client_id == client_id,
                                                         ConsentRow.kind == "treatment")
                          .order_by(ConsentRow.id.desc()).limit(1))
        return None if latest is None else bool(latest)

    def _consent_gate(self, s: OrmSession, client_id: int) -> None:
        """No treatment (and no session started by the therapist) without the client's
        treatment consent: the latest treatment consent recorded must be given."""
        if not self._treatment_consent(s, client_id):
            raise ConsentMissing("the client has not given treatment consent: record it first",
                                 field="consent")

    def _regenerate_soap(self, s: OrmSession, r: SessionRow) -> None:
        """Write the note's SOAP text anew from the session's structured data (the note's
        S/O/A/P fields, findings, treatments, NRS, overridden red flags)."""
        n = s.get(NoteRow, r.id)
        if n is None:
            return
        kb = knowledge_base()
        fs = s.scalars(select(FindingRow).where(FindingRow.session_id == r.id)
                       .order_by(FindingRow.id)).all()
        ts = s.scalars(select(TreatmentRow).where(TreatmentRow.session_id == r.id)
                       .order_by(TreatmentRow.id)).all()
        n.soap_text = soap_text(
            complaint=r.complaint, nrs_before=r.nrs_before, nrs_after=r.nrs_after,
            next_appointment=r.next_appointment, subjective=n.subjective,
            objective=n.objective, assessment=n.assessment, plan=n.plan, findings=fs,
            treatments=ts, flags=self._flag_outcomes(s, r),
            regions=[x for x in ((r.painmap or {}).get("regions") or []) if isinstance(x, dict)],
            region_name=lambda g: (kb.contract.regions[g].nl if g in kb.contract.regions
                                   else g).lower(),
            tp_name=lambda m, tp: _tp_name(kb, m, tp),
            symptoms=[kb.contract.symptoms[x].nl.lower() for x in (r.symptoms or [])
                      if x in kb.contract.symptoms],
            causes=[CAUSES[x]["nl"].lower() for x in (r.causes or []) if x in CAUSES],
            muscle_name=lambda m: kb.muscles[m].names.nl if m in kb.muscles else m)

    def _flag_outcomes(self, s: OrmSession, r: SessionRow) -> list[FlagOutcome]:
        """The red flags of this session's ranking with what was decided and by whom."""
        names = {u.id: (u.name or u.email) for u in s.scalars(select(UserRow).where(
            UserRow.practice_id == r.practice_id)).all()}
        decided = {d.flag: d for d in self._decisions(s, r)}
        out = []
        for f in ((self._ranking(s, r) or {}).get("red_flags") or []):
            if not isinstance(f, dict):
                continue
            fid = str(f.get("id"))
            d = decided.get(fid)
            out.append(FlagOutcome(flag_title(fid), str(f.get("urgency")),
                                   d.decision if d else "open",
                                   names.get(d.decided_by or 0, "?") if d else "",
                                   d.reason if d else ""))
        return out


def _tp_name(kb: KnowledgeBase, muscle: str, tp: str) -> str:
    try:
        return str(kb.muscles[muscle].trigger_point(tp).name.nl)
    except KeyError:
        return tp
