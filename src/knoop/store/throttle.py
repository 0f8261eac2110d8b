"""Login throttling: one counter per key, changed under a row lock, so it is exact however many
app processes and parallel requests there are.

Keys are ``user:<e-mail>`` (limit :data:`ACCOUNT_LIMIT`) and ``ip:<address>`` (limit
:data:`IP_LIMIT`). An attempt *reserves* a failure before the password or code is checked
(:func:`reserve`); a right answer gives it back (:func:`release`) or clears the account
(:func:`reset`). So forty parallel guesses count forty, and only the first ones within the limit
are checked at all. Reaching the limit locks the key for :data:`BASE_LOCK`; every failure after
a lock doubles it, up to :data:`MAX_LOCK`. Failures below the limit are forgotten after
:data:`WINDOW`, all of them :data:`FORGET_AFTER` after the last failure.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session as OrmSession

from knoop.store.models import LoginThrottleRow

ACCOUNT_LIMIT = 5
IP_LIMIT = 10
WINDOW = dt.timedelta(minutes=15)
BASE_LOCK = dt.timedelta(minutes=15)
MAX_LOCK = dt.timedelta(hours=24)
FORGET_AFTER = dt.timedelta(hours=24)


def account_key(email: str) -> str:
    return "user:" + email[:290]


def ip_key(ip: str) -> str:
    return "ip:" + ip[:64]


def _row(s: OrmSession, key: str) -> LoginThrottleRow:
    dialect = s.get_bind().dialect.name
    ins = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(LoginThrottleRow)
    s.execute(ins.values(key=key, failures=0).on_conflict_do_nothing(index_elements=["key"]))
    return s.execute(select(LoginThrottleRow).where(LoginThrottleRow.key == key)
                     .with_for_update().execution_options(populate_existing=True)).scalar_one()


def locked_until(s: OrmSession, keys: list[tuple[str, int]], now: dt.datetime
                 ) -> dt.datetime | None:
    """Lock the keys' rows (in a fixed order: no deadlock); the latest lock still running."""
    until = None
    for key, _limit in sorted(keys):
        r = _row(s, key)
        if r.locked_until is not None and r.locked_until > now:
            until = max(until or r.locked_until, r.locked_until)
    return until


def reserve(s: OrmSession, keys: list[tuple[str, int]], now: dt.datetime
            ) -> tuple[dt.datetime | None, list[str]]:
    """Count one failure on every key unless one is locked. Returns (locked until, or None;
    the keys this attempt locked)."""
    until = locked_until(s, keys, now)
    if until is not None:
        return until, []
    locked = []
    for key, limit in sorted(keys):
        r = _row(s, key)
        if r.last_at is None or now - r.last_at > FORGET_AFTER or \
                (r.failures < limit and now - r.last_at > WINDOW):
            r.failures = 0
        r.failures += 1
        r.last_at = now
        if r.failures >= limit:
            r.locked_until = now + min(BASE_LOCK * 2 ** min(r.failures - limit, 16), MAX_LOCK)
            locked.append(key)
    return None, locked


def release(s: OrmSession, keys: list[tuple[str, int]]) -> None:
    """Give back a reserved failure (the answer was right)."""
    for key, limit in sorted(keys):
        r = _row(s, key)
        r.failures = max(0, r.failures - 1)
        if r.failures < limit:
            r.locked_until = None


def reset(s: OrmSession, key: str) -> None:
    r = _row(s, key)
    r.failures = 0
    r.locked_until = None


def hit(s: OrmSession, key: str, limit: int, window: dt.timedelta, now: dt.datetime) -> bool:
    """A plain rate limit (not a failure count): at most ``limit`` hits per fixed ``window``
    on ``key``; False when this hit is over the limit. The window starts at its first hit
    (kept in ``last_at``); an over-limit hit does not extend it."""
    r = _row(s, key)
    if r.last_at is None or now - r.last_at >= window:
        r.failures, r.last_at, r.locked_until = 0, now, None
    r.failures += 1
    if r.failures > limit:
        r.locked_until = r.last_at + window
        return False
    return True
