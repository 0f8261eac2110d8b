"""Retention and erasure, and the operator's views of the access log."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session as OrmSession

from knoop.errors import Forbidden, NotFound
from knoop.store import audit
from knoop.store import validate as v
from knoop.store.erasures import reason_code
from knoop.store.models import (
    ClientRow,
    ConsentRow,
    ErasureRow,
    FindingRow,
    HandoutRow,
    NoteRow,
    SessionRankingRow,
    SessionRow,
    TreatmentRow,
    UserRow,
)
from knoop.store.scoping import ScopedBase
from knoop.store.types import (
    AccessEntry,
    Actor,
    ChainReport,
    RetentionRow,
)


class RetentionMixin(ScopedBase):
    # ---- retention and the access log (operator views) -------------------------------------
    def retention_report(self, *, practice_id: int | None = None,
                         within_days: int = 0, today: dt.date | None = None) -> list[RetentionRow]:
        """Dossiers whose retention date has passed (or passes within ``within_days``)."""
        today = today or self.clock().date()
        limit = today + dt.timedelta(days=within_days)

        def op(s: OrmSession) -> list[RetentionRow]:
            q = select(ClientRow.id, ClientRow.practice_id, ClientRow.last_change,
                       ClientRow.retention_until).where(ClientRow.retention_until <= limit)
            if practice_id is not None:
                q = q.where(ClientRow.practice_id == practice_id)
            rows = s.execute(q.order_by(ClientRow.retention_until, ClientRow.id)).all()
            return [RetentionRow(r.id, r.practice_id, r.last_change, r.retention_until,
                                 r.retention_until <= today) for r in rows]
        return self._run(op)

    def retention_counts(self) -> dict[str, Any]:
        def op(s: OrmSession) -> dict[str, Any]:
            total = s.scalar(select(func.count()).select_from(ClientRow)) or 0
            first = s.scalar(select(func.min(ClientRow.retention_until)))
            return {"dossiers": total, "earliest_retention_until": first}
        return self._run(op)

    def access_for_client(self, client_id: int, *, practice_id: int | None = None,
                          actor: Actor | None = None) -> list[AccessEntry]:
        """Who accessed a client, oldest first (also after erasure). With an ``actor`` only
        an admin of the client's practice may look; the CLI operator passes none."""
        from knoop.store.models import AccessLogRow
        if actor is not None:
            if not actor.is_admin:
                raise Forbidden("only an admin can read the access log")
            practice_id = actor.practice_id

        def op(s: OrmSession) -> list[AccessEntry]:
            q = select(AccessLogRow).where(AccessLogRow.client_id == client_id)
            if practice_id is not None:
                q = q.where(AccessLogRow.practice_id == practice_id)
            out = [audit.entry(r) for r in s.scalars(q.order_by(AccessLogRow.id))]
            if actor is not None:
                self._log(s, actor, "audit_read", client_id, f"client:{client_id}/access")
            return out
        return self._run(op)

    def verify_access_log(self) -> ChainReport:
        """The keyed chain, the head row, the anchor outside the database and the append-only
        triggers (:func:`knoop.store.audit.verify`)."""
        return audit.verify(self.engine, self.audit_key, self.audit_anchor)

    def check_full_export(self, actor: Actor, client_id: int) -> None:
        """The role rule for exporting a client's whole record (the dossier, the client's FHIR
        Bundle): admins only, as the copy is complete and may include the access log. Another
        practice gets NotFound first, exactly as for a client that does not exist."""
        if actor.is_admin:
            return
        self._run(lambda s: self._client_row(s, actor, client_id))
        raise Forbidden("only an admin can export the full dossier: it includes the access log")

    def actor_for(self, user_id: int, on_behalf_of: str = "") -> Actor:
        def op(s: OrmSession) -> Actor:
            u = s.get(UserRow, user_id)
            if u is None or not u.active:
                raise NotFound(f"user {user_id} not found", field="user_id")
            return Actor(u.id, u.practice_id, u.role, u.email, on_behalf_of)
        return self._run(op)

    def erase_client(self, actor: Actor, client_id: int, *, reason: str = "on_request",
                     note: str = "", register: bool = True) -> None:
        """Erase a client's dossier (AVG art. 17 / WGBO 7:455). Admins only. ``reason`` is a
        code (:data:`knoop.store.erasures.CODES`), all the permanent access log gets; ``note``
        is free text (it may name the client or a diagnosis) for the erasure register only,
        which a restore re-applies (with ``register=False``: the row is there already). One
        transaction: the dossier, the register row, the log."""
        if not actor.is_admin:
            raise Forbidden("only an admin can erase a dossier")
        code, note = reason_code(reason, note)
        note = v.text("note", note, max_len=500)

        def op(s: OrmSession) -> None:
            c = self._client_row(s, actor, client_id, lock=True)
            if register:
                s.add(ErasureRow(practice_id=actor.practice_id, client_id=client_id,
                                 erased_at=self.clock(), erased_by=actor.user_id, code=code,
                                 note=note))
            n_sessions = s.scalar(select(func.count()).select_from(SessionRow)
                                  .where(SessionRow.client_id == c.id))
            sids = select(SessionRow.id).where(SessionRow.client_id == c.id)
            for table in (FindingRow, TreatmentRow, HandoutRow, SessionRankingRow):
                s.execute(delete(table).where(table.session_id.in_(sids)))
            s.execute(delete(NoteRow).where(NoteRow.session_id.in_(sids)))
            s.execute(delete(SessionRow).where(SessionRow.client_id == c.id))
            s.execute(delete(ConsentRow).where(ConsentRow.client_id == c.id))
            from knoop.store.models import IntakeTokenRow
            s.execute(delete(IntakeTokenRow).where(IntakeTokenRow.client_id == c.id))
            from knoop.store.models import AftercareLinkRow, DiaryEntryRow
            s.execute(delete(DiaryEntryRow).where(DiaryEntryRow.client_id == c.id))
            s.execute(delete(AftercareLinkRow).where(AftercareLinkRow.client_id == c.id))
            s.delete(c)
            self._log(s, actor, "erase", client_id, f"client:{client_id}",
                      f"reason={code}; sessions={n_sessions}")
        self._run(op)
