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


def test_numbers_are_written_as_babel_writes_them_for_dutch_and_english() -> None:
    """The formatter does without Babel's CLDR data; it must write what Babel's
    ``format_decimal`` writes with the same patterns, halves, signs and groups included."""
    import random

    from babel.numbers import format_decimal

    rnd = random.Random(14)
    values = [0.0, -0.0, 0.05, 0.15, 0.25, 0.35, -0.04, -0.05, 2.675, 99.95, 999.95, 1e-07,
              -1234.5, 1234567.891, 0.5, 1.5, 2.5, -2.5]
    values += [round(rnd.uniform(-2000, 2000), rnd.randint(0, 4)) for _ in range(3000)]
    values += [rnd.uniform(-1, 1) * 10 ** rnd.randint(-3, 7) for _ in range(3000)]
    for lang, locale in (("nl", "nl_NL"), ("en", "en_GB")):
        for v in values:
            for digits in (0, 1, 2):
                tail = "." + "0" * digits if digits else ""
                want = format_decimal(v, format="#,##0" + tail, locale=locale)
                assert decimal(v, lang, digits) == want.replace("-", "\u2212"), (v, lang, digits)
                signed = format_decimal(v, format=f"+#,##0{tail};-#,##0{tail}", locale=locale)
                unit = "percentage points" if lang == "en" else "procentpunt"
                assert pct_points(v, lang, digits) == (signed.replace("-", "\u2212")
                                                       + "\u00a0" + unit), (v, lang, digits)
