"""The client's pain diary as the therapist sees it: the diary points between the sessions on the
history's NRS graph, the diary drawings as small multiples, and the note on the next session's
intake (what the client wrote since the previous session, and whether something got worse).

    GET /clienten/{id}/dagboek/{entry}/{view}.svg    one diary drawing on one view
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from knoop.errors import NotFound
from knoop.store import DiaryEntry, Session, User
from knoop.store.types import SessionPage
from knoop.web.deps import LoggedIn, RecordId, fmt_date, fmt_datetime, store_of
from knoop.web.pages import lang_of

router = APIRouter(include_in_schema=False)
Id = RecordId
VIEWS = ("front", "back")

#: (x position in session units, NRS, much worse, label) of one diary point on the graph.
DiaryPoint = tuple[float, int, bool, str]


def positions(session_times: list[dt.datetime], entry_times: list[dt.datetime]) -> list[float]:
    """Where each entry lies on the graph's axis, in session units: session ``i`` is at ``i``,
    an entry between sessions ``i`` and ``i+1`` in proportion to its time, an entry after the
    last session in (last, last + 1), spread by time up to the latest entry."""
    n = len(session_times)
    if n == 0:
        return [0.0 for _ in entry_times]
    last = session_times[-1]
    tail = [t for t in entry_times if t > last]
    tail_span = (max(tail) - last).total_seconds() if tail else 0.0
    out = []
    for t in entry_times:
        if t <= session_times[0]:
            out.append(0.0)
        elif t > last:
            frac = (t - last).total_seconds() / tail_span if tail_span else 1.0
            out.append(n - 1 + 0.15 + 0.75 * frac)
        else:
            i = max(k for k in range(n) if session_times[k] < t)
            a, b = session_times[i], session_times[min(i + 1, n - 1)]
            span = (b - a).total_seconds()
            out.append(i + ((t - a).total_seconds() / span if span else 0.0))
    return out


def diary_history(sessions: list[Session], entries: list[DiaryEntry]) -> dict[str, Any]:
    """What the history page shows of the diary: its graph points and its entries (with or
    without a drawing), from the first shown session on (read with the history)."""
    pos = positions([s.started_at for s in sessions], [e.at for e in entries])
    points: list[DiaryPoint] = [(p, e.nrs, e.much_worse, fmt_datetime(e.at))
                                for p, e in zip(pos, entries, strict=True) if e.nrs is not None]
    return {"diary_points": points, "diary": [entry_row(e) for e in entries]}


def entry_row(e: DiaryEntry) -> dict[str, Any]:
    return {"id": e.id, "when": fmt_datetime(e.at), "date": fmt_date(e.at), "nrs": e.nrs,
            "exercises": e.exercises_done, "worse": e.much_worse, "drawing": e.has_drawing}


def intake_diary(page: SessionPage) -> dict[str, Any]:
    """The diary since the session before this one (up to its start once closed; for a session
    still open, up to now), and a note when something got worse: an entry marked "much worse",
    or a score above the previous session's score after treatment (or before, without one)."""
    prev, entries = page.previous, page.diary
    if prev is None:
        return {"intake_diary": [], "intake_diary_worse": None}
    base = prev.nrs_after if prev.nrs_after is not None else prev.nrs_before
    worse: dict[str, Any] | None = None
    flagged = [e for e in entries if e.much_worse]
    higher = [e for e in entries if e.nrs is not None and base is not None and e.nrs > base]
    if flagged or higher:
        worse = {"flagged": [fmt_datetime(e.at) for e in flagged], "base": base,
                 "highest": max((e.nrs for e in higher if e.nrs is not None), default=None),
                 "prev": fmt_date(prev.started_at)}
    return {"intake_diary": [entry_row(e) for e in entries], "intake_diary_worse": worse}


@router.get("/clienten/{client_id}/dagboek/{entry_id}/{view}.svg")
def diary_drawing(request: Request, client_id: Id, entry_id: Id, view: str,
                  user: User = LoggedIn) -> Response:
    """One diary drawing on one view: the painted regions filled by intensity."""
    from knoop.bodymap import intensity_fill, render_svg
    from knoop.web.history import painted

    if view not in VIEWS:
        raise NotFound(f"unknown view '{view}'", field="view")
    e = store_of(request).diary_entry(user.actor, entry_id)
    if e.client_id != client_id:
        raise NotFound(f"diary entry {entry_id} not found", field="entry_id")
    fills = {k: intensity_fill(i, 0.9) for k, (_a, i) in painted(e).items()}
    svg = render_svg(view, fills, [], lang=lang_of(request))
    return Response(svg, media_type="image/svg+xml",
                    headers={"Cache-Control": "private, no-store"})
