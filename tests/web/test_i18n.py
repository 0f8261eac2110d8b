"""Interface text comes from gettext catalogs: every message has its Dutch text."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from fastapi.testclient import TestClient

from knoop.web.app import create_app
from knoop.web.i18n import LOCALE_DIR

WEB = Path(__file__).resolve().parents[2] / "src" / "knoop" / "web"
METHODS = [("**/templates/**.html", "jinja2"), ("**.py", "python")]


def extracted() -> set[str]:
    out: set[str] = set()
    for _fn, _line, msg, _c, _ctx in extract_from_dir(str(WEB), method_map=METHODS):
        out.update(msg if isinstance(msg, tuple) else (msg,))
    return out


def test_every_interface_message_has_a_dutch_translation() -> None:
    with (LOCALE_DIR / "nl" / "LC_MESSAGES" / "messages.po").open("rb") as f:
        catalog = read_po(f, locale="nl")
    translated: set[str] = set()
    for m in catalog:
        if not m.id:
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        if all(strings):
            translated.update(ids)
    missing = sorted(extracted() - translated)
    assert missing == [], f"add these to locale/nl/LC_MESSAGES/messages.po: {missing}"


def test_pages_are_dutch_by_default_and_english_on_request() -> None:
    client = TestClient(create_app())
    nl = client.get("/kb").text
    en = TestClient(create_app()).get("/kb", params={"lang": "en"}).text
    assert "Kennisbank: spieren en hun triggerpunten" in nl
    assert "Knowledge base: muscles and their trigger points" in en
    assert "triggerpunten" in nl and "trigger points" in en
