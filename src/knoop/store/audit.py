"""The access log (NEN 7513 style): who, on whose behalf, which client, what, when.

Append-only and hash-chained: row *n* stores ``sha256(prev_hash + canonical(row n))`` where
``prev_hash`` is row *n-1*'s hash (64 zeros for the first row) and ``canonical`` is the sorted,
compact JSON of every other column. Ids are contiguous from 1, and the one-row table
``access_log_head`` holds the last id and hash, so an edited, inserted or deleted row - also the
last one - breaks verification.

Appends are serialised so that concurrent writers never fork the chain: on SQLite every
transaction already holds the write lock (``BEGIN IMMEDIATE``); on PostgreSQL the append takes
``SELECT ... FOR UPDATE`` on the head row, held until commit.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from typing import Any

from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session as OrmSession

from knoop.store.models import AccessLogHeadRow, AccessLogRow
from knoop.store.types import AccessEntry, Actor, ChainReport

GENESIS = "0" * 64
FIELDS = ("id", "at", "practice_id", "user_id", "user_email", "on_behalf_of", "client_id",
          "action", "object", "detail", "prev_hash")


def canonical(values: dict[str, Any]) -> str:
    body = {k: (values[k].isoformat() if isinstance(values[k], dt.datetime) else values[k])
            for k in FIELDS}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def row_hash(values: dict[str, Any]) -> str:
    return hashlib.sha256((values["prev_hash"] + canonical(values)).encode("utf-8")).hexdigest()


def append(s: OrmSession, *, at: dt.datetime, actor: Actor | None, action: str,
           client_id: int | None = None, obj: str = "", detail: str = "",
           practice_id: int | None = None, on_behalf_of: str | None = None) -> int:
    """Append one entry inside the caller's transaction; returns its id."""
    head = s.execute(select(AccessLogHeadRow).where(AccessLogHeadRow.id == 1)
                     .with_for_update()).scalar_one()
    values: dict[str, Any] = {
        "id": head.last_id + 1,
        "at": at.replace(microsecond=at.microsecond),
        "practice_id": practice_id if practice_id is not None else
        (actor.practice_id if actor else None),
        "user_id": actor.user_id if actor else None,
        "user_email": actor.email if actor else "",
        "on_behalf_of": on_behalf_of if on_behalf_of is not None else (
            (actor.on_behalf_of or f"practice {actor.practice_id}") if actor else "system"),
        "client_id": client_id,
        "action": action,
        "object": obj[:100],
        "detail": detail[:300],
        "prev_hash": head.last_hash,
    }
    values["hash"] = row_hash(values)
    s.add(AccessLogRow(**values))
    s.execute(update(AccessLogHeadRow).where(AccessLogHeadRow.id == 1)
              .values(last_id=values["id"], last_hash=values["hash"]))
    return int(values["id"])


def _rows(engine: Engine, batch: int = 5000) -> Iterator[dict[str, Any]]:
    cols = [getattr(AccessLogRow, f) for f in (*FIELDS, "hash")]
    last = 0
    with engine.connect() as conn:
        while True:
            chunk = conn.execute(select(*cols).where(AccessLogRow.id > last)
                                 .order_by(AccessLogRow.id).limit(batch)).mappings().all()
            if not chunk:
                break
            for r in chunk:
                yield dict(r)
            last = chunk[-1]["id"]
        conn.rollback()


def verify(engine: Engine) -> ChainReport:
    """Walk the whole chain; report the first row that was edited, inserted or deleted."""
    prev, expected_id, n = GENESIS, 1, 0
    for r in _rows(engine):
        n += 1
        if r["id"] != expected_id:
            return ChainReport(False, n, prev, expected_id,
                               f"row {expected_id} is missing (next row is {r['id']})")
        if r["prev_hash"] != prev:
            return ChainReport(False, n, prev, r["id"],
                               f"row {r['id']}: previous hash does not match row "
                               f"{r['id'] - 1} (a row before it was edited or deleted)")
        if row_hash(r) != r["hash"]:
            return ChainReport(False, n, prev, r["id"],
                               f"row {r['id']}: content does not match its hash (edited)")
        prev, expected_id = r["hash"], expected_id + 1
    with engine.connect() as conn:
        head = conn.execute(select(AccessLogHeadRow.last_id, AccessLogHeadRow.last_hash)
                            .where(AccessLogHeadRow.id == 1)).one()
        conn.rollback()
    if head.last_id != expected_id - 1 or head.last_hash != prev:
        missing = min(expected_id, head.last_id)
        return ChainReport(False, n, prev, missing,
                           f"the chain ends at row {expected_id - 1} but the head records row "
                           f"{head.last_id}: rows at the end were deleted or the head edited")
    return ChainReport(True, n, prev)


def entry(r: AccessLogRow) -> AccessEntry:
    return AccessEntry(r.id, r.at, r.practice_id, r.user_id, r.user_email, r.on_behalf_of,
                       r.client_id, r.action, r.object, r.detail)
