"""A throwaway PostgreSQL server for the tests (shared/stack-notes.md): ``initdb`` as user
``postgres`` (it refuses root), a free port, ``fsync=off``; stopped and removed at the end.
The ``pg_server`` fixture in ``tests/conftest.py`` makes one per test session."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, text

PG_BIN = Path(os.environ.get("KNOOP_PG_BIN", "/usr/lib/postgresql/15/bin"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_postgres(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


@dataclass
class PgServer:
    port: int
    admin_url: str

    def url(self, db: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{db}"

    def create_db(self, name: str, template: str | None = None) -> str:
        eng = create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        with eng.connect() as c:
            c.execute(text(f'CREATE DATABASE "{name}"'
                           + (f' TEMPLATE "{template}"' if template else "")))
        eng.dispose()
        return self.url(name)

    def drop_db(self, name: str) -> None:
        eng = create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        with eng.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        eng.dispose()


class PostgresMissing(RuntimeError):
    pass


@contextmanager
def postgres_server() -> Iterator[PgServer]:
    """Start a throwaway cluster; raises :class:`PostgresMissing` without the binaries."""
    initdb = PG_BIN / "initdb"
    if not initdb.exists():
        raise PostgresMissing(
            f"PostgreSQL server binaries not found in {PG_BIN} (initdb, pg_ctl); install "
            "postgresql-15 or set KNOOP_PG_BIN. The tests need a real PostgreSQL server and "
            "are not skipped.")
    root = Path(tempfile.mkdtemp(prefix="knoop-pg-"))
    root.chmod(0o755)
    data = root / "data"
    data.mkdir()
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
        shutil.chown(data, "postgres")
    port = _free_port()
    subprocess.run(_as_postgres([str(initdb), "-D", str(data), "-U", "postgres", "-A", "trust",
                                 "-E", "UTF8", "--locale=C.UTF-8"]),
                   check=True, capture_output=True)
    opts = (f"-k {root} -p {port} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
    subprocess.run(_as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(data), "-w", "-l",
                                 str(root / "log"), "-o", opts, "start"]),
                   check=True, capture_output=True)
    try:
        yield PgServer(port, f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres")
    finally:
        subprocess.run(_as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "fast",
                                     "stop"]), capture_output=True, check=False)
        shutil.rmtree(root, ignore_errors=True)
