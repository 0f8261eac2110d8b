"""Numbers as people read them: Dutch decimal commas, a space before %, units (via Babel).

One formatter for every human-facing number: the web pages (Jinja filters registered in
:mod:`knoop.web.pages`: ``{{ 0.7|pct(lang) }}`` → "0,7 %", ``{{ -0.1|pct_points(lang) }}`` →
"−0,1 procentpunt", ``{{ 0.45|share(lang) }}`` → "45 %"), the PDFs (:mod:`knoop.handouts`) and
the CLI's tables. Like :mod:`knoop.vocabulary` it sits beside the layers, pure and without I/O,
so every layer may use it. JSON output stays in machine format and never goes through here.
"""

from __future__ import annotations

from babel.numbers import format_decimal

LOCALES = {"nl": "nl_NL", "en": "en_GB"}
MINUS = "\u2212"


def _locale(lang: str) -> str:
    return LOCALES.get(lang, "nl_NL")


def pct(value: float, lang: str = "nl", digits: int = 1) -> str:
    """``value`` percent: "0,7 %" (nl, a no-break space before %), "0.7%" (en)."""
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    number = format_decimal(value, format=pattern, locale=_locale(lang)).replace("-", MINUS)
    return f"{number}\u00a0%" if lang != "en" else f"{number}%"


def decimal(value: float, lang: str = "nl", digits: int = 1) -> str:
    """A plain number with ``digits`` decimals: "2,5" (nl), "2.5" (en)."""
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=pattern, locale=_locale(lang)).replace("-", MINUS)


def share(fraction: float, lang: str = "nl") -> str:
    """A fraction 0..1 as a whole percentage: "45 %"."""
    return pct(100 * fraction, lang, 0)


def pct_points(value: float, lang: str = "nl", digits: int = 1) -> str:
    """A change in percentage points with its sign and unit: "+0,3 procentpunt"."""
    pattern = "+#,##0" + ("." + "0" * digits if digits else "") + ";-#,##0" + (
        "." + "0" * digits if digits else "")
    number = format_decimal(value, format=pattern, locale=_locale(lang)).replace("-", MINUS)
    unit = "percentage points" if lang == "en" else "procentpunt"
    return f"{number}\u00a0{unit}"
