"""One-time intake links: a client draws and answers at home; the link makes one draft
session for one client and then stops working. Stored only as the token's sha256."""

from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session as OrmSession

from knoop.errors import AuthError, Conflict, NotFound
from knoop.store import audit
from knoop.store import validate as v
from knoop.store.authentication import token_hash
from knoop.store.models import (
    IntakeTokenRow,
)
from knoop.store.sessions import SessionsMixin
from knoop.store.types import Actor, IntakeGrant, IntakeLink

INTAKE_FIELDS = ("complaint", "symptoms", "causes", "screening", "painmap", "strokes", "drawing",
                 "intake",
                 "nrs_before")


def intake_link_of(r: IntakeTokenRow, now: dt.datetime) -> IntakeLink:
    state = ("used" if r.used_at is not None else "revoked" if r.revoked_at is not None
             else "expired" if r.expires_at <= now else "open")
    return IntakeLink(r.id, r.client_id, r.created_by, r.created_at, r.expires_at, r.used_at,
                      r.revoked_at, state)


class IntakeLinksMixin(SessionsMixin):
    # ---- intake links ----------------------------------------------------------------------
    def create_intake_token(self, actor: Actor, client_id: int,
                            ttl: dt.timedelta = dt.timedelta(days=3)) -> str:
        """A one-time link token for the client to fill in the intake at home."""
        if ttl <= dt.timedelta(0) or ttl > dt.timedelta(days=30):
            raise v.BadInput("ttl: between 1 second and 30 days", field="ttl")
        token = secrets.token_urlsafe(32)
        now = self.clock()

        def op(s: OrmSession) -> str:
            c = self._client_row(s, actor, client_id)
            s.add(IntakeTokenRow(token_hash=token_hash(token), practice_id=actor.practice_id,
                                 client_id=c.id, created_by=actor.user_id, created_at=now,
                                 expires_at=now + ttl))
            audit.append(s, at=now, actor=actor, action="intake_link", client_id=c.id,
                         obj=f"client:{c.id}", detail=f"expires={(now + ttl).isoformat()}")
            return token
        return self._run(op)

    def intake_links(self, actor: Actor, client_id: int) -> list[IntakeLink]:
        """The client's intake links, newest first, with their state (open, used, expired,
        revoked). Never the token nor its hash: a link is named by its ``id``."""
        now = self.clock()

        def op(s: OrmSession) -> list[IntakeLink]:
            c = self._client_row(s, actor, client_id)
            rows = s.scalars(select(IntakeTokenRow).where(IntakeTokenRow.client_id == c.id)
                             .order_by(IntakeTokenRow.created_at.desc(),
                                       IntakeTokenRow.id.desc())).all()
            audit.append(s, at=now, actor=actor, action="read", client_id=c.id,
                         obj=f"client:{c.id}/intake_links")
            return [intake_link_of(r, now) for r in rows]
        return self._run(op)

    def revoke_intake_token(self, actor: Actor, link_id: int) -> IntakeLink:
        """Make an intake link unusable before it expires (sent to the wrong address, no
        longer needed). A used link cannot be revoked (Conflict); revoking twice is harmless.
        A link of another practice is the same NotFound as one that does not exist."""
        now = self.clock()

        def op(s: OrmSession) -> IntakeLink:
            if isinstance(link_id, bool) or not isinstance(link_id, int):
                raise NotFound(f"intake link {link_id} not found", field="link_id")
            r = s.scalar(select(IntakeTokenRow).where(
                IntakeTokenRow.id == link_id, IntakeTokenRow.practice_id == actor.practice_id)
                .with_for_update())
            if r is None:
                raise NotFound(f"intake link {link_id} not found", field="link_id")
            self._client_row(s, actor, r.client_id)
            if r.used_at is not None:
                raise Conflict(f"intake link {link_id} was already used", field="link_id")
            if r.revoked_at is None:
                r.revoked_at = now
                audit.append(s, at=now, actor=actor, action="intake_link_revoke",
                             client_id=r.client_id, obj=f"intake_link:{r.id}")
            return intake_link_of(r, now)
        return self._run(op)

    def check_intake_token(self, token: str) -> IntakeGrant:
        """What the token allows, without using it up (to show the form)."""
        now = self.clock()

        def op(s: OrmSession) -> IntakeGrant:
            r = self._intake_row(s, token, now)
            return IntakeGrant(r.practice_id, r.client_id, r.created_by, r.expires_at)
        return self._run(op)

    def _intake_row(self, s: OrmSession, token: str, now: dt.datetime,
                    lock: bool = False) -> IntakeTokenRow:
        q = select(IntakeTokenRow).where(IntakeTokenRow.token_hash == token_hash(token or ""))
        if lock:
            q = q.with_for_update()
        r = s.scalar(q)
        if r is None or r.used_at is not None or r.revoked_at is not None or r.expires_at <= now:
            raise AuthError("this intake link is unknown, used, revoked or expired; ask the "
                            "practice for a new one (deze link is niet meer geldig)")
        return r

    def use_intake_token(self, token: str, intake: dict | None = None) -> IntakeGrant:
        """Use the token once. With ``intake`` (the keyword arguments of
        :meth:`create_session`: complaint, symptoms, causes, screening, painmap, strokes,
        intake, nrs_before) a draft session is stored in the same transaction."""
        now = self.clock()

        def op(s: OrmSession) -> IntakeGrant:
            r = self._intake_row(s, token, now, lock=True)
            r.used_at = now
            actor = Actor(None, r.practice_id, "client",
                          on_behalf_of=f"client {r.client_id} (intake link of user "
                                       f"{r.created_by})")
            sid = None
            if intake is not None:
                unknown = set(intake) - set(INTAKE_FIELDS)
                if unknown:
                    f = min(unknown)
                    raise v.BadInput(f"{f}: not an intake field", field=f,
                                     allowed=INTAKE_FIELDS)
                answers = dict(intake)
                answers["intake"] = {"source": "intake_link",
                                     **dict(answers.get("intake") or {}),
                                     "submitted_at": now.isoformat(timespec="seconds")}
                sid = self._new_session(s, actor, r.client_id, status="draft",
                                        **answers).id
            else:
                audit.append(s, at=now, actor=actor, action="intake_link_used",
                             client_id=r.client_id, obj=f"client:{r.client_id}")
            return IntakeGrant(r.practice_id, r.client_id, r.created_by, r.expires_at, sid)
        return self._run(op)
