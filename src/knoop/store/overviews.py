"""Overviews: what one page shows, read in one transaction with one access-log entry and a
fixed number of statements whatever the number of sessions (the client page, the history
page, the session page).

None of them reads a ranking snapshot (6-35 kB of JSON per session, in its own table
``session_rankings``): the session page ranks live in the browser. Lists read the summary
columns only; the client page pages its sessions; the sessions of the history page come with
their parts in five batched statements (:meth:`ScopedBase._full_many`)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session as OrmSession

from knoop.store import validate as v
from knoop.store.aftercare_links import aftercare_link_of
from knoop.store.diary import diary_rows
from knoop.store.intake_links import intake_link_of
from knoop.store.models import AftercareLinkRow, ConsentRow, IntakeTokenRow, SessionRow
from knoop.store.rows import SUMMARY_COLUMNS, client_of
from knoop.store.scoping import SUMMARY_ONLY, ScopedBase
from knoop.store.types import (
    Actor,
    ClientOverview,
    Consent,
    SessionHistory,
    SessionPage,
    SessionSummary,
)

#: Sessions per page of the client page.
PER_PAGE = 50


class OverviewsMixin(ScopedBase):
    def client_overview(self, actor: Actor, client_id: int, *, page: int = 1,
                        per_page: int = PER_PAGE) -> ClientOverview:
        """The client page: the client, page ``page`` (from 1) of its sessions, the number of
        sessions and of waiting intake drafts, the consents and the intake links."""
        page = v.whole("page", page, 1, 1_000_000) or 1
        per_page = v.whole("per_page", per_page, 1, 500) or PER_PAGE
        now = self.clock()

        def op(s: OrmSession) -> ClientOverview:
            c = self._client_row(s, actor, client_id)
            counts: dict[str, int] = dict(s.execute(select(SessionRow.status, func.count())
                                             .where(SessionRow.client_id == c.id)
                                             .group_by(SessionRow.status)).all())
            rows = s.execute(select(*SUMMARY_COLUMNS).where(SessionRow.client_id == c.id)
                             .order_by(SessionRow.started_at.desc(), SessionRow.id.desc())
                             .limit(per_page).offset((page - 1) * per_page))
            cons = s.scalars(select(ConsentRow).where(ConsentRow.client_id == c.id)
                             .order_by(ConsentRow.id))
            links = s.scalars(select(IntakeTokenRow).where(IntakeTokenRow.client_id == c.id)
                              .order_by(IntakeTokenRow.created_at.desc(),
                                        IntakeTokenRow.id.desc()))
            after = s.scalars(select(AftercareLinkRow).where(AftercareLinkRow.client_id == c.id)
                              .order_by(AftercareLinkRow.id.desc()))
            out = ClientOverview(
                client_of(c), [SessionSummary(*r) for r in rows], sum(counts.values()),
                counts.get("draft", 0),
                [Consent(r.id, r.client_id, r.kind, r.given, r.date, r.text_version,
                         r.taken_by, r.created_at) for r in cons],
                [intake_link_of(r, now) for r in links],
                [aftercare_link_of(r, now) for r in after])
            self._log(s, actor, "read", c.id, f"client:{c.id}",
                      f"client page; sessions page {page}, consents, intake and aftercare "
                      "links")
            return out
        return self._run(op)

    def session_history(self, actor: Actor, client_id: int, *, last: int = 12) -> SessionHistory:
        """The client's ``last`` sessions, oldest first, with findings, treatments and note
        but without the ranking snapshot and the strokes (None)."""
        last = v.whole("last", last, 1, 500) or 12

        def op(s: OrmSession) -> SessionHistory:
            c = self._client_row(s, actor, client_id)
            total = s.scalar(select(func.count()).select_from(SessionRow)
                             .where(SessionRow.client_id == c.id)) or 0
            rows = s.scalars(select(SessionRow).options(*SUMMARY_ONLY)
                             .where(SessionRow.client_id == c.id)
                             .order_by(SessionRow.started_at.desc(), SessionRow.id.desc())
                             .limit(last)).all()
            sessions = self._full_many(s, list(reversed(rows)), ranking=False)
            since = sessions[0].started_at - dt.timedelta(seconds=1) if sessions else None
            diary = diary_rows(s, c.id, since)
            self._log(s, actor, "read", c.id, f"client:{c.id}/sessions",
                      f"history; last {len(sessions)} of {total}; diary entries={len(diary)}")
            return SessionHistory(client_of(c), sessions, total, diary)
        return self._run(op)

    def session_with_client(self, actor: Actor, session_id: int) -> SessionPage:
        """The session page: the whole session but its ranking snapshot (None: the page ranks
        live), its client, the treatment consent in force, the previous session and the diary
        since then; one access-log entry."""
        def op(s: OrmSession) -> SessionPage:
            r = self._session_row(s, actor, session_id)
            c = self._client_row(s, actor, r.client_id)
            prev = s.execute(select(*SUMMARY_COLUMNS)
                             .where(SessionRow.client_id == c.id, SessionRow.id != r.id,
                                    SessionRow.status != "draft",
                                    SessionRow.started_at < r.started_at)
                             .order_by(SessionRow.started_at.desc(), SessionRow.id.desc())
                             .limit(1)).first()
            previous = SessionSummary(*prev) if prev is not None else None
            diary = (diary_rows(s, c.id, previous.started_at,
                                r.started_at if r.status == "closed" else None)
                     if previous is not None else [])
            out = SessionPage(self._full_many(s, [r], ranking=False)[0], client_of(c),
                              self._treatment_consent(s, c.id), previous, diary)
            self._log(s, actor, "read", r.client_id, f"session:{r.id}", "session page")
            return out
        return self._run(op)
