"""Input checks for the store. Every error is a :class:`BadInput` whose ``field`` names the field."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

from knoop.errors import BadInput
from knoop.kb import knowledge_base

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
#: Unicode bidi embedding, override and isolate controls: they can make a name display as
#: something else ("Trojan source"); refused in names, allowed nowhere in IDs.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
#: The range of dates a record may hold (birth dates, consents, appointments).
EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(2200, 12, 31)


def text_problem(value: str, *, multiline: bool = True, name: bool = False) -> str | None:
    """Why ``value`` cannot be stored as text, or None when it can: a lone surrogate (not
    Unicode text at all), NUL or another control character (tab and line breaks are allowed in
    multi-line text), or, in a name, a bidi override."""
    allowed = "\n\t\r" if multiline else ""
    for c in value:
        cat = unicodedata.category(c)
        if cat == "Cs":
            return "contains an invalid character (a lone surrogate)"
        if cat == "Cc" and c not in allowed:
            return "contains a control character" if c != "\x00" else "contains a NUL character"
        if name and c in BIDI_CONTROLS:
            return "contains a text-direction control character"
    return None


def text(field: str, value: Any, *, max_len: int, required: bool = False,
         multiline: bool = True, name: bool = False) -> str:
    """Text as stored: stripped, at most ``max_len`` characters, valid Unicode without
    control characters (see :func:`text_problem`)."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise BadInput(f"{field}: must be text, got {type(value).__name__}", field=field)
    value = value.strip()
    if required and not value:
        raise BadInput(f"{field}: is required", field=field, kind="required")
    if len(value) > max_len:
        raise BadInput(f"{field}: at most {max_len} characters, got {len(value)}", field=field,
                       kind="too_long", limit=max_len)
    problem = text_problem(value, multiline=multiline, name=name)
    if problem:
        raise BadInput(f"{field}: {problem}", field=field, kind="characters")
    return value


def json_object(field: str, value: Any, *, max_chars: int = 200_000) -> dict[str, Any]:
    """A JSON object stored as it is (the session's intake answers): only JSON types, every key
    and string valid text (:func:`text_problem`), at most ``max_chars`` characters as JSON."""
    import json

    if value is None:
        return {}
    if not isinstance(value, dict):
        raise BadInput(f"{field}: must be an object of answers", field=field)

    def walk(path: str, x: Any, depth: int) -> None:
        if depth > 20:
            raise BadInput(f"{path}: nested too deeply", field=path)
        if isinstance(x, str):
            problem = text_problem(x)
            if problem:
                raise BadInput(f"{path}: {problem}", field=path, kind="characters")
        elif isinstance(x, dict):
            for k, item in x.items():
                if not isinstance(k, str) or text_problem(k, multiline=False):
                    raise BadInput(f"{path}: a key {_shown(k)} is not allowed", field=path)
                walk(f"{path}.{k}", item, depth + 1)
        elif isinstance(x, list):
            for i, item in enumerate(x):
                walk(f"{path}[{i}]", item, depth + 1)
        elif x is not None and not isinstance(x, (bool, int, float)):
            raise BadInput(f"{path}: not a JSON value", field=path)

    walk(field, value, 0)
    if len(json.dumps(value)) > max_chars:
        raise BadInput(f"{field}: at most {max_chars} characters as JSON", field=field)
    return value


def _shown(value: Any) -> str:
    """A short, printable rendering of a refused value for a message."""
    r = ascii(value)
    return r if len(r) <= 60 else r[:57] + "..."


def choice(field: str, value: Any, allowed: Sequence[str]) -> str:
    if not isinstance(value, str) or value not in allowed:
        raise BadInput(f"{field}: {_shown(value)} is not allowed; allowed: {', '.join(allowed)}",
                       field=field, allowed=allowed, kind="choice")
    return str(value)


def optional_choice(field: str, value: Any, allowed: Sequence[str]) -> str | None:
    return None if value is None else choice(field, value, allowed)


def ids(field: str, values: Iterable[Any] | None, allowed: Iterable[str], what: str) -> list[str]:
    if values is None:
        return []
    if isinstance(values, str) or not isinstance(values, Iterable):
        raise BadInput(f"{field}: must be a list of {what} IDs", field=field)
    known = set(allowed)
    out: list[str] = []
    for i, v in enumerate(values):
        if not isinstance(v, str) or v not in known:
            raise BadInput(f"{field}[{i}]: unknown {what} {_shown(v)}", field=f"{field}[{i}]",
                           allowed=sorted(known), kind="choice")
        if v not in out:
            out.append(v)
    return out


def nrs(field: str, value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
        raise BadInput(f"{field}: must be a whole number 0-10 (NRS), got {value!r}", field=field,
                       allowed=[str(n) for n in range(11)], kind="range")
    return value


def flag(field: str, value: Any) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    raise BadInput(f"{field}: must be true, false or empty, got {value!r}", field=field,
                   allowed=["true", "false"])


def whole(field: str, value: Any, lo: int, hi: int) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
        raise BadInput(f"{field}: must be a whole number {lo}-{hi}, got {value!r}", field=field,
                       kind="range")
    return value


def date(field: str, value: Any) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    elif isinstance(value, dt.date):
        pass
    else:
        try:
            value = dt.date.fromisoformat(str(value))
        except ValueError:
            raise BadInput(f"{field}: not a date (YYYY-MM-DD): {_shown(value)}",
                           field=field, kind="not_date") from None
    return _in_range(field, value)


def _in_range(field: str, day: dt.date) -> dt.date:
    if not EARLIEST <= day <= LATEST:
        raise BadInput(f"{field}: must lie between {EARLIEST.isoformat()} and "
                       f"{LATEST.isoformat()}, got {day.isoformat()}", field=field,
                       kind="date_range")
    return day


def moment(field: str, value: Any) -> dt.datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        v = value
    elif isinstance(value, dt.date):
        v = dt.datetime(value.year, value.month, value.day)
    else:
        try:
            v = dt.datetime.fromisoformat(str(value))
        except ValueError:
            raise BadInput(f"{field}: not a date and time (ISO 8601): {_shown(value)}",
                           field=field, kind="not_date") from None
    _in_range(field, v.date())
    if v.tzinfo is not None:
        v = v.astimezone(dt.UTC).replace(tzinfo=None)
    return v


def email(field: str, value: Any, *, required: bool = True) -> str:
    v = text(field, value, max_len=254, required=required).lower()
    if v and not EMAIL.match(v):
        raise BadInput(f"{field}: not an e-mail address: {value!r}", field=field, kind="email")
    return v


def muscle(field: str, value: Any) -> str:
    kb = knowledge_base()
    if not isinstance(value, str) or value not in kb.muscles:
        raise BadInput(f"{field}: unknown muscle {_shown(value)}", field=field,
                       allowed=sorted(kb.muscles))
    return str(value)


def trigger_point(field: str, muscle_id: str, value: Any) -> str | None:
    if value is None or value == "":
        return None
    tps = [tp.id for tp in knowledge_base().muscles[muscle_id].trigger_points]
    if not isinstance(value, str) or value not in tps:
        raise BadInput(f"{field}: {_shown(value)} is not a trigger point of {muscle_id}",
                       field=field,
                       allowed=tps)
    return str(value)


def normalise(name: str) -> str:
    """Lower case, accents removed, single spaces: what name search compares."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    plain = plain.replace("'", "").replace("-", " ")
    return " ".join(plain.casefold().split())
