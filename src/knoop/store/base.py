"""The transaction runner shared by every part of the :class:`knoop.store.Store`."""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable
from typing import TypeVar

from argon2 import PasswordHasher
from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session as OrmSession

from knoop.store.engine import make_engine

T = TypeVar("T")
RETRIES = 8


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _transient(exc: DBAPIError) -> bool:
    msg = str(exc.orig).lower() if exc.orig is not None else str(exc).lower()
    if "database is locked" in msg or "database is busy" in msg:
        return True
    code = getattr(exc.orig, "sqlstate", None)
    return code in ("40001", "40P01")  # serialization failure, deadlock


class StoreBase:
    """Holds the engine; runs each operation as one transaction (all or nothing)."""

    def __init__(self, engine: Engine | str, *, clock: Callable[[], dt.datetime] = utcnow,
                 password_hasher: PasswordHasher | None = None) -> None:
        self.engine = make_engine(engine) if isinstance(engine, str) else engine
        self.clock = clock
        self.hasher = password_hasher or PasswordHasher()

    @property
    def backend(self) -> str:
        return self.engine.dialect.name

    def _run(self, op: Callable[[OrmSession], T]) -> T:
        """Run ``op`` in one transaction; retry if the database was momentarily busy, so
        "database is locked" never reaches the caller. Anything else rolls back and raises."""
        for attempt in range(RETRIES):
            try:
                with OrmSession(self.engine, expire_on_commit=False) as s, s.begin():
                    return op(s)
            except (OperationalError, DBAPIError) as exc:
                if not _transient(exc) or attempt == RETRIES - 1:
                    raise
                time.sleep(min(2.0, 0.02 * 2 ** attempt) * (0.5 + random.random()))
        raise AssertionError("unreachable")

    def close(self) -> None:
        self.engine.dispose()
