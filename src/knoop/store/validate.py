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


def text(field: str, value: Any, *, max_len: int, required: bool = False) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise BadInput(f"{field}: must be text, got {type(value).__name__}", field=field)
    value = value.strip()
    if required and not value:
        raise BadInput(f"{field}: is required", field=field)
    if len(value) > max_len:
        raise BadInput(f"{field}: at most {max_len} characters, got {len(value)}", field=field)
    if any(unicodedata.category(c) == "Cc" and c not in "\n\t\r" for c in value):
        raise BadInput(f"{field}: contains control characters", field=field)
    return value


def choice(field: str, value: Any, allowed: Sequence[str]) -> str:
    if value not in allowed:
        raise BadInput(f"{field}: {value!r} is not allowed; allowed: {', '.join(allowed)}",
                       field=field, allowed=allowed)
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
        if v not in known:
            raise BadInput(f"{field}[{i}]: unknown {what} {v!r}", field=f"{field}[{i}]",
                           allowed=sorted(known))
        if v not in out:
            out.append(v)
    return out


def nrs(field: str, value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
        raise BadInput(f"{field}: must be a whole number 0-10 (NRS), got {value!r}", field=field,
                       allowed=[str(n) for n in range(11)])
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
        raise BadInput(f"{field}: must be a whole number {lo}-{hi}, got {value!r}", field=field)
    return value


def date(field: str, value: Any) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise BadInput(f"{field}: not a date (YYYY-MM-DD): {value!r}", field=field) from None


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
            raise BadInput(f"{field}: not a date and time (ISO 8601): {value!r}",
                           field=field) from None
    if v.tzinfo is not None:
        v = v.astimezone(dt.UTC).replace(tzinfo=None)
    return v


def email(field: str, value: Any, *, required: bool = True) -> str:
    v = text(field, value, max_len=254, required=required).lower()
    if v and not EMAIL.match(v):
        raise BadInput(f"{field}: not an e-mail address: {value!r}", field=field)
    return v


def muscle(field: str, value: Any) -> str:
    kb = knowledge_base()
    if value not in kb.muscles:
        raise BadInput(f"{field}: unknown muscle {value!r}", field=field,
                       allowed=sorted(kb.muscles))
    return str(value)


def trigger_point(field: str, muscle_id: str, value: Any) -> str | None:
    if value is None or value == "":
        return None
    tps = [tp.id for tp in knowledge_base().muscles[muscle_id].trigger_points]
    if value not in tps:
        raise BadInput(f"{field}: {value!r} is not a trigger point of {muscle_id}", field=field,
                       allowed=tps)
    return str(value)


def normalise(name: str) -> str:
    """Lower case, accents removed, single spaces: what name search compares."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    plain = plain.replace("'", "").replace("-", " ")
    return " ".join(plain.casefold().split())
