"""The invitation that carries an intake link to the client: a ready message (Dutch, or
English on request) for e-mail or WhatsApp, a ``mailto:`` and a ``wa.me`` link with that
message, and the link as a QR code (inline SVG, made with ``segno``) to scan from the screen.

Pure: no database, no settings. The link itself is shown once, on the page that made it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote

import segno

MESSAGES = {
    "nl": {
        "subject": "Vragenlijst voor je afspraak bij {practice}",
        "greeting": "Beste {name},",
        "greeting_anon": "Beste,",
        "body": ("Voor je afspraak bij {practice} kun je thuis alvast op een lichaamskaart "
                 "tekenen waar je pijn hebt en een paar korte vragen beantwoorden. Dat duurt "
                 "ongeveer vijf minuten."),
        "link": "Open deze persoonlijke link (hij werkt één keer, tot {expires}):",
        "privacy": "Stuur de link niet door: wat je invult, is alleen voor je behandelaar.",
        "closing": "Met vriendelijke groet,",
    },
    "en": {
        "subject": "Questionnaire for your appointment at {practice}",
        "greeting": "Dear {name},",
        "greeting_anon": "Hello,",
        "body": ("Before your appointment at {practice} you can mark on a body chart where it "
                 "hurts and answer a few short questions at home. It takes about five minutes."),
        "link": "Open this personal link (it works once, until {expires}):",
        "privacy": "Please do not forward the link: what you fill in is for your therapist only.",
        "closing": "Kind regards,",
    },
}


@dataclass(frozen=True)
class Invitation:
    subject: str
    text: str
    mailto: str
    whatsapp: str
    qr_svg: str


def whatsapp_number(phone: str) -> str:
    """A phone number as wa.me wants it (country code, digits only): ``06 1234 5678`` →
    ``31612345678``, ``+32 470 12 34 56`` → ``32470123456``; "" when it is no usable
    number (then WhatsApp asks whom to send it to)."""
    p = re.sub(r"[\s\-().]", "", phone or "")
    if p.startswith("+"):
        p = p[1:]
    elif p.startswith("00"):
        p = p[2:]
    elif p.startswith("0"):
        p = "31" + p[1:]  # a Dutch national number
    return p if p.isdigit() and 8 <= len(p) <= 15 else ""


def qr_svg(url: str, title: str) -> str:
    """The URL as a QR code: an inline ``<svg>`` that scales with CSS (error correction M,
    enough for a screen or a print)."""
    qr = segno.make(url, error="m", micro=False)
    return str(qr.svg_inline(scale=4, border=2, dark="#1f2328", light="#ffffff",
                             title=title, omitsize=True, svgclass="qr"))


def invitation(url: str, *, practice: str, expires: str, first_name: str = "",
               email: str = "", phone: str = "", therapist: str = "",
               lang: str = "nl") -> Invitation:
    """The invitation for one intake link."""
    m = MESSAGES["en" if lang == "en" else "nl"]
    greeting = (m["greeting"].format(name=first_name.strip()) if first_name.strip()
                else m["greeting_anon"])
    sign = "\n".join(x for x in (therapist.strip(), practice.strip()) if x)
    text = "\n\n".join([greeting, m["body"].format(practice=practice),
                        m["link"].format(expires=expires) + "\n" + url, m["privacy"],
                        m["closing"] + ("\n" + sign if sign else "")])
    subject = m["subject"].format(practice=practice)
    mailto = (f"mailto:{quote(email.strip(), safe='@')}?subject={quote(subject, safe='')}"
              f"&body={quote(text, safe='')}")
    whatsapp = f"https://wa.me/{whatsapp_number(phone)}?text={quote(text, safe='')}"
    return Invitation(subject, text, mailto, whatsapp, qr_svg(url, subject))
