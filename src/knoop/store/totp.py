"""One-time codes (TOTP, RFC 6238) for the second login step: which time step a code
belongs to, and the secret sealed at rest with the instance key (AES-GCM, bound to the user)."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import secrets
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pyotp and cryptography (~12 MB) load when a second step is used
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM


def totp_step(secret: str, code: str, now: dt.datetime) -> int | None:
    """The time step (30 s) of ``now`` or a neighbour whose code is ``code``, or None."""
    if not (len(code) == 6 and code.isdigit()):
        return None
    import pyotp

    ts = int(now.replace(tzinfo=dt.UTC).timestamp())
    t = pyotp.TOTP(secret)
    for off in (0, -1, 1):
        moment = ts + off * t.interval
        if hmac.compare_digest(t.at(moment), code):
            return moment // t.interval
    return None


TOTP_SEALED = "v1:"


def _totp_aead(key: bytes) -> AESGCM:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    return AESGCM(hmac.new(key, b"knoop-totp-secret-v1", hashlib.sha256).digest())


def seal_totp(key: bytes, user_id: int, secret: str) -> str:
    """A TOTP secret encrypted at rest with the instance key (AES-256-GCM, bound to the user)."""
    nonce = secrets.token_bytes(12)
    ct = _totp_aead(key).encrypt(nonce, secret.encode("ascii"), f"user:{user_id}".encode())
    return TOTP_SEALED + base64.urlsafe_b64encode(nonce + ct).decode("ascii")


def open_totp(key: bytes, user_id: int, stored: str) -> str | None:
    """The TOTP secret of a user (a plain one of before 0.3 as it is); None if it cannot be
    opened with this key."""
    if not stored.startswith(TOTP_SEALED):
        return stored
    from cryptography.exceptions import InvalidTag

    try:
        raw = base64.urlsafe_b64decode(stored[len(TOTP_SEALED):].encode("ascii"))
        return _totp_aead(key).decrypt(raw[:12], raw[12:], f"user:{user_id}".encode()
                                       ).decode("ascii")
    except (ValueError, InvalidTag, UnicodeError):
        return None
