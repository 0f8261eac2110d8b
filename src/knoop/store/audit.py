"""The access log (NEN 7513 style): who, on whose behalf, which client, what, when.

It cannot be rewritten unnoticed, by three independent controls that ``knoop audit verify``
checks together:

1. **A keyed chain.** Row *n* stores ``HMAC-SHA256(key, "knoop-log-v2|" + key_id + "|" +
   prev_hash + canonical(row n))`` where ``prev_hash`` is row *n-1*'s hash (64 zeros for the first
   row), ``canonical`` the sorted, compact JSON of the other columns and ``key_id`` a fingerprint
   of the key. The key lives outside the database (``<data_dir>/audit.key`` or
   ``KNOOP_AUDIT_KEY``) and never in a backup, so someone who can write to the database cannot
   re-hash an edited row or a shortened chain. Rows written before 0.3 carry no ``key_id`` and
   an unkeyed ``sha256(prev_hash + canonical)``; they may only precede the keyed rows.
2. **Append-only.** Triggers refuse UPDATE and DELETE on SQLite and PostgreSQL, and TRUNCATE on
   PostgreSQL (migration 0005); verify checks they are in place and enabled.
3. **A head anchor outside the database.** After every transaction that appended, the last id
   and hash are written to the anchor file (``<data_dir>/audit.anchor``), which only moves
   forward. Deleting rows at the end and resetting ``access_log_head`` leaves the anchor
   pointing at a row that is gone or different.

Ids are contiguous from 1, and the one-row table ``access_log_head`` holds the last id and
hash. Appends are serialised so that concurrent writers never fork the chain: on SQLite every
transaction already holds the write lock (``BEGIN IMMEDIATE``); on PostgreSQL the append takes
``SELECT ... FOR UPDATE`` on the head row, held until commit.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import hmac
import json
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, insert, select, text, update
from sqlalchemy.orm import Session as OrmSession

from knoop.store.models import AccessLogHeadRow, AccessLogRow
from knoop.store.types import AccessEntry, Actor, ChainReport

GENESIS = "0" * 64
#: The key of a store that was given none (tests, scripts): public, so it protects nothing.
PUBLIC_KEY = b"knoop-public-test-key: protects nothing"
KEY_INFO = "knoop_audit_key"
HEAD_INFO = "knoop_audit_head"
TRIGGERS = {"sqlite": {"access_log_no_update", "access_log_no_delete"},
            "postgresql": {"access_log_no_update", "access_log_no_truncate"}}
FIELDS = ("id", "at", "practice_id", "user_id", "user_email", "on_behalf_of", "client_id",
          "action", "object", "detail", "prev_hash")


def canonical(values: dict[str, Any]) -> str:
    body = {k: (values[k].isoformat() if isinstance(values[k], dt.datetime) else values[k])
            for k in FIELDS}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def key_id(key: bytes) -> str:
    """A short public fingerprint of an access-log key (stored with each row it seals)."""
    return hashlib.sha256(b"knoop-audit-key-id|" + key).hexdigest()[:16]


def row_hash(values: dict[str, Any], key: bytes | None = None) -> str:
    """The row's seal: keyed (HMAC) when it has a ``key_id``, else the unkeyed legacy sha256."""
    kid = values.get("key_id")
    if kid is None:
        return hashlib.sha256((values["prev_hash"] + canonical(values)).encode("utf-8")
                              ).hexdigest()
    msg = f"knoop-log-v2|{kid}|{values['prev_hash']}{canonical(values)}".encode()
    return hmac.new(key if key is not None else PUBLIC_KEY, msg, hashlib.sha256).hexdigest()


def append(s: OrmSession, *, at: dt.datetime, actor: Actor | None, action: str,
           client_id: int | None = None, obj: str = "", detail: str = "",
           practice_id: int | None = None, on_behalf_of: str | None = None) -> int:
    """Append one entry inside the caller's transaction; returns its id."""
    return append_many(s, at=at, actor=actor, action=action, entries=[(client_id, obj, detail)],
                       practice_id=practice_id, on_behalf_of=on_behalf_of)


def append_many(s: OrmSession, *, at: dt.datetime, actor: Actor | None, action: str,
                entries: Sequence[tuple[int | None, str, str]],
                practice_id: int | None = None, on_behalf_of: str | None = None) -> int:
    """Append one entry per ``(client_id, object, detail)`` of ``entries``, chained in that
    order, inside the caller's transaction: the head is locked and moved once, the rows go in
    with one statement (an import batch writes a row per client). Returns the last id."""
    head = s.execute(select(AccessLogHeadRow).where(AccessLogHeadRow.id == 1)
                     .with_for_update()).scalar_one()
    key = s.info.get(KEY_INFO) or PUBLIC_KEY
    kid = key_id(key)
    last_id, last_hash = int(head.last_id), str(head.last_hash)
    rows = []
    for client_id, obj, detail in entries:
        values: dict[str, Any] = {
            "id": last_id + 1,
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
            "prev_hash": last_hash,
            "key_id": kid,
        }
        values["hash"] = row_hash(values, key)
        rows.append(values)
        last_id, last_hash = values["id"], values["hash"]
    if not rows:
        return last_id
    s.flush()  # rows the caller added first (the client a log row names) go in first
    s.execute(insert(AccessLogRow), rows)
    s.execute(update(AccessLogHeadRow).where(AccessLogHeadRow.id == 1)
              .values(last_id=last_id, last_hash=last_hash))
    s.info[HEAD_INFO] = (last_id, last_hash)
    return last_id


# ------------------------------------------------------------------------------ the anchor
def read_anchor(path: Path) -> tuple[int, str] | None:
    """The (last id, hash) the anchor file holds, or None when there is none yet."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        return int(data["last_id"]), str(data["hash"])
    except FileNotFoundError:
        return None
    except (ValueError, KeyError, TypeError):
        return (-1, "unreadable")


def write_anchor(path: Path, last_id: int, last_hash: str) -> None:
    """Record the log head outside the database; it only moves forward (a lock file keeps
    processes on one machine from moving it back). Mode 0600, replaced atomically."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    lock_fd = os.open(str(path) + ".lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        with contextlib.suppress(ImportError):
            import fcntl
            fcntl.flock(lock_fd, fcntl.LOCK_EX)
        current = read_anchor(path)
        if current is not None and current[0] >= last_id:
            return
        tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump({"last_id": last_id, "hash": last_hash}, f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        os.close(lock_fd)


def anchor_head(engine: Engine, path: Path) -> None:
    """Anchor the head as the database has it now (after a transaction run outside
    :meth:`StoreBase._run`, e.g. the all-or-nothing CSV import)."""
    with engine.connect() as conn:
        head = conn.execute(select(AccessLogHeadRow.last_id, AccessLogHeadRow.last_hash)
                            .where(AccessLogHeadRow.id == 1)).one()
        conn.rollback()
    if head.last_id:
        write_anchor(path, int(head.last_id), str(head.last_hash))


def append_only_problems(engine: Engine) -> list[str]:
    """What is missing of the triggers that make ``access_log`` append-only (empty: all there)."""
    want = TRIGGERS.get(engine.dialect.name, set())
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            have = set(conn.scalars(text("SELECT name FROM sqlite_master WHERE type = 'trigger' "
                                         "AND tbl_name = 'access_log'")))
        else:
            have = set(conn.scalars(text(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = 'access_log'::regclass "
                "AND NOT tgisinternal AND tgenabled <> 'D'")))
        conn.rollback()
    return [f"the append-only trigger {t} on access_log is missing or disabled"
            for t in sorted(want - have)]


def _rows(engine: Engine, batch: int = 5000) -> Iterator[dict[str, Any]]:
    cols = [getattr(AccessLogRow, f) for f in (*FIELDS, "hash", "key_id")]
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


def check_rows(rows: Iterator[dict[str, Any]], key: bytes, *, prev: str = GENESIS,
               first_id: int = 1, keyed_only: bool = False) -> ChainReport:
    """Walk a run of rows (the live log, or an archived part of it) from ``first_id`` on."""
    kid = key_id(key)
    expected_id, n, keyed = first_id, 0, keyed_only
    for r in rows:
        n += 1
        if r["id"] != expected_id:
            return ChainReport(False, n, prev, expected_id,
                               f"row {expected_id} is missing (next row is {r['id']})")
        if r["prev_hash"] != prev:
            return ChainReport(False, n, prev, r["id"],
                               f"row {r['id']}: previous hash does not match row "
                               f"{r['id'] - 1} (a row before it was edited or deleted)")
        if r.get("key_id") is None:
            if keyed:
                return ChainReport(False, n, prev, r["id"],
                                   f"row {r['id']}: unkeyed after keyed rows (re-hashed)")
        else:
            keyed = True
            if r["key_id"] != kid:
                return ChainReport(False, n, prev, r["id"],
                                   f"row {r['id']}: sealed with another key ({r['key_id']}, "
                                   f"this instance has {kid}): edited, or the wrong audit key")
        if not hmac.compare_digest(row_hash(r, key), r["hash"]):
            return ChainReport(False, n, prev, r["id"],
                               f"row {r['id']}: content does not match its hash (edited)")
        prev, expected_id = r["hash"], expected_id + 1
    return ChainReport(True, n, prev, expected_id - 1)


def verify(engine: Engine, key: bytes | None = None, anchor: Path | None = None) -> ChainReport:
    """Check the chain (keyed), the head row, the anchor file outside the database and the
    append-only triggers; report the first problem found."""
    key = key or PUBLIC_KEY
    report = check_rows(_rows(engine), key)
    if not report.ok:
        return report
    n, prev, last = report.rows, report.head_hash, report.bad_id or 0
    with engine.connect() as conn:
        head = conn.execute(select(AccessLogHeadRow.last_id, AccessLogHeadRow.last_hash)
                            .where(AccessLogHeadRow.id == 1)).one()
        anchored_hash = None
        got = read_anchor(anchor) if anchor is not None else None
        if got is not None and 0 < got[0] <= last:
            anchored_hash = conn.scalar(select(AccessLogRow.hash)
                                        .where(AccessLogRow.id == got[0]))
        conn.rollback()
    if head.last_id != last or head.last_hash != prev:
        missing = min(last + 1, head.last_id)
        return ChainReport(False, n, prev, missing,
                           f"the chain ends at row {last} but the head records row "
                           f"{head.last_id}: rows at the end were deleted or the head edited")
    if got is not None:
        if got[0] > last:
            return ChainReport(False, n, prev, last + 1,
                               f"the anchor outside the database records row {got[0]} but the "
                               f"log ends at row {last}: rows at the end were deleted")
        if got[0] > 0 and anchored_hash != got[1]:
            return ChainReport(False, n, prev, got[0],
                               f"row {got[0]} differs from the anchor outside the database "
                               "(the log was rewritten)")
        if got[0] < 0:
            return ChainReport(False, n, prev, None, f"the anchor file {anchor} is damaged")
    problems = append_only_problems(engine)
    if problems:
        return ChainReport(False, n, prev, None, "; ".join(problems))
    return ChainReport(True, n, prev)


def verify_archive(path: Path, key: bytes | None = None) -> ChainReport:
    """Check an archived part of the log (written by a restore, :mod:`knoop.store.backup`):
    every row's keyed hash and its link to the row before, from the archive's first row on."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
        head = json.loads(lines[0])
        rows = [json.loads(line) for line in lines[1:] if line.strip()]
        first, prev = int(head["first_id"]), str(head["prev_hash"])
    except (OSError, ValueError, KeyError, IndexError, TypeError) as exc:
        return ChainReport(False, 0, "", None, f"{path}: not a readable log archive ({exc})")
    report = check_rows(iter(rows), key or PUBLIC_KEY, prev=prev, first_id=first)
    if report.ok and report.bad_id != int(head.get("last_id", -1)):
        return ChainReport(False, report.rows, report.head_hash, report.bad_id,
                           f"the archive should end at row {head.get('last_id')} (cut off)")
    return ChainReport(report.ok, report.rows, report.head_hash, None if report.ok
                       else report.bad_id, report.problem)


def entry(r: AccessLogRow) -> AccessEntry:
    return AccessEntry(r.id, r.at, r.practice_id, r.user_id, r.user_email, r.on_behalf_of,
                       r.client_id, r.action, r.object, r.detail)
