"""The SOAP text is a pure function of the session's structured data (no database)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from knoop.store.soap import FlagOutcome, soap_text


def _finding(**kw: object) -> SimpleNamespace:
    base = dict(muscle="trapezius", side="left", trigger_point=None, result="active",
                pain_recognised=True,
                tender_spot=True, taut_band=None, referral_elicited=None, twitch=None)
    return SimpleNamespace(**{**base, **kw})


def _soap(lang: str = "nl", **kw: object) -> str:
    args: dict = dict(complaint="Hoofdpijn", nrs_before=7, nrs_after=3,
                      next_appointment=dt.datetime(2026, 12, 1, 10, 0), subjective="",
                      objective="", assessment="Trapezius actief", plan="rekken",
                      findings=[_finding()],
                      treatments=[SimpleNamespace(muscle="trapezius", side="left",
                                                  technique="ischemic_compression",
                                                  duration_min=6, pressure_tolerance="moderate")],
                      muscle_name=lambda m: {"trapezius": "Monnikskapspier"}.get(m, m),
                      lang=lang)
    args.update(kw)
    return soap_text(**args)


def test_the_four_lines_hold_words_nrs_findings_treatments_and_the_appointment() -> None:
    s, o, a, p = _soap().split("\n")
    assert s == "S: Hoofdpijn. Pijn (NRS) bij aanvang: 7/10."
    assert o == "O: Monnikskapspier links: actief (herkenbare pijn, drukpijnlijk punt)."
    assert a == "A: Trapezius actief. Screening rode vlaggen: geen rode vlag."
    assert p == ("P: Behandeld: Monnikskapspier links, ischemische compressie, 6 min, "
                 "druktolerantie matig. Pijn (NRS) na behandeling: 3/10. rekken. "
                 "Volgende afspraak: 01-12-2026 11:00.")  # 10:00 UTC is 11:00 in NL


def test_an_overridden_red_flag_is_written_under_a_with_its_urgency_and_reason() -> None:
    text = _soap(flags=[FlagOutcome("Kortademig in rust", "emergency", "overridden", "Olga",
                                    "cardioloog sloot het uit")])
    assert "A: Trapezius actief. Rode vlag (spoed): Kortademig in rust; overschreven door " \
           "Olga: cardioloog sloot het uit." in text


def test_an_acknowledged_and_an_open_flag_say_so() -> None:
    text = _soap(flags=[FlagOutcome("Koorts", "urgent", "acknowledged", "Olga"),
                        FlagOutcome("Kanker in de voorgeschiedenis", "gp", "open")])
    assert "Rode vlag (dringend): Koorts; gezien door Olga." in text
    assert "Rode vlag (huisarts): Kanker in de voorgeschiedenis; nog niet beoordeeld." in text
    assert "geen rode vlag" not in text


def test_the_drawing_is_written_under_s_strongest_first_with_intensity_and_quality() -> None:
    regions = [{"region": "neck", "side": "left", "intensity": 4, "quality": None},
               {"region": "temple", "side": "left", "intensity": 7, "quality": "aching"},
               {"region": "vertex", "side": None, "intensity": None, "quality": None}]
    s = _soap(regions=regions, region_name=lambda g: {"temple": "slaap", "neck": "nek",
                                                       "vertex": "kruin"}[g]).split("\n")[0]
    assert s == ("S: Hoofdpijn. Pijntekening: slaap links (7/10, zeurend), nek links (4/10), "
                 "kruin. Pijn (NRS) bij aanvang: 7/10.")


def test_a_finding_names_its_trigger_point_and_the_criteria_tested_absent() -> None:
    f = _finding(trigger_point="tp1", taut_band=False)
    o = _soap(findings=[f], tp_name=lambda m, tp: "bovenste vezels").split("\n")[1]
    assert o == ("O: Monnikskapspier links, triggerpunt ‘bovenste vezels’: actief "
                 "(herkenbare pijn, drukpijnlijk punt, geen strakke streng).")


def test_english_on_request() -> None:
    text = _soap(lang="en")
    assert "Pain (NRS) at the start: 7/10." in text and "left: active (pain recognised" in text
    assert "Red-flag screening: no red flag." in text


def test_s_names_the_other_complaints_and_provoking_factors_the_client_named() -> None:
    s = _soap(symptoms=["duizeligheid of evenwichtsstoornis", "tranend oog"],
              causes=["langdurig dezelfde houding"]).split("\n")[0]
    assert s == ("S: Hoofdpijn. Overige klachten: duizeligheid of evenwichtsstoornis, tranend "
                 "oog. Uitlokkende factoren: langdurig dezelfde houding. Pijn (NRS) bij aanvang: "
                 "7/10.")
    s_en = _soap("en", symptoms=["tearing eye"], causes=["stress and tension"]).split("\n")[0]
    assert "Other complaints: tearing eye. Provoking factors: stress and tension." in s_en
