"""The pain diary in the dossier (JSON and PDF) and the aftercare handout with the link's QR
code."""

from __future__ import annotations

from pathlib import Path

from knoop.handouts.aftercare import aftercare_pdf
from knoop.handouts.dossier import dossier_json, dossier_pdf
from tests.demo_practice import Demo, pdf_pages_to_png, pdf_text


def _diary(demo: Demo) -> str:
    st = demo.store
    st.record_consent(demo.therapist, 2, "aftercare", True, "2026-12")
    token = st.create_aftercare_link(demo.therapist, 2)
    st.add_diary_entry(token, nrs=6, exercises_done=True)
    st.add_diary_entry(token, nrs=9, much_worse=True)
    return token


def test_the_dossier_json_and_pdf_hold_the_diary(demo: Demo, tmp_path: Path,
                                                artifacts: Path) -> None:
    token = _diary(demo)
    data = dossier_json(demo.store, demo.admin, 2)
    assert [(e["nrs"], e["much_worse"]) for e in data["diary"]] == [(6, False), (9, True)]
    assert token not in str(data)
    text = pdf_text(dossier_pdf(demo.store, demo.admin, 2, data=data), tmp_path)
    assert "Pijndagboek (door de cliënt)" in text and "Veel erger" in text
    assert "nazorgpagina en pijndagboek" in text  # the consent, by name


def test_the_aftercare_handout_shows_the_pages_qr_code_and_address(
        demo: Demo, tmp_path: Path, artifacts: Path) -> None:
    sid = demo.store.client_history(demo.therapist, 2)[0].id
    url = "https://praktijk.example/nazorg/abc"
    pdf = aftercare_pdf(demo.store, demo.therapist, sid, link_url=url, record=False)
    text = pdf_text(pdf, tmp_path)
    assert "Je eigen nazorgpagina" in text and url in text
    without = pdf_text(aftercare_pdf(demo.store, demo.therapist, sid, record=False), tmp_path)
    assert "nazorgpagina" not in without
    pdf_pages_to_png(pdf, artifacts, "aftercare-with-qr")
