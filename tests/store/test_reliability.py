"""Small versions of the reliability benchmarks: concurrent writers lose and duplicate nothing,
a writer killed with SIGKILL mid-burst loses nothing committed, and two processes share logins."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select
from storekit import AUDIT_KEY, PASSWORD, World

from knoop.store import Store, make_engine
from knoop.store.models import SessionRow

WORKERS = Path(__file__).with_name("workers.py")
ENV = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src")}


def _spawn(*args: object) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(WORKERS), *map(str, args)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV)


def test_four_concurrent_writers_lose_and_duplicate_nothing(world: World, db_url: str) -> None:
    procs = [_spawn("write", db_url, world.practice_a, world.owner.user_id, world.client.id, 40,
                    f"p{i}") for i in range(4)]
    outs = [p.communicate(timeout=120)[0].split() for p in procs]
    errors = [line for out in outs for line in out if line.startswith("ERR")]
    ids = [int(x) for out in outs for x in out if x.isdigit()]
    assert errors == []
    assert len(ids) == len(set(ids)) == 160
    with world.store.engine.connect() as c:
        assert c.scalar(select(func.count()).select_from(SessionRow)) == 160
        assert c.scalar(select(func.count(func.distinct(SessionRow.request_id)))) == 160
    assert world.store.verify_access_log().ok


def test_a_writer_killed_mid_burst_loses_nothing_it_committed(world: World, db_url: str) -> None:
    p = _spawn("write", db_url, world.practice_a, world.owner.user_id, world.client.id, 100000,
               "crash")
    committed: list[int] = []
    assert p.stdout is not None
    while len(committed) < 40:
        line = p.stdout.readline()
        assert line, p.stderr.read() if p.stderr else ""
        if line.strip().isdigit():
            committed.append(int(line))
    os.kill(p.pid, signal.SIGKILL)
    p.wait()
    fresh = Store(make_engine(db_url), audit_key=AUDIT_KEY)
    with fresh.engine.connect() as c:
        stored = set(c.scalars(select(SessionRow.id)))
    assert set(committed) <= stored
    if db_url.startswith("sqlite"):
        con = sqlite3.connect(db_url.removeprefix("sqlite:///"))
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        con.close()
    assert fresh.verify_access_log().ok
    fresh.close()


def test_a_login_and_an_intake_link_made_in_one_process_work_in_another(
        world: World, db_url: str) -> None:
    a = _spawn("login", db_url, "owner@knoop.test", PASSWORD, world.client.id)
    out, err = a.communicate(timeout=60)
    assert a.returncode == 0, err
    made = json.loads(out)
    b = _spawn("check", db_url, made["token"], made["intake"])
    out, err = b.communicate(timeout=60)
    assert b.returncode == 0, err
    got = json.loads(out)
    assert got["email"] == "owner@knoop.test"
    assert world.store.get_session(world.owner, got["session"]).status == "draft"
