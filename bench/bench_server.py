"""A fresh `knoop serve` process on a demo SQLite database: the first aftercare PDF it serves
(goal <= 300 ms, start-up warm-up excluded since the server does it before listening) and the
server's memory (resident set) idle, after a PDF and after opening a client (goal <= 150 MB).
Prints figures; asserts nothing."""

from __future__ import annotations

import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from knoop.store.demo import THERAPIST


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def rss_mb(pid: int) -> float:
    """Resident memory of ``pid`` and its children (uvicorn runs in the process itself)."""
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024  # type: ignore[union-attr]


def env_for(data: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(KNOOP_DATA_DIR=str(data), KNOOP_LOG_LEVEL="warning", KNOOP_COOKIE_SECURE="off")
    return env


def wait_up(url: str) -> None:
    for _ in range(600):
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.05)
    raise RuntimeError("server did not start")


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="knoop-bench-server-") as d:
        data = Path(d)
        env = env_for(data)
        knoop = [sys.executable, "-m", "knoop"]
        for cmd in (["db", "upgrade"], ["demo", "load"]):
            subprocess.run(knoop + cmd, env=env, check=True, capture_output=True)
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        started = time.perf_counter()
        server = subprocess.Popen(knoop + ["serve", "--port", str(port)], env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_up(url)
            up = time.perf_counter() - started
            idle = rss_mb(server.pid)
            with httpx.Client(base_url=url, timeout=30) as c:
                page = c.get("/inloggen").text
                csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
                c.post("/inloggen", data={"email": THERAPIST[0], "password": THERAPIST[2],
                                          "csrf": csrf})
                clients = c.get("/clienten").text
                cid = re.search(r'href="/clienten/(\d+)"', clients).group(1)  # type: ignore[union-attr]
                sid = re.search(r'href="/sessies/(\d+)"',  # type: ignore[union-attr]
                                c.get(f"/clienten/{cid}").text).group(1)
                before_pdf = rss_mb(server.pid)
                times = []
                for _ in range(6):
                    t = time.perf_counter()
                    r = c.get(f"/sessies/{sid}/nazorg.pdf")
                    times.append((time.perf_counter() - t) * 1000)
                    assert r.status_code == 200 and r.content.startswith(b"%PDF"), r.status_code
                after_pdf = rss_mb(server.pid)
                for path in (f"/clienten/{cid}", f"/clienten/{cid}/verloop", f"/sessies/{sid}"):
                    c.get(path)
                after_client = rss_mb(server.pid)
        finally:
            server.terminate()
            server.wait(10)
    print(f"server start until /healthz answers: {up * 1000:.0f} ms")
    print(f"first aftercare PDF of a fresh server: {times[0]:.0f} ms, then median "
          f"{statistics.median(times[1:]):.0f} ms  (goal <= 300 ms, the first one included)")
    print(f"server memory (RSS): idle {idle:.0f} MB, logged in {before_pdf:.0f} MB, after 6 PDFs "
          f"{after_pdf:.0f} MB, after the client, history and session pages {after_client:.0f} MB"
          f"  (goal <= 150 MB)")


if __name__ == "__main__":
    main()
