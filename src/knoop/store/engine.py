"""Engines for SQLite (the solo practice default) and PostgreSQL (a clinic, several app servers).

SQLite is opened in WAL mode with foreign keys on, a 30 s busy timeout, ``synchronous=FULL`` and
``secure_delete`` (erased text is overwritten, not left in free pages); the database file and its
WAL and shared-memory files are made 0600, a new folder 0700;
every transaction starts with ``BEGIN IMMEDIATE`` so writers queue up at the start instead of
failing half-way with "database is locked". PostgreSQL runs at READ COMMITTED; the access log is
serialised with a row lock on its chain head (see :mod:`knoop.store.audit`).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from knoop.errors import SettingsError

BUSY_TIMEOUT_MS = 30_000


def _sqlite_path(url: str) -> Path | None:
    u = make_url(url)
    if not u.database or u.database == ":memory:":
        return None
    return Path(u.database)


def make_engine(url: str, *, pool_size: int = 5) -> Engine:
    """An engine for ``url`` (``sqlite:///path`` or ``postgresql+psycopg://...``)."""
    try:
        u = make_url(url)
    except Exception as exc:  # noqa: BLE001 - sqlalchemy raises ArgumentError and friends
        raise SettingsError(f"not a database URL: {url!r} ({exc})", field="DATABASE_URL") from None
    if u.get_backend_name() == "sqlite":
        path = _sqlite_path(url)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        engine = create_engine(url, poolclass=NullPool if path is None else None,
                               connect_args={"timeout": BUSY_TIMEOUT_MS / 1000,
                                             "check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn: sqlite3.Connection, _rec: object) -> None:
            dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
            cur = dbapi_conn.cursor()
            cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=FULL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA secure_delete=ON")
            cur.close()
            if path is not None:
                for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
                    with contextlib.suppress(OSError):  # not ours, or not there: leave it
                        if p.exists() and p.stat().st_mode & 0o077:
                            os.chmod(p, 0o600)

        @event.listens_for(engine, "begin")
        def _on_begin(conn: Connection) -> None:
            conn.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    if u.get_backend_name() == "postgresql":
        if u.drivername != "postgresql+psycopg":
            u = u.set(drivername="postgresql+psycopg")
        return create_engine(u, pool_size=pool_size, max_overflow=10, pool_pre_ping=True)
    raise SettingsError(f"unsupported database {u.get_backend_name()!r}; allowed: sqlite, "
                        "postgresql", field="DATABASE_URL", allowed=["sqlite", "postgresql"])


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def libpq_url(engine: Engine) -> str:
    """The engine's URL as ``pg_dump``/``psql`` understand it (``postgresql://...``)."""
    u = engine.url.set(drivername="postgresql")
    return u.render_as_string(hide_password=False)


def make_reader(url: str) -> Engine:
    """An engine that only reads, for another process's share of a long read (the parallel
    CSV export). SQLite: ``query_only``, and a plain (deferred) ``BEGIN``, so readers in WAL
    mode neither take the write lock nor wait for it; PostgreSQL: read-only transactions."""
    u = make_url(url)
    if u.get_backend_name() == "sqlite":
        path = _sqlite_path(url)
        if path is None:
            raise SettingsError("an in-memory database cannot be read from another process",
                                field="DATABASE_URL")
        engine = create_engine(url, poolclass=NullPool,
                               connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn: sqlite3.Connection, _rec: object) -> None:
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            cur.execute("PRAGMA query_only=ON")
            cur.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn: Connection) -> None:
            conn.exec_driver_sql("BEGIN")

        return engine
    engine = make_engine(url, pool_size=1)
    return engine.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
