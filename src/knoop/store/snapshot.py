"""The stored form of a session's ranking snapshot: JSON, zlib-compressed, in its own table
(``session_rankings``, migration 0010).

A snapshot is 6-35 kB of JSON with many repeated keys and IDs; packed it is 5-10 times
smaller. It is always written and read whole (a new ranking replaces the old one), so it is
never queried inside the database. It is written with ``json`` as the ``JSON`` column did and
read back with orjson (three times faster; the same values), or ``json`` for what orjson
refuses (``NaN``), so a snapshot reads back exactly as it was written.
"""

from __future__ import annotations

import json
import zlib
from typing import Any

import orjson
from sqlalchemy import LargeBinary
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

#: zlib level: 6 packs a snapshot to ~1/8 in ~0.2 ms; 9 gains 1-2 % for twice the time.
LEVEL = 6


def pack(value: Any) -> bytes:
    """``value`` as compact JSON (UTF-8), compressed."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return zlib.compress(text.encode("utf-8"), LEVEL)


def unpack(data: bytes) -> Any:
    return loads(zlib.decompress(data))


def loads(text: bytes | str) -> Any:
    """JSON text -> value: orjson, or ``json`` for what orjson refuses."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)


class PackedJSON(TypeDecorator[Any]):
    """A JSON value stored compressed (:func:`pack`) as bytes (BLOB / BYTEA)."""

    impl = LargeBinary
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> bytes | None:
        return None if value is None else pack(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        return None if value is None else unpack(bytes(value))
