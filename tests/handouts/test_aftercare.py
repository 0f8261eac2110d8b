"""The aftercare handout: content from the session, Dutch and English, recorded, scoped."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from knoop.errors import BadInput, NotFound
from knoop.handouts.aftercare import aftercare_pdf, build_context
from knoop.handouts.practice import PracticeDetails
from knoop.kb import knowledge_base
from tests.demo_practice import Demo, pdf_pages_to_png, pdf_text

AFTERCARE_NL = [
    "Het is normaal dat de behandelde spieren één tot twee dagen gevoelig zijn",
    "Warmte helpt",
    "doorbloeding",
]


def _names(session, lang="nl"):  # type: ignore[no-untyped-def]
    kb = knowledge_base()
    return {(kb.muscle(t.muscle).names.nl if lang == "nl" else kb.muscle(t.muscle).names.en)
            for t in session.treatments}


def test_dutch_handout_names_the_treated_muscles_and_aftercare(demo: Demo, tmp_path: Path,
                                                               artifacts: Path) -> None:
    session = demo.store.get_session(demo.therapist, 1)
    pdf = aftercare_pdf(demo.store, demo.therapist, 1)
    text = pdf_text(pdf, tmp_path)
    assert "Nazorg na je behandeling" in text and "Anna de Vries" in text
    for name in _names(session):
        assert name in text
    for sentence in AFTERCARE_NL:
        assert sentence in text
    # what was done, the NRS, self-massage and stretch, causes, red flags, next appointment
    assert "aanhoudende druk op het triggerpunt" in text
    assert "Zelfmassage".upper() in text and "Rekken".upper() in text
    assert "Langdurig dezelfde houding" in text and "Stress en spanning" in text
    assert "112" in text and "huisarts" in text and "Gezwollen, warme, rode kuit" in text
    assert "Je volgende afspraak" in text and "oktober 2026 om" in text
    assert "Praktijk De Knoop" in text and "Utrecht" in text
    pages = pdf_pages_to_png(pdf, artifacts, "aftercare-nl")
    assert 1 <= len(pages) <= 4


def test_english_on_request(demo: Demo, tmp_path: Path, artifacts: Path) -> None:
    session = demo.store.get_session(demo.therapist, 4)
    pdf = aftercare_pdf(demo.store, demo.therapist, 4, lang="en")
    text = pdf_text(pdf, tmp_path)
    assert "Aftercare after your treatment" in text
    for name in _names(session, "en"):
        assert name in text
    assert "sore for one or two days" in text and "Warmth helps" in text
    pdf_pages_to_png(pdf, artifacts, "aftercare-en")


def test_every_demo_session_renders_and_the_handout_is_recorded(demo: Demo,
                                                                tmp_path: Path) -> None:
    before = len(demo.store.get_session(demo.therapist, 8).handouts)
    pdf = aftercare_pdf(demo.store, demo.therapist, 8)
    assert pdf.startswith(b"%PDF")
    after = demo.store.get_session(demo.therapist, 8).handouts
    assert len(after) == before + 1
    h = after[-1]
    assert h.kind == "aftercare" and h.language == "nl"
    assert {(m["muscle"], m["side"]) for m in h.muscles} == {
        (t.muscle, t.side) for t in demo.store.get_session(demo.therapist, 8).treatments}


def test_outsider_gets_not_found_and_nothing_is_recorded(demo: Demo) -> None:
    with pytest.raises(NotFound):
        aftercare_pdf(demo.store, demo.outsider, 1)
    with pytest.raises(NotFound):
        aftercare_pdf(demo.store, demo.therapist, 99999)
    with pytest.raises(BadInput):
        aftercare_pdf(demo.store, demo.therapist, 1, lang="de")


def test_the_read_is_access_logged(demo: Demo) -> None:
    n = len(demo.store.access_for_client(1))
    aftercare_pdf(demo.store, demo.therapist, 1)
    new = demo.store.access_for_client(1)[n:]
    assert {e.action for e in new} >= {"read", "create"}
    assert any(e.object.startswith("handout:") for e in new)


def test_a_session_without_treatment_or_drawing_still_makes_a_clean_handout(
        demo: Demo, tmp_path: Path, artifacts: Path) -> None:
    c = demo.store.create_client(demo.therapist, first_name="Kees", last_name="Leeg")
    s = demo.store.create_session(demo.therapist, c.id, complaint="Alleen kennismaking")
    pdf = aftercare_pdf(demo.store, demo.therapist, s.id)
    text = pdf_text(pdf, tmp_path)
    assert "Vandaag is er geen spier behandeld" in text
    assert "Er staat nog geen volgende afspraak" in text
    assert "Er is vandaag geen pijntekening gemaakt" in text
    pdf_pages_to_png(pdf, artifacts, "aftercare-empty")


def test_context_picks_views_that_show_the_pain_and_marks(demo: Demo) -> None:
    s = demo.store.get_session(demo.therapist, 10)  # heel pain: soles / feet
    c = demo.store.get_client(demo.therapist, s.client_id)
    ctx = build_context(s, c, PracticeDetails("P"), "nl")
    assert ctx["charts"] and ctx["cards"]
    assert all("<svg" in svg for _caption, svg in ctx["charts"])
    assert all("data-region" in svg for _caption, svg in ctx["charts"])


def test_next_appointment_shows_in_local_time(demo: Demo, tmp_path: Path) -> None:
    c = demo.store.create_client(demo.therapist, first_name="Tijd", last_name="Zone")
    s = demo.store.create_session(demo.therapist, c.id, next_appointment=dt.datetime(
        2026, 12, 3, 13, 30))  # 13:30 UTC = 14:30 in Amsterdam (winter time)
    text = pdf_text(aftercare_pdf(demo.store, demo.therapist, s.id), tmp_path)
    assert "donderdag 3 december 2026 om 14:30" in text
