"""The transaction runner shared by every part of the :class:`knoop.store.Store`."""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from argon2 import PasswordHasher
from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session as OrmSession

from knoop.store.engine import make_engine

T = TypeVar("T")
RETRIES = 8
#: A login session ends after this long without a request (besides its absolute lifetime).
IDLE_TIMEOUT = dt.timedelta(minutes=30)


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
                 password_hasher: PasswordHasher | None = None,
                 audit_key: bytes | None = None, audit_anchor: Path | None = None,
                 idle_timeout: dt.timedelta = IDLE_TIMEOUT) -> None:
        """``audit_key`` seals the access log (HMAC); the CLI and the web app pass the instance
        key from :mod:`knoop.settings`, kept outside the database. Without one a public test key
        is used, which protects nothing. ``audit_anchor`` is the file outside the database that
        records the log's head after every append (see :mod:`knoop.store.audit`)."""
        from knoop.store.audit import PUBLIC_KEY

        self.engine = make_engine(engine) if isinstance(engine, str) else engine
        self.clock = clock
        self.hasher = password_hasher or PasswordHasher()
        self.audit_key = audit_key or PUBLIC_KEY
        self.audit_anchor = audit_anchor
        self.idle_timeout = idle_timeout

    @property
    def backend(self) -> str:
        return self.engine.dialect.name

    def _run(self, op: Callable[[OrmSession], T]) -> T:
        """Run ``op`` in one transaction; retry if the database was momentarily busy, so
        "database is locked" never reaches the caller. Anything else rolls back and raises."""
        from knoop.store import audit

        for attempt in range(RETRIES):
            try:
                with OrmSession(self.engine, expire_on_commit=False,
                                info={audit.KEY_INFO: self.audit_key}) as s:
                    with s.begin():
                        result = op(s)
                    head = s.info.get(audit.HEAD_INFO)
                if head is not None and self.audit_anchor is not None:
                    audit.write_anchor(self.audit_anchor, *head)
                return result
            except (OperationalError, DBAPIError) as exc:
                if not _transient(exc) or attempt == RETRIES - 1:
                    raise
                time.sleep(min(2.0, 0.02 * 2 ** attempt) * (0.5 + random.random()))
        raise AssertionError("unreachable")

    def close(self) -> None:
        self.engine.dispose()
