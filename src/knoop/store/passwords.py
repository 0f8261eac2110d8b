"""The password policy: at least 12 characters, at most 1024, and not guessable.

Refused, whatever their length: a password from the packaged list of the most common passwords
(``data/common-passwords.txt``), also with digits or punctuation around it ("Password12!",
"welkom2024"), one with fewer than 5 different characters ("aaaaaaaaaaaa", "121212121212"),
a run of consecutive letters, keys or digits ("abcdefghijkl", "qwertyuiop12"), and the user's own e-mail name with little around it ("anna.jansen2026").
The message says in English and Dutch what to do instead.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from knoop.errors import BadInput

MIN_LENGTH = 12
MAX_LENGTH = 1024
MIN_DISTINCT = 5
RUNS = ("0123456789", "abcdefghijklmnopqrstuvwxyz", "qwertyuiop", "asdfghjkl", "zxcvbnm",
        "azertyuiop")
TOO_EASY = ("password: too common or too easy to guess; choose a sentence of several words "
            "(wachtwoord te makkelijk te raden; kies een zin van een paar woorden, minstens "
            f"{MIN_LENGTH} tekens)")


@lru_cache(maxsize=1)
def common() -> frozenset[str]:
    text = resources.files("knoop.store").joinpath("data/common-passwords.txt").read_text(
        encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines()
                     if line.strip() and not line.startswith("#"))


def _is_run(text: str) -> bool:
    """Whether ``text`` is (mostly) one run of consecutive keys, forwards or backwards."""
    for run in RUNS:
        for seq in (run, run[::-1]):
            if len(text) >= 6 and text in (seq * 3):
                return True
    return False


def check(password: object, email: str = "") -> str:
    """The password if the policy allows it; else :class:`BadInput` on field ``password``."""
    if not isinstance(password, str) or len(password) < MIN_LENGTH:
        raise BadInput(f"password: at least {MIN_LENGTH} characters (wachtwoord: minstens "
                       f"{MIN_LENGTH} tekens)", field="password", kind="password_short")
    if len(password) > MAX_LENGTH:
        raise BadInput(f"password: at most {MAX_LENGTH} characters", field="password",
                       kind="too_long", limit=MAX_LENGTH)
    low = password.lower()
    core = re.sub(r"^[\W\d_]+|[\W\d_]+$", "", low)
    squeezed = re.sub(r"[\s\W_]+", "", low)
    local = re.sub(r"[\s\W_]+", "", email.lower().split("@", 1)[0])
    if (low in common() or core in common() or squeezed in common()
            or len(set(low)) < MIN_DISTINCT or _is_run(squeezed)
            or (len(local) >= 3 and len(squeezed.replace(local, "")) < 6)):
        raise BadInput(TOO_EASY, field="password", kind="password_common")
    return password
