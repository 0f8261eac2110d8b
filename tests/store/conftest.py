"""Store fixtures: every store test runs on SQLite (a real file) and on a real PostgreSQL server.

The PostgreSQL server is the session's throwaway cluster (``pg_server`` in ``tests/conftest.py``);
each test gets its own database cloned from a migrated template, each SQLite test a copy of a
migrated template file.
"""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from storekit import AUDIT_KEY, FAST_HASHER, World, make_world
from tests.postgres import PgServer

from knoop.store import Store, make_engine, upgrade

BACKENDS = ["sqlite", "postgresql"]
_counter = itertools.count()


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
def store(db_url: str, tmp_path: Path) -> Iterator[Store]:
    s = Store(make_engine(db_url), password_hasher=FAST_HASHER, audit_key=AUDIT_KEY,
              audit_anchor=tmp_path / "audit.anchor")
    yield s
    s.close()


@pytest.fixture
def world(store: Store) -> World:
    return make_world(store)
