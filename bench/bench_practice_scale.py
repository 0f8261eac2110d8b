"""A practice at scale (issue 14, goal 4), on SQLite: 100,000 clients with 10 sessions each
(1,000,000 sessions) plus one client with 1,000 sessions and one with 100, seeded with
``knoop demo seed``'s bulk inserts (drawn regions, stored rankings, findings, treatments, NRS,
notes). Measures, each figure beside its goal:

* seeding (sessions per second);
* CSV export of the whole practice (goal <= 60 s, linear: the time per page of the last
  quarter of pages against the first);
* CSV import of 1,000 clients into it (goal <= 10 s), the longest batch (a transaction: how
  long the write lock is held) and how long a colleague's save waits meanwhile;
* client page, history and session page of the 1,000-session client, in-process (p50/p95,
  goal p95 <= 100 ms; and the CPU time of a request, which other work on the machine
  disturbs less) and their SQL statements and access-log entries per request;
* the dossier (store read + JSON) of the 100- and 1,000-session clients (goal <= 3 s for 100);
* the RSS of a real ``knoop serve`` after opening the largest client's pages and dossier
  (goal <= 150 MB).

Default size 10,000 clients (about a minute); ``BENCH_PRACTICE_CLIENTS=100000`` (or
``--full``) for the full size: seeding then takes ~10 minutes and ~4.5 GB of disk in
``$TMPDIR``.
``BENCH_PRACTICE_DIR=<dir>`` keeps the database there and seeds it only once (the import then
adds its 1,000 clients again under new names each run).
Prints figures; asserts nothing.
"""

from __future__ import annotations

import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from sqlalchemy import event

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_api_limits import free_port, rss_mb

from knoop.fhir.csvexport import default_workers, export_csv
from knoop.fhir.csvio import import_clients
from knoop.store import Store, upgrade
from knoop.store.seed import seed
from knoop.web.app import create_app

FULL = "--full" in sys.argv or os.environ.get("BENCH_PRACTICE_FULL") == "1"
CLIENTS = int(os.environ.get("BENCH_PRACTICE_CLIENTS", "100000" if FULL else "10000"))
HEAVY = 1000
N = 100
PASSWORD = "bench password for the scale practice"
KEY = b"bench-audit-key-0123456789abcdef-0123456789"
SECRET = b"bench-secret-key-0123456789abcdef0123456789"


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, round(p * (len(xs) - 1)))]


def csrf_of(html: str) -> str:
    m = re.search(r'name="csrf" value="([^"]+)"', html)
    assert m
    return m.group(1)


def login(http: TestClient | httpx.Client, email: str) -> None:
    page = http.get("/inloggen")
    r = http.post("/inloggen", data={"email": email, "password": PASSWORD,
                                     "csrf": csrf_of(page.text)}, follow_redirects=False)
    assert r.status_code == 303, r.text[:300]


def measure_export(store: Store, actor: object, out: Path, workers: int) -> None:
    """The whole practice's CSV export with ``workers`` processes, as ``knoop export csv``
    runs it (the cycle collector frozen and off). CPU counts the worker processes too."""
    import gc

    gc.freeze()
    gc.disable()
    stamps: list[tuple[float, int]] = []
    t0, c0, k0 = time.perf_counter(), time.process_time(), os.times()
    counts = export_csv(store, actor, out,  # type: ignore[arg-type]
                        workers=workers,
                        progress=lambda done, _t: stamps.append((time.perf_counter(), done)))
    k1 = os.times()
    took = time.perf_counter() - t0
    cpu = time.process_time() - c0 + (k1.children_user - k0.children_user
                                      + k1.children_system - k0.children_system)
    gc.enable()
    per_page = [b[0] - a[0] for a, b in zip(stamps, stamps[1:], strict=False)]
    size = sum(f.stat().st_size for f in out.iterdir()) / 1e6
    print(f"  CSV export, {workers} process{'es' if workers > 1 else ''}: "
          f"{counts['clients']:,} clients, {counts['sessions']:,} sessions, "
          f"{counts['findings']:,} findings, {counts['treatments']:,} treatments "
          f"({size:.0f} MB) in {took:.1f} s ({cpu:.1f} s CPU, load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)   (goal: <= 60 s at 100,000 "
          "clients)")
    if len(per_page) >= 8:  # linear: a page late in the practice costs what an early one does
        q = len(per_page) // 4
        first, last = statistics.median(per_page[2:q]), statistics.median(per_page[-q:])
        print(f"    per page of 500 clients: first quarter {first * 1000:.0f} ms, last quarter "
              f"{last * 1000:.0f} ms (ratio {last / first:.2f}; linear: ~1)")


def measure_import(store: Store, actor: object, colleague: object) -> None:
    rng = random.Random(time.time_ns())
    lines = ["voornaam;tussenvoegsel;achternaam;geboortedatum;e-mail"]
    for i in range(1000):
        lines.append(f"Import{i};van;Nieuw{rng.randrange(10**6)};"
                     f"{rng.randint(1, 28):02d}-{rng.randint(1, 12):02d}-{rng.randint(1940, 2005)};"
                     f"import{i}@voorbeeld.nl")
    data = ("\n".join(lines) + "\n").encode()
    stamps = [time.perf_counter()]
    waits: list[float] = []
    stop = threading.Event()

    def colleague_saves() -> None:
        cid = 1
        while not stop.is_set():
            t = time.perf_counter()
            store.update_client(colleague, cid, phone=f"06-{rng.randrange(10**8):08d}")  # type: ignore[arg-type]
            waits.append(time.perf_counter() - t)
            time.sleep(0.02)

    th = threading.Thread(target=colleague_saves, daemon=True)
    th.start()
    t0, c0 = time.perf_counter(), time.process_time()
    rep = import_clients(data, store, actor,  # type: ignore[arg-type]
                         progress=lambda _d, _t: stamps.append(time.perf_counter()))
    took, cpu = time.perf_counter() - t0, time.process_time() - c0
    stop.set()
    th.join()
    batches = [b - a for a, b in zip(stamps[1:], stamps[2:], strict=False)]
    print(f"  CSV import: {rep.created} clients in {took:.2f} s ({cpu:.2f} s CPU; check "
          f"{(stamps[1] - t0):.2f} s + {len(stamps) - 1} batches)   (goal: <= 10 s)")
    print(f"    longest batch (write lock held) {max(batches, default=0) * 1000:.0f} ms; a "
          f"colleague's {len(waits)} saves meanwhile: median {statistics.median(waits) * 1000:.0f}"
          f" ms, max {max(waits) * 1000:.0f} ms")


def measure_pages(store: Store, heavy: int, session: int) -> None:
    tc = TestClient(create_app(store, secret_key=SECRET, cookie_secure="off"))
    login(tc, "therapeut@bench.test")
    seen: list[str] = []
    event.listen(store.engine, "before_cursor_execute",
                 lambda *a: seen.append(a[2]))
    print(f"  pages of the client with {HEAVY} sessions, in-process, {N} requests each:")
    for name, path in (("client page", f"/clienten/{heavy}"),
                       ("history", f"/clienten/{heavy}/verloop"),
                       ("session page", f"/sessies/{session}")):
        for _ in range(5):
            assert tc.get(path).status_code == 200
        seen.clear()
        tc.get(path)
        statements = len(seen)
        logged = sum(1 for s in seen if s.lstrip().upper().startswith("INSERT INTO ACCESS_LOG"))
        xs, cpu = [], []
        for _ in range(N):
            t, c = time.perf_counter(), time.process_time()
            r = tc.get(path)
            xs.append((time.perf_counter() - t) * 1000)
            cpu.append((time.process_time() - c) * 1000)
            assert r.status_code == 200
        print(f"    {name:13s} p50 {statistics.median(xs):6.1f} ms  p95 {pct(xs, .95):6.1f} ms  "
              f"CPU p50 {statistics.median(cpu):5.1f} ms ({statements} SQL statements, "
              f"{logged} access-log entry, {len(r.content) / 1024:.0f} kB)   "
              "(goal: p95 <= 100 ms)")


def measure_dossier(store: Store, admin: object, heavy: int, hundred: int) -> None:
    from knoop.handouts.dossier import dossier_json

    for cid, n, goal in ((hundred, 100, "   (goal: <= 3 s)"), (heavy, HEAVY, "")):
        t = time.perf_counter()
        data = dossier_json(store, admin, cid)  # type: ignore[arg-type]
        body = json.dumps(data, ensure_ascii=False, indent=2)
        print(f"  dossier JSON, {n} sessions: {time.perf_counter() - t:.2f} s "
              f"({len(body) / 1e6:.1f} MB){goal}")


def measure_server_memory(tmp: Path, url: str, heavy: int, session: int) -> None:
    port = free_port()
    env = {**os.environ, "DATABASE_URL": url, "KNOOP_DATA_DIR": str(tmp / "data"),
           "KNOOP_AUDIT_KEY": KEY.decode(), "KNOOP_SECRET_KEY": SECRET.decode(),
           "KNOOP_LOG_LEVEL": "warning"}
    server = subprocess.Popen([sys.executable, "-m", "knoop", "serve", "--port", str(port)],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(200):
            try:
                if httpx.get(f"{base}/healthz").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.05)
        idle = rss_mb(server.pid)
        with httpx.Client(base_url=base, timeout=120) as http:
            login(http, "admin@bench.test")
            after_login = rss_mb(server.pid)
            for path in (f"/clienten/{heavy}", f"/clienten/{heavy}/verloop",
                         f"/sessies/{session}"):
                r = http.get(path)
                assert r.status_code == 200, (path, r.status_code, r.text[:300])
            pages = rss_mb(server.pid)
            assert http.get(f"/clienten/{heavy}/dossier.json").status_code == 200
            dossier = rss_mb(server.pid)
        print(f"  knoop serve RSS: idle {idle:.0f} MB, logged in {after_login:.0f} MB, after "
              f"the largest client's pages {pages:.0f} MB, after its dossier JSON "
              f"{dossier:.0f} MB   (goal: <= 150 MB)")
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    kept = os.environ.get("BENCH_PRACTICE_DIR")
    tmp = Path(kept) if kept else Path(tempfile.mkdtemp(prefix="knoop-bench-practice-"))
    tmp.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{tmp / 'practice.sqlite3'}"
    fresh = not (tmp / "practice.sqlite3").exists()
    store = Store(url, password_hasher=PasswordHasher(time_cost=1, memory_cost=1024,
                                                      parallelism=1), audit_key=KEY)
    upgrade(store.engine)
    print(f"practice of {CLIENTS:,} clients x 10 sessions + one of {HEAVY} + one of 100, "
          f"SQLite ({tmp}):")
    if fresh:
        t = time.perf_counter()
        res = seed(store, CLIENTS, heavy_sessions=HEAVY)
        seed(store, 0, heavy_sessions=100)
        took = time.perf_counter() - t
        size = sum(p.stat().st_size for p in tmp.iterdir()) / 1e9
        print(f"  seeded {res.sessions + 100:,} sessions in {took:.0f} s "
              f"({(res.sessions + 100) / took:,.0f} sessions/s, {size:.1f} GB)")
        store.create_user(res.practice_id, "admin@bench.test", "admin", PASSWORD)
        store.create_user(res.practice_id, "therapeut@bench.test", "therapist", PASSWORD)
    admin = store.user_by_email("admin@bench.test").actor
    ther = store.user_by_email("therapeut@bench.test").actor
    heavy = max(c.id for c in store.search_clients(ther, "henk van der zwaar", limit=5)
                if len(store.client_history(ther, c.id, limit=HEAVY + 1)) == HEAVY)
    hundred = max(c.id for c in store.search_clients(ther, "henk van der zwaar", limit=5))
    session = store.client_history(ther, heavy, limit=1)[0].id
    measure_export(store, ther, tmp / "export", 1)
    if default_workers() > 1:
        measure_export(store, ther, tmp / "export", default_workers())
    measure_import(store, ther, admin)
    measure_pages(store, heavy, session)
    measure_dossier(store, admin, heavy, hundred)
    store.close()
    measure_server_memory(tmp, url, heavy, session)


if __name__ == "__main__":
    main()
