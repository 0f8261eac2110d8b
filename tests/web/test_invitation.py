"""The invitation that carries an intake link: message, mail and WhatsApp links, QR code."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from knoop.web.invitation import invitation, whatsapp_number

URL = "https://praktijk.example/intake/abc123"


@pytest.mark.parametrize("phone, number", [
    ("06 1234 5678", "31612345678"), ("+32 470 12 34 56", "32470123456"),
    ("0031-6-12345678", "31612345678"), ("", ""), ("bel maar", ""), ("123", "")])
def test_a_phone_number_becomes_what_wa_me_expects(phone: str, number: str) -> None:
    assert whatsapp_number(phone) == number


def test_the_message_greets_the_client_names_the_practice_and_carries_the_link() -> None:
    inv = invitation(URL, practice="Praktijk De Knoop", expires="24-11-2026 09:30",
                     first_name="Anna", email="anna@example.nl", phone="0612345678",
                     therapist="Olga Jansen")
    assert inv.text.startswith("Beste Anna,\n\nVoor je afspraak bij Praktijk De Knoop")
    assert f"tot 24-11-2026 09:30):\n{URL}" in inv.text
    assert inv.text.endswith("Met vriendelijke groet,\nOlga Jansen\nPraktijk De Knoop")
    mail = urlsplit(inv.mailto)
    assert mail.scheme == "mailto" and mail.path == "anna@example.nl"
    q = parse_qs(mail.query)
    assert q["body"] == [inv.text] and q["subject"] == [inv.subject]
    wa = urlsplit(inv.whatsapp)
    assert wa.netloc == "wa.me" and wa.path == "/31612345678"
    assert parse_qs(wa.query)["text"] == [inv.text]


def test_without_a_name_or_number_the_message_still_works_and_whatsapp_asks_whom() -> None:
    inv = invitation(URL, practice="De Knoop", expires="1-12-2026", lang="en")
    assert inv.text.startswith("Hello,\n\nBefore your appointment at De Knoop")
    assert inv.whatsapp.startswith("https://wa.me/?text=")


def test_the_qr_code_is_an_inline_svg_of_the_link() -> None:
    svg = invitation(URL, practice="De Knoop", expires="x").qr_svg
    assert svg.startswith("<svg") and 'class="qr"' in svg and "<title>" in svg
    assert 'width="' not in svg.split(">", 1)[0], "it scales with CSS"
