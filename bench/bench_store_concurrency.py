"""Records store under concurrent writers and under kill -9, on SQLite and PostgreSQL.

* 8 processes x 1,000 sessions each (every session also appends to the hash-chained access
  log): lost, duplicated, and "database is locked" errors reaching the caller; throughput.
* crash: a writer bursting sessions is killed with SIGKILL at a random moment, 5 times; every
  session it reported as committed must be there, SQLite's integrity check must pass and the
  access-log chain must verify.

Starts its own throwaway PostgreSQL cluster (binaries in /usr/lib/postgresql/15/bin).
Prints figures; asserts nothing. ``BENCH_PROCS`` / ``BENCH_PER_PROC`` override the sizes.
"""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

PG_BIN = Path(os.environ.get("KNOOP_PG_BIN", "/usr/lib/postgresql/15/bin"))
PROCS = int(os.environ.get("BENCH_PROCS", "8"))
PER_PROC = int(os.environ.get("BENCH_PER_PROC", "1000"))
CRASHES = 5


def _as_postgres(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


@contextlib.contextmanager
def pg_cluster(fsync: bool = True) -> Iterator[str]:
    """A throwaway PostgreSQL cluster; yields a SQLAlchemy URL of its ``postgres`` database."""
    root = Path(tempfile.mkdtemp(prefix="knoop-bench-pg-"))
    root.chmod(0o755)
    data = root / "data"
    data.mkdir()
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
        shutil.chown(data, "postgres")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    subprocess.run(_as_postgres([str(PG_BIN / "initdb"), "-D", str(data), "-U", "postgres",
                                 "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8"]),
                   check=True, capture_output=True)
    opts = (f"-k {root} -p {port} -c listen_addresses=127.0.0.1 -c max_connections=200 "
            f"-c shared_buffers=512MB -c fsync={'on' if fsync else 'off'}")
    subprocess.run(_as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(data), "-w", "-l",
                                 str(root / "log"), "-o", opts, "start"]),
                   check=True, capture_output=True)
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(_as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "fast",
                                     "stop"]), capture_output=True, check=False)
        shutil.rmtree(root, ignore_errors=True)


def worker(url: str, practice: int, user: int, client: int, n: int, tag: str) -> None:
    from knoop.store import Actor, Store

    store = Store(url)
    me = Actor(user, practice, "therapist", f"{tag}@bench.test")
    for i in range(n):
        try:
            s = store.create_session(me, client, request_id=f"{tag}-{i}", rank=False,
                                     complaint=f"burst {tag} {i}", nrs_before=i % 11)
            print(s.id, flush=True)
        except Exception as exc:  # noqa: BLE001 - counted by the parent
            print("ERR " + str(exc).replace("\n", " ")[:200], flush=True)


def setup(url: str) -> tuple[int, int, int]:
    from argon2 import PasswordHasher

    from knoop.store import Store, upgrade

    store = Store(url, password_hasher=PasswordHasher(time_cost=1, memory_cost=1024,
                                                      parallelism=1))
    upgrade(store.engine)
    p = store.create_practice("Bench", "Utrecht")
    u = store.create_user(p.id, f"bench{time.time_ns()}@bench.test", "therapist",
                          "bench password 123")
    c = store.create_client(u.actor, first_name="Bench", last_name="Client")
    store.close()
    return p.id, u.id, c.id


def spawn(*args: object) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, __file__, "worker", *map(str, args)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def concurrency(name: str, url: str) -> None:
    from sqlalchemy import func, select

    from knoop.store import Store
    from knoop.store.models import SessionRow

    p, u, c = setup(url)
    t0 = time.perf_counter()
    procs = [spawn(url, p, u, c, PER_PROC, f"w{i}") for i in range(PROCS)]
    outs = [pr.communicate()[0].split("\n") for pr in procs]
    took = time.perf_counter() - t0
    ok = [int(x) for out in outs for x in out if x.strip().isdigit()]
    errs = [x for out in outs for x in out if x.startswith("ERR")]
    locked = sum("locked" in e for e in errs)
    store = Store(url)
    with store.engine.connect() as conn:
        stored = conn.scalar(select(func.count()).select_from(SessionRow)
                             .where(SessionRow.client_id == c))
        distinct = conn.scalar(select(func.count(func.distinct(SessionRow.request_id)))
                               .where(SessionRow.client_id == c))
    chain = store.verify_access_log()
    want = PROCS * PER_PROC
    print(f"{name:<10} concurrency: {PROCS} procs x {PER_PROC}: written {len(ok)}/{want}, "
          f"stored {stored}, lost {want - stored}, duplicated {stored - distinct}, errors "
          f"{len(errs)} (database is locked: {locked}), {want / took:,.0f} sessions/s "
          f"({took:.1f} s), access log {'ok' if chain.ok else 'BROKEN'} ({chain.rows} rows)")
    for e in errs[:3]:
        print("   ", e)
    store.close()


def crash(name: str, url: str) -> None:
    from sqlalchemy import select

    from knoop.store import Store
    from knoop.store.models import SessionRow

    p, u, c = setup(url)
    rnd = random.Random(11)
    missing = committed_total = 0
    integrity = "n/a"
    for k in range(CRASHES):
        pr = spawn(url, p, u, c, 1_000_000, f"crash{k}")
        committed: list[int] = []
        stop_after = rnd.randint(50, 400)
        assert pr.stdout is not None
        while len(committed) < stop_after:
            line = pr.stdout.readline()
            if not line:
                break
            if line.strip().isdigit():
                committed.append(int(line))
        time.sleep(rnd.random() * 0.05)  # land somewhere inside a transaction
        os.kill(pr.pid, signal.SIGKILL)
        pr.wait()
        store = Store(url)
        with store.engine.connect() as conn:
            stored = set(conn.scalars(select(SessionRow.id).where(SessionRow.client_id == c)))
        store.close()
        missing += len(set(committed) - stored)
        committed_total += len(committed)
    if url.startswith("sqlite"):
        con = sqlite3.connect(url.removeprefix("sqlite:///"))
        integrity = con.execute("PRAGMA integrity_check").fetchone()[0]
        con.close()
    store = Store(url)
    chain = store.verify_access_log()
    store.close()
    print(f"{name:<10} crash: {CRASHES} x kill -9 mid-burst, {committed_total} sessions "
          f"reported committed, missing afterwards {missing}, integrity_check {integrity}, "
          f"access log {'verifies' if chain.ok else 'BROKEN: ' + chain.problem}")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.sqlite3"
        concurrency("sqlite", url)
        crash("sqlite", f"sqlite:///{tmp}/crash.sqlite3")
    with pg_cluster() as url:
        concurrency("postgresql", url)
        crash("postgresql", url)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "worker":
        a = sys.argv[2:]
        worker(a[0], int(a[1]), int(a[2]), int(a[3]), int(a[4]), a[5])
    else:
        main()
