"""Numbers in Dutch and English format, with units."""

from __future__ import annotations

from knoop.numbers import decimal, pct, pct_points, share


def test_dutch_numbers_have_a_decimal_comma_and_a_space_before_the_percent_sign() -> None:
    assert pct(0.7) == "0,7\u00a0%" and pct(1234.5) == "1.234,5\u00a0%"
    assert share(0.456) == "46\u00a0%"
    assert pct_points(-0.1) == "\u22120,1\u00a0procentpunt"
    assert pct_points(0.3) == "+0,3\u00a0procentpunt"


def test_english_numbers_have_a_decimal_point() -> None:
    assert pct(0.7, "en") == "0.7%" and share(0.456, "en") == "46%"
    assert pct_points(-0.1, "en") == "\u22120.1\u00a0percentage points"


def test_a_plain_decimal_follows_the_language() -> None:
    assert decimal(2.5) == "2,5" and decimal(2.5, "en") == "2.5"
    assert decimal(1234.56, "nl", 2) == "1.234,56" and decimal(-0.25, "nl", 2) == "\u22120,25"
