"""Scale-out: two app server processes on one PostgreSQL database share logins.

The app keeps no state of its own (login sessions, throttling and intake links live in the
database; CSRF tokens are signed with the shared key), so a login made on one server is honoured
by the other, and a logout on the other ends it everywhere."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from knoop.store import Store, upgrade
from knoop.store.engine import make_engine

CSRF_RE = re.compile(r'name="csrf" value="([^"]+)"')
EMAIL, PASSWORD = "eva@noord.test", "lang-genoeg-wachtwoord"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def two_servers(pg_server, tmp_path: Path) -> Iterator[tuple[str, str]]:  # type: ignore[no-untyped-def]
    url = pg_server.create_db("scaleout")
    engine = make_engine(url)
    upgrade(engine)
    store = Store(engine)
    practice = store.create_practice("Praktijk Noord", "Groningen")
    store.create_user(practice.id, EMAIL, "therapist", PASSWORD, name="Eva Noord")
    engine.dispose()
    env = {**os.environ, "DATABASE_URL": url, "KNOOP_SECRET_KEY": "shared-test-key-" + "x" * 32,
           "KNOOP_LOG_LEVEL": "warning"}
    procs, bases = [], []
    for i in (1, 2):
        port = free_port()
        data = tmp_path / f"server{i}"
        data.mkdir()
        procs.append(subprocess.Popen(
            [sys.executable, "-m", "knoop", "serve", "--port", str(port)],
            env={**env, "KNOOP_DATA_DIR": str(data)}, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL))
        bases.append(f"http://127.0.0.1:{port}")
    try:
        for proc, base in zip(procs, bases, strict=True):
            # a generous limit for a loaded machine; a server that exits fails at once
            deadline = time.time() + 120
            while True:
                if proc.poll() is not None:
                    raise RuntimeError(f"server {base} exited with {proc.returncode}")
                try:
                    if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.time() > deadline:
                    raise RuntimeError(f"server {base} did not start")
                time.sleep(0.1)
        yield bases[0], bases[1]
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            p.wait(10)
        pg_server.drop_db("scaleout")


def test_a_login_on_one_server_is_honoured_by_the_other(two_servers: tuple[str, str]) -> None:
    one, two = two_servers
    with httpx.Client(base_url=one) as a:
        page = a.get("/inloggen")
        r = a.post("/inloggen", data={"email": EMAIL, "password": PASSWORD,
                                      "csrf": CSRF_RE.search(page.text).group(1)})
        assert r.status_code == 303, r.text[:300]
        cookies = dict(a.cookies)
    with httpx.Client(base_url=two, cookies=cookies) as b:
        clients = b.get("/clienten")
        assert clients.status_code == 200 and "Eva Noord" in clients.text
        logout = b.post("/uitloggen", data={"csrf": CSRF_RE.search(clients.text).group(1)})
        assert logout.status_code in (302, 303)
    with httpx.Client(base_url=one, cookies=cookies) as a2:
        after = a2.get("/clienten")
        assert after.status_code in (302, 303) and "/inloggen" in after.headers["location"]
