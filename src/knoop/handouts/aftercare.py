"""The aftercare handout of one session: an A4 PDF for the client to take home.

    pdf = aftercare_pdf(store, actor, session_id, lang="nl")   # records store.issue_handout

Built from what was found and treated in the session: today's pain on the chart with the
treated trigger points, what was done in plain words, what to expect, per treated muscle a
self-massage and a stretch with a small diagram, advice on the causes the client named at intake,
when to contact the therapist, the GP or 112 (the contract's red-flag questions), the next
appointment and the practice's details.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from knoop.errors import BadInput
from knoop.handouts.diagrams import diagram_html
from knoop.handouts.education import sections
from knoop.handouts.pdf import render_html, write_pdf
from knoop.handouts.practice import PracticeDetails, practice_details
from knoop.handouts.session_chart import (
    intensity_legend,
    painted,
    session_charts,
    trigger_points,
)
from knoop.handouts.texts import CAUSE_ADVICE, SIDE, TECHNIQUE, UI, cause_name, tool_names
from knoop.kb import KB_VERSION, knowledge_base
from knoop.store import Actor, Client, Session, Store
from knoop.store.types import Treatment

LANGS = ("nl", "en")


@dataclass(frozen=True)
class MuscleCard:
    muscle: str
    side: str
    name: str
    latin: str
    side_word: str
    diagram: str
    self_massage: str
    tools: str
    stretch: str
    cautions: str
    activities: list[str] = field(default_factory=list)


def check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise BadInput(f"lang: {lang!r} is not allowed; allowed: nl, en", field="lang",
                       allowed=LANGS)
    return lang


def treated_muscles(session: Session) -> list[tuple[str, str]]:
    """(muscle, side) treated in the session, in order; if nothing was treated, the muscles
    with an active trigger point (the client still gets their exercises)."""
    out: list[tuple[str, str]] = []
    for t in session.treatments:
        if (t.muscle, t.side) not in out:
            out.append((t.muscle, t.side))
    if not out:
        for f in session.findings:
            if f.result == "active" and (f.muscle, f.side) not in out:
                out.append((f.muscle, f.side))
    return out


def build_context(session: Session, client: Client | None, practice: PracticeDetails,
                  lang: str = "nl", link_url: str | None = None) -> dict[str, Any]:
    """Everything the template shows (no store access: testable and fast). Also the source
    of the client's aftercare page (``knoop.web.aftercare_page``, without ``client``). With
    ``link_url`` the handout shows that page's address and QR code."""
    lang = check_lang(lang)
    kb = knowledge_base()
    ui = UI[lang]
    muscles = treated_muscles(session)

    points = []
    for muscle, side in muscles:
        named = [f.trigger_point for f in session.findings
                 if f.muscle == muscle and f.side == side and f.trigger_point
                 and f.result in ("active", "latent")]
        points.extend(trigger_points(muscle, side, named, lang=lang))
    rows = session.regions or (session.painmap or {}).get("regions", [])
    regions = painted(rows)
    chosen = [(r["region"], r.get("side") if r.get("side") in ("left", "right") else None)
              for r in rows if r.get("fraction") is None]  # chosen without strokes
    charts = (session_charts(regions, points, lang=lang, strokes=session.strokes or [],
                             chosen=chosen) if (regions or points) else [])

    done = []
    for t in session.treatments:
        m = kb.muscle(t.muscle)
        name = m.names.en if lang == "en" else m.names.nl
        what = TECHNIQUE[lang][t.technique]
        minutes = (f", {t.duration_min} min" if t.duration_min else "")
        done.append({"muscle": f"{name} ({SIDE[lang][t.side]})", "what": what + minutes})

    cards = []
    for muscle, side in muscles:
        m = kb.muscle(muscle)
        cards.append(MuscleCard(
            muscle=muscle, side=side, name=m.names.en if lang == "en" else m.names.nl,
            latin=m.names.latin, side_word=SIDE[lang][side],
            diagram=diagram_html(muscle, side, lang), self_massage=m.self_massage.get(lang),
            tools=tool_names(list(m.self_massage.tools), lang), stretch=m.stretch.get(lang),
            cautions=m.cautions.get(lang), activities=list(m.activities.get(lang))[:3]))

    nazorg = next(s for s in sections(lang) if s.id == "nazorg")
    expect = list(nazorg.paragraphs) + [b for b in nazorg.bullets
                                        if not b.startswith(("Wordt de pijn", "If the pain"))]
    causes = [{"name": cause_name(c, lang), "advice": CAUSE_ADVICE[c][lang]}
              for c in session.causes if c in CAUSE_ADVICE]

    screening = kb.contract.screening
    flag = {u: [(i.en if lang == "en" else i.nl) for i in screening.values() if i.urgency == u]
            for u in ("emergency", "urgent", "gp")}
    therapist_items = list(ui["contact_therapist_items"])

    return {
        "lang": lang, "ui": ui, "practice": practice, "client": client, "session": session,
        "charts": charts, "legend": intensity_legend(), "has_marks": bool(points),
        "done": done, "expect": expect, "cards": cards, "causes": causes,
        "flags": flag, "therapist_items": therapist_items, "kb_version": KB_VERSION,
        "title": ui["title"],
        "link": {"url": link_url, "qr": qr_svg(link_url)} if link_url else None,
    }


def qr_svg(url: str) -> str:
    """A QR code of ``url`` as inline SVG (segno)."""
    import segno

    return str(segno.make(url, error="m").svg_inline(scale=4, dark="#000", light="#fff",
                                                   omitsize=True))


def render_aftercare(session: Session, client: Client, practice: PracticeDetails,
                     lang: str = "nl", link_url: str | None = None) -> bytes:
    """The handout PDF from already loaded records (no store access, nothing recorded)."""
    ctx = build_context(session, client, practice, lang, link_url)
    return write_pdf(render_html("aftercare.html", ctx), title=ctx["title"], lang=lang)


def aftercare_pdf(store: Store, actor: Actor, session_id: int, *, lang: str = "nl",
                  record: bool = True, link_url: str | None = None) -> bytes:
    """The aftercare PDF of a session, read through the store as ``actor`` (an outsider gets
    NotFound). With ``record`` the handout is recorded with ``store.issue_handout``."""
    lang = check_lang(lang)
    session = store.get_session(actor, session_id)
    client = store.get_client(actor, session.client_id)
    practice = practice_details(store, actor, therapist_id=session.therapist_id)
    pdf = render_aftercare(session, client, practice, lang, link_url)
    if record:
        store.issue_handout(actor, session.id, kind="aftercare", language=lang,
                            muscles=[{"muscle": m, "side": s}
                                     for m, s in treated_muscles(session)])
    return pdf


def example_handout() -> bytes:
    """The handout of a made-up session (a drawing, two treated muscles, an appointment),
    made from no records and recorded nowhere: what a server renders once at start-up
    (:func:`knoop.handouts.pdf.warm_up`) so that the first client's handout finds WeasyPrint's
    layout, image and font code warm (~100 ms of the first PDF otherwise)."""
    at = dt.datetime(2026, 1, 5, 9, 0)
    session = Session(
        id=0, client_id=0, practice_id=0, therapist_id=None, started_at=at, status="closed",
        complaint="", symptoms=[], causes=["static_posture"], screening=[], intake={},
        painmap=None, regions=[{"region": "neck_back_upper", "side": "right", "intensity": 6}],
        chart_version=None, strokes=None, ranking=None, kb_version=KB_VERSION, nrs_before=7,
        nrs_after=4, next_appointment=at + dt.timedelta(days=14), created_at=at, updated_at=at,
        treatments=[Treatment(id=0, session_id=0, muscle=m, side="right",
                              technique="ischemic_compression", duration_min=5,
                              pressure_tolerance=None)
                    for m in ("trapezius", "levator_scapulae")])
    client = Client(id=0, practice_id=0, first_name="Voor", infix="", last_name="Beeld",
                    date_of_birth=None, email="", phone="", gp_name="", created_at=at,
                    last_change=at, retention_until=at.date())
    return render_aftercare(session, client, PracticeDetails("knoop", city="Utrecht",
                                                             therapist="knoop"))
