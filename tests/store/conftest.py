"""Store fixtures: every store test runs on SQLite (a real file) and on a real PostgreSQL server.

The PostgreSQL server is a throwaway cluster made once per test session (``initdb`` as user
``postgres``, a free port, ``fsync=off``); each test gets its own database cloned from a migrated
template, each SQLite test a copy of a migrated template file.
"""

from __future__ import annotations

import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from storekit import FAST_HASHER, World, make_world

from knoop.store import Store, make_engine, upgrade

PG_BIN = Path(os.environ.get("KNOOP_PG_BIN", "/usr/lib/postgresql/15/bin"))
BACKENDS = ["sqlite", "postgresql"]
_counter = itertools.count()


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


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    initdb = PG_BIN / "initdb"
    if not initdb.exists():
        pytest.fail(f"PostgreSQL server binaries not found in {PG_BIN} (initdb, pg_ctl); "
                    "install postgresql-15 or set KNOOP_PG_BIN. The store tests need a real "
                    "PostgreSQL server and are not skipped.", pytrace=False)
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
    server = PgServer(port, f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres")
    try:
        yield server
    finally:
        subprocess.run(_as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "fast",
                                     "stop"]), capture_output=True, check=False)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_template(pg_server: PgServer) -> str:
    url = pg_server.create_db("knoop_template")
    eng = make_engine(url)
    upgrade(eng)
    eng.dispose()
    return "knoop_template"


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sqlite-template") / "template.sqlite3"
    eng = make_engine(f"sqlite:///{path}")
    upgrade(eng)
    eng.dispose()
    return path


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def empty_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database URL with no tables at all."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.sqlite3'}"
        return
    pg: PgServer = request.getfixturevalue("pg_server")
    name = f"empty_{os.getpid()}_{next(_counter)}"
    yield pg.create_db(name)
    pg.drop_db(name)


@pytest.fixture
def db_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A migrated database of its own for this test."""
    if backend == "sqlite":
        path = tmp_path / "knoop.sqlite3"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    pg: PgServer = request.getfixturevalue("pg_server")
    template = request.getfixturevalue("pg_template")
    name = f"t_{os.getpid()}_{next(_counter)}"
    yield pg.create_db(name, template)
    pg.drop_db(name)


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    s = Store(make_engine(db_url), password_hasher=FAST_HASHER)
    yield s
    s.close()


@pytest.fixture
def world(store: Store) -> World:
    return make_world(store)
