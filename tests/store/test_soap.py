"""The SOAP text is a pure function of the session's structured data (no database)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from knoop.store.soap import Override, soap_text


def _finding(**kw: object) -> SimpleNamespace:
    base = dict(muscle="trapezius", side="left", result="active", pain_recognised=True,
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
    assert a == "A: Trapezius actief"
    assert p == ("P: Behandeld: Monnikskapspier links, ischemische compressie, 6 min, "
                 "druktolerantie matig. Pijn (NRS) na behandeling: 3/10. rekken. "
                 "Volgende afspraak: 01-12-2026 11:00.")  # 10:00 UTC is 11:00 in NL


def test_an_overridden_red_flag_is_written_under_a_with_its_reason() -> None:
    text = _soap(overrides=[Override("chest_pain_exertion", "Olga", "cardioloog sloot het uit")])
    assert "A: Trapezius actief Rode vlag chest_pain_exertion overschreven door Olga: " \
           "cardioloog sloot het uit." in text


def test_english_on_request() -> None:
    text = _soap(lang="en")
    assert "Pain (NRS) at the start: 7/10." in text and "left: active (pain recognised" in text
