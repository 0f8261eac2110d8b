"""Why a dossier was erased: a reason **code** (:data:`CODES`), which is all the permanent
access log gets, and an optional free-text note (it may name the client or a diagnosis), which
goes to the erasure register only (``erasures``; :meth:`RetentionMixin.erase_client`). The
register is what a restore re-applies (:mod:`knoop.store.backup`); it holds ids, the code, the
time and the note, and may be cleaned by the operator, unlike the access log.
"""

from __future__ import annotations

from knoop.errors import BadInput

CODES = ("on_request", "retention_expired", "duplicate", "entered_in_error", "other")
#: Free texts of before 0.3 (and the CLI's old default) that are a code in disguise.
ALIASES = {"on request": "on_request", "on request of the client": "on_request",
           "op verzoek": "on_request", "retention": "retention_expired"}


def reason_code(reason: str, note: str) -> tuple[str, str]:
    """(code, note): a known code stays; any other text becomes code ``other`` with the text
    moved into the note, so it never reaches the permanent log."""
    text = (reason or "").strip()
    if text in CODES:
        return text, note
    if text.lower() in ALIASES:
        return ALIASES[text.lower()], note
    if not text:
        raise BadInput("reason: is required; allowed: " + ", ".join(CODES), field="reason",
                       allowed=CODES)
    return "other", (text + ("; " + note if note else ""))
