"""POST /api/v1/rank under wrk load on loopback, as a ratio to GET /healthz of the same server
in the same run (goal >= 0.5). The rank requests cycle through 200 random pain maps of 1-8
regions (a Lua script feeds them to wrk). Needs Debian's wrk. Prints figures; asserts nothing."""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BODY = {"regions": [{"region": "temple", "side": "left", "intensity": 7},
                    {"region": "neck_back_upper", "side": "left", "intensity": 5},
                    {"region": "mastoid", "side": "left", "intensity": 4}],
        "symptoms": ["dizziness"]}


def random_bodies(n: int = 200, seed: int = 3) -> list[str]:
    from knoop.kb.contract import contract

    regions = list(contract().regions.values())
    rnd = random.Random(seed)
    out = []
    for _ in range(n):
        picked = rnd.sample(regions, rnd.randint(1, 8))
        out.append(json.dumps({"regions": [
            {"region": x.id, **({"side": rnd.choice(["left", "right"])} if x.paired else {}),
             "intensity": rnd.randint(1, 10)} for x in picked]}))
    return out


def lua_script(bodies: list[str]) -> str:
    items = ",\n".join(f"[[{b}]]" for b in bodies)
    return ('wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\n'
            f"bodies = {{\n{items}\n}}\ni = 0\n"
            "request = function()\n  i = i % #bodies + 1\n"
            "  return wrk.format(nil, nil, nil, bodies[i])\nend\n")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pid: int) -> float:
    """User + system CPU time the process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wrk(url: str, script: Path | None, pid: int) -> tuple[float, str, float]:
    """(requests/s, p99, server CPU ms per request): on a machine shared with other work the
    CPU time per request says what the server spends, whatever else runs."""
    cmd = ["wrk", "-t2", "-c16", "-d8s", "--latency", url]
    if script:
        cmd[1:1] = ["-s", str(script)]
    before = cpu_seconds(pid)
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    used = cpu_seconds(pid) - before
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"99%\s+([\d.]+\w+)", out).group(1)
    n = int(re.search(r"(\d+) requests in", out).group(1))
    return rps, p99, used * 1000 / max(n, 1)


def main() -> None:
    if not shutil.which("wrk"):
        print("wrk not installed (apt-get install --no-install-recommends wrk); skipped")
        return
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    server = subprocess.Popen([sys.executable, "-m", "knoop", "serve", "--port", str(port)],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120  # the server warms up before it listens
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), 0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
            f.write(lua_script(random_bodies()))
        base = f"http://127.0.0.1:{port}"
        subprocess.run(["curl", "-s", "-o", "/dev/null", "-X", "POST", "-H",
                        "content-type: application/json", "-d", json.dumps(BODY),
                        f"{base}/api/v1/rank"], check=False)
        h_rps, h_p99, h_cpu = wrk(f"{base}/healthz", None, server.pid)
        r_rps, r_p99, r_cpu = wrk(f"{base}/api/v1/rank", Path(f.name), server.pid)
        print(f"GET /healthz:      {h_rps:8.0f} req/s, p99 {h_p99}, server CPU {h_cpu:.2f} ms/req")
        print(f"POST /api/v1/rank: {r_rps:8.0f} req/s, p99 {r_p99}, server CPU {r_cpu:.2f} ms/req"
              "  (random 1-8-region maps; the default request: every candidate, reasons for "
              "the first 20)")
        print(f"ratio rank/healthz: {r_rps / h_rps:.2f} req/s, {h_cpu / r_cpu:.2f} by server CPU "
              "(goal >= 0.5)")
        for query, label in (("top=20", "the best 20 only, as the session page lists"),
                             ("reasons=all", "every candidate with its reasons")):
            t_rps, _t_p99, t_cpu = wrk(f"{base}/api/v1/rank?{query}", Path(f.name), server.pid)
            print(f"POST /api/v1/rank?{query} ({label}): {t_rps:.0f} req/s, server CPU "
                  f"{t_cpu:.2f} ms/req; ratio {t_rps / h_rps:.2f} req/s, "
                  f"{h_cpu / t_cpu:.2f} by server CPU")
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    main()
