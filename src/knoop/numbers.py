"""Numbers as people read them: Dutch decimal commas, a space before %, units.

One formatter for every human-facing number: the web pages (Jinja filters registered in
:mod:`knoop.web.pages`: ``{{ 0.7|pct(lang) }}`` → "0,7 %", ``{{ -0.1|pct_points(lang) }}`` →
"−0,1 procentpunt", ``{{ 0.45|share(lang) }}`` → "45 %"), the PDFs (:mod:`knoop.handouts`) and
the CLI's tables. Like :mod:`knoop.vocabulary` it sits beside the layers, pure and without I/O,
so every layer may use it. JSON output stays in machine format and never goes through here.

The numbers are written as Babel's ``format_decimal`` writes them for nl_NL and en_GB with the
patterns ``#,##0.0…`` (the decimal text of the float rounded half to even, the sign of the
value before rounding, groups of three), without loading Babel's CLDR data: that is ~3 MB of
a server's memory for two separators (``tests/test_numbers.py`` compares the two on many
values).
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal

#: (decimal mark, group separator) per language; other languages write Dutch.
MARKS = {"nl": (",", "."), "en": (".", ",")}
MINUS = "\u2212"


def _format(value: float, lang: str, digits: int, plus: bool = False) -> str:
    """``value`` with ``digits`` decimals and grouped thousands; a minus (U+2212) when the
    value is below zero (also when it rounds to 0, as Babel does), a + when ``plus``."""
    exact = Decimal(str(value))
    rounded = exact.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_EVEN)
    text = f"{abs(rounded):,.{digits}f}"
    mark, group = MARKS.get(lang, MARKS["nl"])
    text = text.translate({ord(","): group, ord("."): mark})
    if exact.is_signed():
        return MINUS + text
    return "+" + text if plus else text


def pct(value: float, lang: str = "nl", digits: int = 1) -> str:
    """``value`` percent: "0,7 %" (nl, a no-break space before %), "0.7%" (en)."""
    number = _format(value, lang, digits)
    return f"{number}\u00a0%" if lang != "en" else f"{number}%"


def decimal(value: float, lang: str = "nl", digits: int = 1) -> str:
    """A plain number with ``digits`` decimals: "2,5" (nl), "2.5" (en)."""
    return _format(value, lang, digits)


def share(fraction: float, lang: str = "nl") -> str:
    """A fraction 0..1 as a whole percentage: "45 %"."""
    return pct(100 * fraction, lang, 0)


def pct_points(value: float, lang: str = "nl", digits: int = 1) -> str:
    """A change in percentage points with its sign and unit: "+0,3 procentpunt"."""
    number = _format(value, lang, digits, plus=True)
    unit = "percentage points" if lang == "en" else "procentpunt"
    return f"{number}\u00a0{unit}"
