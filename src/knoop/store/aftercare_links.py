"""Aftercare links: the client's own page between sessions (``/nazorg/{token}``) with today's
aftercare and a pain diary.

Safe by design, like the intake links (``docs/records.md``): the token is 256-bit random and
only its sha256 is stored; a link is scoped to one client and shows only that client's first
name, latest session's aftercare and own diary. Unlike an intake link it works many times: it
stops when the therapist revokes it, when it has not been used for ``idle_days``, or when the
client's ``aftercare`` consent is missing or withdrawn. Every view and diary entry is in the
access log (on behalf of the client, naming the link and the therapist who made it), and use is
rate-limited (:mod:`knoop.store.throttle`): per link :data:`LINK_LIMIT` requests in 15 minutes,
per address :data:`BAD_TOKEN_LIMIT` unknown, expired or revoked tokens.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.orm import Session as OrmSession

from knoop.errors import (
    AuthError,
    BadInput,
    ChartError,
    Conflict,
    NotFound,
    PainMapError,
    TooManyRequests,
)
from knoop.store import audit, throttle
from knoop.store.authentication import token_hash
from knoop.store.diary import diary_entry_of
from knoop.store.models import (
    AftercareLinkRow,
    ClientRow,
    ConsentRow,
    DiaryEntryRow,
    SessionRow,
    TreatmentRow,
)
from knoop.store.scoping import ScopedBase
from knoop.store.types import Actor, AftercareLink, AftercareView, DiaryEntry

IDLE_DAYS = (7, 14, 28, 56, 90)
DEFAULT_IDLE_DAYS = 28
LINK_LIMIT = 60
BAD_TOKEN_LIMIT = 20
SHOWN_ENTRIES = 30
INVALID = ("this aftercare link is unknown, revoked or expired; ask the practice for a new one "
           "(deze link is niet meer geldig)")


def link_expires(r: AftercareLinkRow) -> dt.datetime:
    return (r.last_used_at or r.created_at) + dt.timedelta(days=r.idle_days)


def aftercare_link_of(r: AftercareLinkRow, now: dt.datetime) -> AftercareLink:
    expires = link_expires(r)
    state = ("revoked" if r.revoked_at is not None else "expired" if expires <= now
             else "open")
    return AftercareLink(r.id, r.client_id, r.created_by, r.created_at, r.idle_days,
                         r.last_used_at, r.revoked_at, expires, state)


def _consented(s: OrmSession, client_id: int) -> bool:
    """The client's ``aftercare`` consent in force (the latest record of that kind) is given."""
    last = s.scalar(select(ConsentRow).where(ConsentRow.client_id == client_id,
                                             ConsentRow.kind == "aftercare")
                    .order_by(ConsentRow.id.desc()).limit(1))
    return bool(last is not None and last.given)


def _drawing(drawing: Any) -> tuple[list[Any] | None, list[dict[str, Any]], str | None]:
    """A diary drawing (strokes, regions, exclude) -> (strokes, region coverage, chart
    version), derived once by :func:`knoop.ranking.drawing.merge_drawing`."""
    from knoop.bodymap import CHART_VERSION
    from knoop.ranking.drawing import merge_drawing

    if drawing is None or drawing == {}:
        return None, [], None
    if not isinstance(drawing, dict) or set(drawing) - {"strokes", "regions", "exclude"}:
        raise BadInput("drawing: must be an object with strokes, regions, exclude",
                       field="drawing", allowed=["strokes", "regions", "exclude"])
    try:
        merged = merge_drawing(dict(drawing))
    except (ChartError, PainMapError) as exc:
        raise BadInput(f"drawing: {exc.message.split(': ', 1)[-1]}", field="drawing",
                       allowed=exc.allowed) from None
    painted = {(c.region, c.side) for c in merged.coverage}
    regions = [{"region": c.region, "side": c.side, "fraction": c.fraction,
                "intensity": c.intensity}
               for c in merged.coverage if (c.region, c.side) not in merged.excluded]
    regions += [{"region": r.region, "side": r.side, "fraction": None, "intensity": r.intensity}
                for r in merged.painmap.regions if r.key not in painted]
    if not regions:
        return None, [], None
    return drawing.get("strokes") or None, regions, CHART_VERSION


class AftercareLinksMixin(ScopedBase):
    # ---- the therapist's side ---------------------------------------------------------------
    def create_aftercare_link(self, actor: Actor, client_id: int,
                              idle_days: int = DEFAULT_IDLE_DAYS) -> str:
        """A link token for the client's aftercare page; shown once, stored as its sha256.
        Needs the client's ``aftercare`` consent (else Conflict, kind ``consent``)."""
        if isinstance(idle_days, bool) or idle_days not in IDLE_DAYS:
            raise BadInput(f"idle_days: one of {', '.join(map(str, IDLE_DAYS))}",
                           field="idle_days", allowed=[str(d) for d in IDLE_DAYS])
        token = secrets.token_urlsafe(32)
        now = self.clock()

        def op(s: OrmSession) -> str:
            c = self._client_row(s, actor, client_id)
            if not _consented(s, c.id):
                raise Conflict("the client has not given consent for the aftercare page "
                               "(toestemming nazorgpagina ontbreekt)", field="consent",
                               kind="consent")
            r = AftercareLinkRow(token_hash=token_hash(token), practice_id=actor.practice_id,
                                 client_id=c.id, created_by=actor.user_id, created_at=now,
                                 idle_days=idle_days)
            s.add(r)
            s.flush()
            self._log(s, actor, "aftercare_link", c.id, f"aftercare_link:{r.id}",
                      f"idle_days={idle_days}")
            return token
        return self._run(op)

    def aftercare_links(self, actor: Actor, client_id: int) -> list[AftercareLink]:
        """The client's aftercare links, newest first, with their state (never the token)."""
        now = self.clock()

        def op(s: OrmSession) -> list[AftercareLink]:
            c = self._client_row(s, actor, client_id)
            rows = s.scalars(select(AftercareLinkRow).where(AftercareLinkRow.client_id == c.id)
                             .order_by(AftercareLinkRow.id.desc())).all()
            self._log(s, actor, "read", c.id, f"client:{c.id}/aftercare_links")
            return [aftercare_link_of(r, now) for r in rows]
        return self._run(op)

    def revoke_aftercare_link(self, actor: Actor, link_id: int) -> AftercareLink:
        """Stop a link at once (revoking twice is harmless). Another practice's link is the
        same NotFound as one that does not exist."""
        now = self.clock()

        def op(s: OrmSession) -> AftercareLink:
            if isinstance(link_id, bool) or not isinstance(link_id, int):
                raise NotFound(f"aftercare link {link_id} not found", field="link_id")
            r = s.scalar(select(AftercareLinkRow).where(
                AftercareLinkRow.id == link_id,
                AftercareLinkRow.practice_id == actor.practice_id).with_for_update())
            if r is None:
                raise NotFound(f"aftercare link {link_id} not found", field="link_id")
            if r.revoked_at is None:
                r.revoked_at = now
                self._log(s, actor, "aftercare_link_revoke", r.client_id,
                          f"aftercare_link:{r.id}")
            return aftercare_link_of(r, now)
        return self._run(op)

    def aftercare_link_for(self, actor: Actor, token: str) -> AftercareLink:
        """The open link of the actor's practice that ``token`` names (to print it as a QR
        code in a handout); NotFound otherwise. Does not count as a use."""
        now = self.clock()

        def op(s: OrmSession) -> AftercareLink:
            r = s.scalar(select(AftercareLinkRow).where(
                AftercareLinkRow.token_hash == token_hash(token or ""),
                AftercareLinkRow.practice_id == actor.practice_id))
            if r is None or aftercare_link_of(r, now).state != "open":
                raise NotFound("aftercare link not found", field="token")
            return aftercare_link_of(r, now)
        return self._run(op)

    # ---- the client's side -------------------------------------------------------------------
    def _link_actor(self, r: AftercareLinkRow) -> Actor:
        return Actor(None, r.practice_id, "client",
                     on_behalf_of=f"client {r.client_id} (aftercare link {r.id} of user "
                                  f"{r.created_by})")

    def _use_link(self, token: str, ip: str, what: str,
                  op: Any) -> Any:
        """Find the link, check throttles, consent, expiry; mark it used; run ``op(s, row,
        now)`` in the same transaction. A bad token counts against the address (committed,
        then AuthError)."""
        now = self.clock()
        ip_key = [("aftercare-ip:" + (ip or "?")[:64], BAD_TOKEN_LIMIT)]

        def run(s: OrmSession) -> tuple[str, Any]:
            if throttle.locked_until(s, ip_key, now) is not None:
                return "throttled", None
            r = s.scalar(select(AftercareLinkRow).where(
                AftercareLinkRow.token_hash == token_hash(token or "")).with_for_update())
            if r is None or r.revoked_at is not None or link_expires(r) <= now \
                    or not _consented(s, r.client_id):
                _until, locked = throttle.reserve(s, ip_key, now)
                if locked:
                    audit.append(s, at=now, actor=None, action="lockout",
                                 detail=f"aftercare-ip:{ip}; {what}")
                return "invalid", None
            if not throttle.hit(s, f"aftercare-link:{r.id}", LINK_LIMIT, throttle.WINDOW, now):
                return "throttled", None
            r.last_used_at = now
            return "ok", op(s, r, now)
        state, result = self._run(run)
        if state == "throttled":
            raise TooManyRequests("this link was used too often; try again in 15 minutes "
                                  "(te vaak gebruikt; probeer het over een kwartier opnieuw)")
        if state == "invalid":
            raise AuthError(INVALID)
        return result

    def open_aftercare(self, token: str, ip: str = "") -> AftercareView:
        """The aftercare page of a link: the client's first name, the latest session with a
        treatment (else the latest that is not a draft; a next session just started does not
        empty the page), and the client's own diary (newest first). Logged as a read."""
        def op(s: OrmSession, r: AftercareLinkRow, now: dt.datetime) -> AftercareView:
            c = s.get(ClientRow, r.client_id)
            assert c is not None
            latest = (select(SessionRow).where(SessionRow.client_id == c.id,
                                               SessionRow.status != "draft")
                      .order_by(SessionRow.started_at.desc(), SessionRow.id.desc()).limit(1))
            treated = exists().where(TreatmentRow.session_id == SessionRow.id)
            sr = s.scalar(latest.where(treated)) or s.scalar(latest)
            entries = s.scalars(select(DiaryEntryRow).where(DiaryEntryRow.client_id == c.id)
                                .order_by(DiaryEntryRow.at.desc(), DiaryEntryRow.id.desc())
                                .limit(SHOWN_ENTRIES)).all()
            audit.append(s, at=now, actor=self._link_actor(r), action="read", client_id=c.id,
                         obj=f"client:{c.id}/aftercare",
                         detail=f"session:{sr.id}" if sr is not None else "no session")
            return AftercareView(r.id, r.practice_id, c.id, c.first_name, r.created_by,
                                 self._full_many(s, [sr], ranking=False)[0]
                                 if sr is not None else None,
                                 [diary_entry_of(e) for e in entries], link_expires(r))
        result: AftercareView = self._use_link(token, ip, "view", op)
        return result

    def add_diary_entry(self, token: str, *, nrs: Any, exercises_done: Any = None,
                        much_worse: Any = False, drawing: Any = None,
                        ip: str = "") -> DiaryEntry:
        """A diary entry through the link: pain now 0-10 (may be None only with
        ``much_worse``), exercises done (yes/no/unknown), "much worse", an optional drawing.
        Bad input names the field; nothing is stored."""
        if nrs is None and much_worse is True:
            pass  # one tap on "much worse" needs no score
        elif nrs is None:
            raise BadInput("nrs: required", field="nrs", kind="required")
        elif isinstance(nrs, bool) or not isinstance(nrs, int) or not 0 <= nrs <= 10:
            raise BadInput("nrs: a whole number 0-10", field="nrs", kind="range")
        if exercises_done is not None and not isinstance(exercises_done, bool):
            raise BadInput("exercises_done: yes or no", field="exercises_done")
        if not isinstance(much_worse, bool):
            raise BadInput("much_worse: yes or no", field="much_worse")
        strokes, regions, chart_version = _drawing(drawing)

        def op(s: OrmSession, r: AftercareLinkRow, now: dt.datetime) -> DiaryEntry:
            e = DiaryEntryRow(practice_id=r.practice_id, client_id=r.client_id, link_id=r.id,
                              at=now, nrs=nrs, exercises_done=exercises_done,
                              much_worse=much_worse, strokes=strokes, regions=regions,
                              chart_version=chart_version)
            s.add(e)
            s.flush()
            audit.append(s, at=now, actor=self._link_actor(r), action="create",
                         client_id=r.client_id, obj=f"diary_entry:{e.id}",
                         detail="much_worse" if much_worse else "")
            return diary_entry_of(e)
        result: DiaryEntry = self._use_link(token, ip, "diary", op)
        return result
