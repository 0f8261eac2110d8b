"""History per client: the drawings over time as small multiples (the chart SVG of
:func:`knoop.bodymap.render_svg`, painted regions filled by intensity, treated muscles' trigger
points marked), the NRS before/after as a small SVG chart, and per drawing the painted area and
its overlap (Jaccard) with the previous drawing (:mod:`knoop.bodymap.surface`).
"""

from __future__ import annotations

from typing import TypedDict

from fastapi import APIRouter, Request
from starlette.responses import Response

from knoop.bodymap import surface
from knoop.bodymap.surface import Painted, jaccard, region_key
from knoop.errors import NotFound
from knoop.store import DiaryEntry, Session, User
from knoop.vocabulary import VIEW_WORDS
from knoop.web.deps import LoggedIn, RecordId, fmt_date, store_of, translator
from knoop.web.pages import lang_of, render

router = APIRouter(include_in_schema=False)
Id = RecordId
MAX_SESSIONS = 12
#: at most this many views per drawing: the ones that show the client's drawings best
HISTORY_VIEWS = 2


class HistoryItem(TypedDict):
    """One session on the history page."""

    id: int
    date: str
    status: str
    nrs_before: int | None
    nrs_after: int | None
    area_pct: float
    regions: int
    jaccard: float | None
    area_change: float | None
    treated: list[tuple[str, str]]  # (muscle name, side)
    views: list[tuple[str, str]]  # (view, its name): where the paint shows best


def painted(s: Session | DiaryEntry) -> Painted:
    """(region, side) -> (painted area in template units², intensity) for one session (or
    one diary drawing): :func:`knoop.bodymap.surface.painted` of its regions."""
    rows = s.regions or ((getattr(s, "painmap", None) or {}).get("regions") or [])
    return surface.painted(rows)


def nrs_chart(points: list[tuple[str, int | None, int | None]], title: str,
              before: str, after: str,
              diary: list[tuple[float, int, bool, str]] | None = None,
              diary_label: str = "") -> str:
    """A small SVG line chart of NRS before (dark) and after (light) per session; with
    ``diary`` also the client's diary scores between the sessions (blue dots at their place in
    time, in session units; a "much worse" entry ringed red), see ``knoop.web.diary_view``."""
    from xml.sax.saxutils import escape, quoteattr

    n = len(points)
    diary = diary or []
    span = max([n - 1.0] + [p for p, _v, _w, _l in diary])
    w, h, left, right, top, bottom = max(560, int(90 * (span + 1)) + 60), 220, 34, 16, 14, 42
    pw, ph = w - left - right, h - top - bottom

    def x(i: float) -> float:
        return left + (pw / 2 if span == 0 else pw * i / span)

    def y(v: int) -> float:
        return top + ph * (1 - v / 10)

    parts = [(f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" class="nrs-chart" '
             f'role="img" aria-label={quoteattr(title)}>')]
    for v in range(0, 11, 2):
        parts.append(f'<line x1="{left}" x2="{w - right}" y1="{y(v):.1f}" y2="{y(v):.1f}" '
                     f'stroke="#e3ddd8" stroke-width="1"/>'
                     f'<text x="{left - 8}" y="{y(v) + 4:.1f}" font-size="11" '
                     f'text-anchor="end" fill="#5d6670">{v}</text>')
    for idx, (label, _b, _a) in enumerate(points):
        parts.append(f'<text x="{x(idx):.1f}" y="{h - 22}" font-size="11" text-anchor="middle" '
                     f'fill="#5d6670">{escape(label)}</text>')
    series = (([b for _l, b, _a in points], "#8c1d18", ""),
              ([a for _l, _b, a in points], "#e0895f", ' stroke-dasharray="5 3"'))
    for values, colour, dash in series:
        pts = [(x(i), y(val)) for i, val in enumerate(values) if val is not None]
        if len(pts) > 1:
            d = " ".join(f"{'M' if j == 0 else 'L'}{px:.1f} {py:.1f}"
                         for j, (px, py) in enumerate(pts))
            parts.append(f'<path d="{d}" fill="none" stroke="{colour}" stroke-width="2.5"{dash}/>')
        for i, val in enumerate(values):
            if val is not None:
                parts.append(f'<circle cx="{x(i):.1f}" cy="{y(val):.1f}" r="4.5" '
                             f'fill="{colour}"><title>{escape(points[i][0])}: {val}</title>'
                             '</circle>')
    for pos, val, worse, label in diary:
        ring = ' stroke="#b3261e" stroke-width="2.5"' if worse else ""
        parts.append(f'<circle cx="{x(pos):.1f}" cy="{y(val):.1f}" r="3.5" fill="#1a5fb4" '
                     f'class="diary-point"{ring}><title>{escape(diary_label)} '
                     f'{escape(label)}: {val}</title></circle>')
    ly = h - 6
    parts.append(f'<rect x="{left}" y="{ly - 9}" width="14" height="4" fill="#8c1d18"/>'
                 f'<text x="{left + 20}" y="{ly}" font-size="11" fill="#1f2328">'
                 f'{escape(before)}</text>'
                 f'<rect x="{left + 150}" y="{ly - 9}" width="14" height="4" fill="#e0895f"/>'
                 f'<text x="{left + 170}" y="{ly}" font-size="11" fill="#1f2328">'
                 f'{escape(after)}</text>')
    if diary:
        parts.append(f'<circle cx="{left + 307}" cy="{ly - 4}" r="4" fill="#1a5fb4"/>'
                     f'<text x="{left + 316}" y="{ly}" font-size="11" fill="#1f2328">'
                     f'{escape(diary_label)}</text>')
    parts.append("</svg>")
    return "".join(parts)


@router.get("/clienten/{client_id}/verloop")
def history_page(request: Request, client_id: Id, user: User = LoggedIn) -> Response:
    from markupsafe import Markup

    _ = translator(request)
    lang = lang_of(request)
    store = store_of(request)
    hist = store.session_history(user.actor, client_id, last=MAX_SESSIONS)  # oldest first
    c, sessions = hist.client, hist.sessions
    total = surface.surface_total()
    items: list[HistoryItem] = []
    prev: Painted | None = None
    prev_area = 0.0
    from knoop.web.session_view import kb_name as _kb_name

    # the same views for every drawing (small multiples compare like with like): the ones that
    # show all of this client's drawings best
    views = [(v, VIEW_WORDS[v][0 if lang == "nl" else 1]) for v in surface.views_showing(
        [r for s in sessions for r in (s.regions or (s.painmap or {}).get("regions") or [])],
        [st for s in sessions for st in (s.strokes or [])], HISTORY_VIEWS)]
    for s in sessions:
        p = painted(s)
        area = sum(a for a, _i in p.values())
        j = jaccard(prev, p) if prev is not None else None
        items.append({
            "id": s.id, "date": fmt_date(s.started_at), "status": s.status,
            "nrs_before": s.nrs_before, "nrs_after": s.nrs_after,
            "area_pct": 100 * area / total, "regions": len(p),
            "jaccard": j, "area_change": (100 * (area - prev_area) / total)
            if prev is not None else None,
            "treated": sorted({(_kb_name(x.muscle, lang), x.side) for x in s.treatments}),
            "views": views,
        })
        prev, prev_area = p, area
    from knoop.web.diary_view import diary_history

    diary = diary_history(sessions, hist.diary)
    chart = Markup(nrs_chart([(i["date"][:5], i["nrs_before"], i["nrs_after"]) for i in items],
                             _("Pain (NRS) before and after each session"),
                             _("NRS before"), _("NRS after"), diary["diary_points"],
                             _("pain diary"))) if items else ""
    return render(request, "clients/history.html", {
        "c": c, "items": items, "chart": chart, "views": ("front", "back"),  # the diary's drawings
        "more": hist.total > MAX_SESSIONS, **diary})


@router.get("/clienten/{client_id}/verloop/{session_id}/{view}.svg")
def history_drawing(request: Request, client_id: Id, session_id: Id, view: str,
                    user: User = LoggedIn) -> Response:
    """One session's drawing on one view: the strokes in their intensity colours (regions
    chosen without strokes filled whole), cropped to the paint with a small full-body key
    (:func:`knoop.bodymap.sketch.drawing_svg`)."""
    from knoop.bodymap.sketch import drawing_svg

    if view not in VIEW_WORDS:
        raise NotFound(f"unknown view '{view}'", field="view", allowed=list(VIEW_WORDS))
    lang = lang_of(request)
    s = store_of(request).get_session(user.actor, session_id)
    if s.client_id != client_id:
        raise NotFound(f"session {session_id} not found", field="session_id")
    rows = s.regions or ((s.painmap or {}).get("regions") or [])
    chosen = {region_key(r.get("region", ""), r.get("side")): int(r.get("intensity") or 5)
              for r in rows if r.get("fraction") is None}
    svg = drawing_svg(view, s.strokes or [], chosen, lang=lang)
    return Response(svg, media_type="image/svg+xml",
                    headers={"Cache-Control": "private, no-store"})
