"""The education leaflet and the dossier export (PDF and JSON)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from knoop.errors import Forbidden, NotFound
from knoop.handouts.aftercare import aftercare_pdf
from knoop.handouts.dossier import dossier_json, dossier_pdf
from knoop.handouts.education import SECTIONS, TITLE
from knoop.handouts.leaflet import leaflet_pdf
from tests.demo_practice import Demo, pdf_pages_to_png, pdf_text


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_leaflet_has_the_education_text(lang: str, tmp_path: Path, artifacts: Path) -> None:
    pdf = leaflet_pdf(lang)
    text = pdf_text(pdf, tmp_path)
    assert TITLE[lang] in text
    for section in SECTIONS[lang]:
        assert section.title in text
        assert " ".join(section.paragraphs[0].split()[:8]) in text
    pdf_pages_to_png(pdf, artifacts, f"leaflet-{lang}")


def test_dossier_json_has_everything_and_the_access_log(demo: Demo) -> None:
    data = dossier_json(demo.store, demo.admin, 2)
    assert data["format"] == "knoop-dossier" and data["client"]["last_name"] == "Bakker"
    assert len(data["sessions"]) == 4 and data["consents"]
    s = data["sessions"][0]
    assert s["findings"] and s["treatments"] and s["note"]["soap_text"] and s["regions"]
    assert s["nrs_before"] == 8
    assert data["access_log"] and all(e["client_id"] == 2 for e in data["access_log"])
    json.dumps(data)  # JSON-ready
    # the export itself is in the access log
    log = demo.store.access_for_client(2)
    assert any(e.action == "export" and e.user_email == demo.admin.email for e in log)


def test_dossier_pdf_shows_sessions_findings_and_log(demo: Demo, tmp_path: Path,
                                                    artifacts: Path) -> None:
    pdf = dossier_pdf(demo.store, demo.admin, 2)
    text = pdf_text(pdf, tmp_path)
    assert "Dossier Pieter Bakker" in text and "Toestemmingen" in text
    assert "Vierkante lendenspier" in text and "Middelste bilspier" in text
    assert "Behandeling 4" in text and "Toegangslog" in text and "export" in text
    assert "S: Pijn bij opstaan" in text
    pdf_pages_to_png(pdf, artifacts, "dossier")


def test_dossier_is_for_admins_and_invisible_to_outsiders(demo: Demo) -> None:
    with pytest.raises(Forbidden):
        dossier_json(demo.store, demo.therapist, 2)
    with pytest.raises(NotFound):
        dossier_json(demo.store, demo.outsider, 2)
    with pytest.raises(NotFound):
        dossier_json(demo.store, demo.outsider_admin, 2)


def test_an_overridden_red_flag_and_its_reason_are_in_the_dossier(demo: Demo,
                                                                  tmp_path: Path) -> None:
    s = demo.store.create_session(demo.therapist, 2, screening=["chest_pain_exertion"],
                                  painmap={"regions": [{"region": "pectoral", "side": "left"}]})
    why = "Cardioloog sloot hartklachten uit, brief van 1 december"
    demo.store.decide_flags(demo.therapist, s.id, override={"chest_pain_exertion": why})
    text = " ".join(pdf_text(dossier_pdf(demo.store, demo.admin, 2), tmp_path).split())
    assert "Rode vlaggen" in text and "chest_pain_exertion" in text
    assert "overschreven, toch behandeld" in text and why in text


def test_the_dossier_lists_each_handout_once_per_session_and_never_cuts_an_action(
        demo: Demo, tmp_path: Path, artifacts: Path) -> None:
    sid = demo.store.client_history(demo.therapist, 2)[0].id
    before = sum(1 for h in demo.store.get_session(demo.therapist, sid).handouts
                 if (h.kind, h.language) == ("aftercare", "nl"))
    for _ in range(3):  # the aftercare PDF downloaded three more times
        demo.store.issue_handout(demo.therapist, sid, kind="aftercare", language="nl")
    demo.store.create_intake_token(demo.therapist, 2)
    pdf = dossier_pdf(demo.store, demo.admin, 2)
    text = pdf_text(pdf, tmp_path)
    assert text.count("nazorgfolder (Nederlands)") == len(
        {s.id for s in demo.store.client_history(demo.admin, 2)
         if any(h.kind == "aftercare" and h.language == "nl"
                for h in demo.store.get_session(demo.admin, s.id).handouts)})
    assert f"nazorgfolder (Nederlands), {before + 3}× meegegeven, laatst" in text
    assert "aftercare (nl)" not in text
    assert " intake_link " in f" {text} " and "intake_lin " not in text
    pdf_pages_to_png(pdf, artifacts, "dossier-handouts")


#: a number with a decimal point or a percent sign glued to it ("0.7", "45%"): English style
ENGLISH_NUMBER = re.compile(r"\d\.\d|\d%")
#: the knowledge base's version ("kennisbank 2026.12.0") is a name, not a number
KB_VERSION_TEXT = re.compile(r"\b\d{4}\.\d{1,2}\.\d+\b")


def test_numbers_in_the_pdfs_are_in_dutch_format(demo: Demo, tmp_path: Path) -> None:
    dossier = pdf_text(dossier_pdf(demo.store, demo.admin, 2), tmp_path)
    # the painted share of the skin per session, with a decimal comma and a space before %
    areas = re.findall(r"Getekend oppervlak: (\d+,\d) % van de huid", dossier)
    assert len(areas) == 4, areas
    texts = {"dossier": dossier, "leaflet": pdf_text(leaflet_pdf("nl"), tmp_path)}
    for sid in (1, 2, 3):
        texts[f"aftercare {sid}"] = pdf_text(aftercare_pdf(demo.store, demo.therapist, sid),
                                             tmp_path)
    for name, text in texts.items():
        found = ENGLISH_NUMBER.findall(KB_VERSION_TEXT.sub("", text))
        assert not found, f"{name}: {found}"


def test_the_english_dossier_has_english_numbers(demo: Demo, tmp_path: Path) -> None:
    text = pdf_text(dossier_pdf(demo.store, demo.admin, 2, lang="en"), tmp_path)
    assert re.search(r"Painted area: \d+\.\d% of the skin", text)
