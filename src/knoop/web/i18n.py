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

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

LOCALE_DIR = Path(__file__).parent / "locale"
LANGS = ("nl", "en")


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
