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


def wrk(url: str, script: Path | None) -> tuple[float, str]:
    cmd = ["wrk", "-t2", "-c16", "-d8s", "--latency", url]
    if script:
        cmd[1:1] = ["-s", str(script)]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"99%\s+([\d.]+\w+)", out).group(1)
    return rps, p99


def main() -> None:
    if not shutil.which("wrk"):
        print("wrk not installed (apt-get install --no-install-recommends wrk); skipped")
        return
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    server = subprocess.Popen([sys.executable, "-m", "knoop", "serve", "--port", str(port)],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
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
        h_rps, h_p99 = wrk(f"{base}/healthz", None)
        r_rps, r_p99 = wrk(f"{base}/api/v1/rank", Path(f.name))
        print(f"GET /healthz:      {h_rps:8.0f} req/s, p99 {h_p99}")
        print(f"POST /api/v1/rank: {r_rps:8.0f} req/s, p99 {r_p99}  (random 1-8-region maps)")
        print(f"ratio rank/healthz: {r_rps / h_rps:.2f}  (goal >= 0.5)")
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    main()
