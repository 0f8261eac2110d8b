"""Records store at scale: 100,000 clients and 1,000,000 sessions on SQLite and PostgreSQL.

Seeds with bulk inserts (``knoop.store.seed.seed``), then measures through the public store API
(each call is one transaction that also appends to the access log):
* client search by name prefix (``search_clients``), 500 queries;
* a client's history (``client_history``), 500 random clients.
Prints median / p95 / p99 in ms (goal: p95 <= 20 ms). Asserts nothing. Takes minutes.
``BENCH_CLIENTS`` (default 100000) and ``BENCH_SESSIONS_PER_CLIENT`` (default 10) shrink it.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_store_concurrency import pg_cluster

CLIENTS = int(os.environ.get("BENCH_CLIENTS", "100000"))
PER_CLIENT = int(os.environ.get("BENCH_SESSIONS_PER_CLIENT", "10"))
QUERIES = 500


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def run(name: str, url: str) -> None:
    from argon2 import PasswordHasher

    from knoop.store import Store, upgrade
    from knoop.store.seed import FIRST, LAST, seed

    store = Store(url, password_hasher=PasswordHasher(time_cost=1, memory_cost=1024,
                                                      parallelism=1))
    upgrade(store.engine)
    t0 = time.perf_counter()
    last_print = [0.0]

    def progress(done: int, total: int) -> None:
        if time.perf_counter() - last_print[0] > 15:
            last_print[0] = time.perf_counter()
            print(f"   {name}: seeded {done:,}/{total:,} clients", flush=True)
    res = seed(store, CLIENTS, sessions_per_client=PER_CLIENT, batch=5000, progress=progress)
    took = time.perf_counter() - t0
    me = store.create_user(res.practice_id, f"bench-{time.time_ns()}@bench.test", "therapist",
                           "bench password 123").actor
    rnd = random.Random(5)
    from knoop.store import validate
    words = [validate.normalise(w) for w in FIRST] + \
        [validate.normalise(last) for _, last in LAST]
    queries = [w[:rnd.randint(2, max(2, min(6, len(w))))] for w in
               (rnd.choice(words) for _ in range(QUERIES))]
    for q in queries[:20]:  # warm caches
        store.search_clients(me, q)
    search, hits = [], 0
    for q in queries:
        t = time.perf_counter()
        hits += len(store.search_clients(me, q))
        search.append((time.perf_counter() - t) * 1000)
    ids = [rnd.randint(1, CLIENTS) for _ in range(QUERIES)]
    history, rows = [], 0
    for cid in ids:
        t = time.perf_counter()
        rows += len(store.client_history(me, cid))
        history.append((time.perf_counter() - t) * 1000)
    print(f"{name:<10} seeded {CLIENTS:,} clients / {CLIENTS * PER_CLIENT:,} sessions in "
          f"{took:.0f} s")
    for label, xs, extra in (("search by name", search, f"{hits / QUERIES:.1f} hits"),
                             ("client history", history, f"{rows / QUERIES:.1f} sessions")):
        print(f"{name:<10} {label:<15} median {statistics.median(xs):6.2f} ms  p95 "
              f"{pct(xs, 95):6.2f} ms  p99 {pct(xs, 99):6.2f} ms  ({extra}/query)")
    store.close()


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        run("sqlite", f"sqlite:///{tmp}/scale.sqlite3")
    with pg_cluster() as url:
        run("postgresql", url)


if __name__ == "__main__":
    main()
