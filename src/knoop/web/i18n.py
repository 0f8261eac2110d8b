"""Interface text in gettext catalogs (Babel).

Message IDs are English; ``locale/nl/LC_MESSAGES/messages.po`` holds the Dutch text (the default
language), ``locale/en`` is English (identity). Catalogs are read from the ``.po`` files at first
use and compiled in memory, so there is no build step. Update them with::

    .venv/bin/pybabel extract -F babel.cfg -o /tmp/messages.pot src/knoop
    .venv/bin/pybabel update -i /tmp/messages.pot -d src/knoop/web/locale
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

LOCALE_DIR = Path(__file__).parent / "locale"
LANGS = ("nl", "en")


def lang_of(request: Any) -> str:
    """The language of a request: ``?lang=en`` switches to English (and a ``lang`` cookie
    keeps it); anything else, or nothing, is Dutch."""
    lang = request.query_params.get("lang") or request.cookies.get("lang") or "nl"
    return lang if lang in LANGS else "nl"


@cache
def translations(lang: str) -> NullTranslations:
    """The catalog for ``lang`` (nl or en); unknown languages get Dutch."""
    if lang not in LANGS:
        lang = "nl"
    path = LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as f:
        catalog = read_po(f, locale=lang)
    buf = io.BytesIO()
    write_mo(buf, catalog)
    buf.seek(0)
    return Translations(buf)


def gettext(lang: str, message: str) -> str:
    return translations(lang).gettext(message)


def N_(message: str) -> str:
    """Mark a message for the catalogs without translating it yet."""
    return message


#: Texts of the drawing widget (static/chart.js), sent to the page as a JSON data block.
CHART_MESSAGES: dict[str, Any] = {
    "left": N_("left"),
    "right": N_("right"),
    "midline": "",
    "drawn": N_("drawn"),
    "chosen": N_("chosen"),
    "off": N_("switched off"),
    "more": N_("Show more"),
    "less": N_("Show fewer"),
    "flagsTitle": N_("Red flags: refer first"),
    "ack": N_("Read: I will deal with this first"),
    "acked": N_("Read. The list stays an aid; refer where needed."),
    "reasonLabel": N_("Why do you treat despite this emergency sign? (required)"),
    "override": N_("Treat anyway, with this reason"),
    "reasonShort": N_("Write a reason of at least 10 characters."),
    "active": N_("Active trigger point"),
    "latent": N_("Latent"),
    "none_found": N_("None found"),
    "findingQ": N_("On palpation:"),
    "howto": N_("How to find it"),
    "essential": N_("main zone"),
    "spill": N_("spillover"),
    "tp": N_("trigger point"),
    "kb": N_("More in the knowledge base"),
    "onView": N_("This pattern shows mostly on:"),
    "show": N_("Show"),
    "region": N_("region"),
    "regions": N_("regions"),
    "shown": N_("shown"),
    "score": N_("score"),
    "explains": N_("explains"),
    "close": N_("Close"),
    "found": N_("Found"),
    "select": N_("Select to see zones and trigger points"),
    "error": N_("Could not update the list: "),
    "noMark": N_("(not visible on this view)"),
    "urg": {
        "emergency": N_("emergency"),
        "urgent": N_("urgent"),
        "gp": N_("GP"),
        "caution": N_("caution"),
    },
    "criteria": N_("Criteria"),
    "tpWhich": N_("Which trigger point?"),
    "tpAny": N_("not given"),
    "crit": {
        "pain_recognised": N_("pain recognised"),
        "tender_spot": N_("tender spot"),
        "taut_band": N_("taut band"),
        "referral_elicited": N_("referral elicited"),
        "twitch": N_("twitch response"),
    },
    "tapX": N_("Tap an ✕ on the chart to choose the trigger point."),
    "noLonger": N_("no longer in the list"),
    "pickerTitle": N_("Trigger points here"),
    "pickerHint": N_("Choose the trigger point you examine; its muscle is then selected."),
    "pickerNone": N_("No trigger point lies over this region."),
    "notRanked": N_("not in the list"),
    "pickerError": N_("Could not load the trigger points: "),
    "whole": N_("Whole figure"),
    "zoomKeys": N_("Plus and minus zoom in and out, the arrow keys move, 0 shows the whole figure."),
}


@cache
def chart_messages(lang: str) -> dict[str, Any]:
    """:data:`CHART_MESSAGES` translated into ``lang``."""
    t = translations(lang)

    def tr(d: dict[str, Any]) -> dict[str, Any]:
        return {k: tr(v) if isinstance(v, dict) else (t.gettext(v) if v else "")
                for k, v in d.items()}

    return tr(CHART_MESSAGES)
