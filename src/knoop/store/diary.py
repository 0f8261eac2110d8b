"""The pain diary as the therapist reads it: the client's entries (written through an aftercare
link, :mod:`knoop.store.aftercare_links`) between sessions, for the history, the next session's
intake and the exports. Every read is in the access log."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session as OrmSession

from knoop.store.models import DiaryEntryRow
from knoop.store.scoping import ScopedBase
from knoop.store.types import Actor, DiaryEntry


def diary_entry_of(e: DiaryEntryRow) -> DiaryEntry:
    return DiaryEntry(e.id, e.client_id, e.at, e.nrs, e.exercises_done, bool(e.much_worse),
                      list(e.strokes) if e.strokes else None, list(e.regions or []),
                      e.chart_version)


def diary_rows(s: OrmSession, client_id: int, since: dt.datetime | None = None,
               until: dt.datetime | None = None) -> list[DiaryEntry]:
    """The client's diary entries, oldest first, after ``since`` and up to ``until``; the
    caller has checked the client's practice and writes the access-log entry."""
    q = select(DiaryEntryRow).where(DiaryEntryRow.client_id == client_id)
    if since is not None:
        q = q.where(DiaryEntryRow.at > since)
    if until is not None:
        q = q.where(DiaryEntryRow.at <= until)
    return [diary_entry_of(e) for e in s.scalars(q.order_by(DiaryEntryRow.at, DiaryEntryRow.id))]


class DiaryMixin(ScopedBase):
    def diary_entries(self, actor: Actor, client_id: int, *, since: dt.datetime | None = None,
                      until: dt.datetime | None = None) -> list[DiaryEntry]:
        """The client's diary entries, oldest first; ``since`` (exclusive) and ``until``
        (inclusive) narrow it to a period, e.g. between two sessions."""
        def op(s: OrmSession) -> list[DiaryEntry]:
            c = self._client_row(s, actor, client_id)
            rows = diary_rows(s, c.id, since, until)
            self._log(s, actor, "read", c.id, f"client:{c.id}/diary", f"entries={len(rows)}")
            return rows
        return self._run(op)

    def diary_entry(self, actor: Actor, entry_id: int) -> DiaryEntry:
        """One entry (for its drawing); another practice's entry is NotFound."""
        from knoop.errors import NotFound

        def op(s: OrmSession) -> DiaryEntry:
            if isinstance(entry_id, bool) or not isinstance(entry_id, int):
                raise NotFound(f"diary entry {entry_id} not found", field="entry_id")
            e = s.scalar(select(DiaryEntryRow).where(
                DiaryEntryRow.id == entry_id, DiaryEntryRow.practice_id == actor.practice_id))
            if e is None:
                raise NotFound(f"diary entry {entry_id} not found", field="entry_id")
            self._log(s, actor, "read", e.client_id, f"diary_entry:{e.id}")
            return diary_entry_of(e)
        return self._run(op)


def diary_export(s: OrmSession, client_id: int, now: dt.datetime) -> dict[str, list]:
    """The dossier's part: every diary entry (oldest first) and every aftercare link (its
    dates and state, never the token)."""
    from knoop.store.aftercare_links import aftercare_link_of
    from knoop.store.models import AftercareLinkRow

    entries = s.scalars(select(DiaryEntryRow).where(DiaryEntryRow.client_id == client_id)
                        .order_by(DiaryEntryRow.at, DiaryEntryRow.id)).all()
    links = s.scalars(select(AftercareLinkRow).where(AftercareLinkRow.client_id == client_id)
                      .order_by(AftercareLinkRow.id)).all()
    return {"diary": [diary_entry_of(e).to_dict() for e in entries],
            "aftercare_links": [aftercare_link_of(r, now).to_dict() for r in links]}
