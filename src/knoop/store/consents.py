"""Consents: what the client agreed to (treatment, sharing with the GP, photos, research),
when, and under which text version."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session as OrmSession

from knoop.errors import BadInput
from knoop.store import validate as v
from knoop.store.models import (
    CONSENT_KINDS,
    ConsentRow,
)
from knoop.store.scoping import ScopedBase
from knoop.store.types import (
    Actor,
    Consent,
)


class ConsentsMixin(ScopedBase):
    # ---- consents --------------------------------------------------------------------------
    def record_consent(self, actor: Actor, client_id: int, kind: str, given: bool,
                       text_version: str, date: dt.date | str | None = None) -> Consent:
        """Record that consent of ``kind`` was given (or withdrawn: ``given=False``)."""
        kind = v.choice("kind", kind, CONSENT_KINDS)
        if not isinstance(given, bool):
            raise BadInput("given: must be true or false", field="given")
        text_version = v.text("text_version", text_version, max_len=40, required=True)
        day = v.date("date", date) or self.clock().date()

        def op(s: OrmSession) -> Consent:
            c = self._client_row(s, actor, client_id)
            r = ConsentRow(client_id=c.id, kind=kind, given=given, date=day,
                           text_version=text_version, taken_by=actor.user_id,
                           created_at=self.clock())
            s.add(r)
            s.flush()
            self._touch(s, c.id)
            self._log(s, actor, "create", c.id, f"consent:{r.id}", f"{kind} given={given}")
            return Consent(r.id, c.id, kind, given, day, text_version, r.taken_by, r.created_at)
        return self._run(op)

    def consents(self, actor: Actor, client_id: int) -> list[Consent]:
        """All consent records, oldest first; the last one per kind is the one in force."""
        def op(s: OrmSession) -> list[Consent]:
            c = self._client_row(s, actor, client_id)
            rows = s.scalars(select(ConsentRow).where(ConsentRow.client_id == c.id)
                             .order_by(ConsentRow.id))
            out = [Consent(r.id, r.client_id, r.kind, r.given, r.date, r.text_version,
                           r.taken_by, r.created_at) for r in rows]
            self._log(s, actor, "read", c.id, f"client:{c.id}/consents")
            return out
        return self._run(op)
