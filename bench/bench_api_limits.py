"""The API's bounds, measured on a real `knoop serve` on loopback: how fast an oversized body is
refused and whether the server's memory grows, and the server time of the largest drawing the
API accepts (goal: under 1 s). Prints figures; asserts nothing."""

from __future__ import annotations

import http.client
import json
import random
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def largest_drawing(seed: int = 1) -> dict[str, object]:
    """500 strokes of 40 points each (20,000 points: the caps) over the front and back views,
    random widths and intensities, every 50th stroke an eraser."""
    rng = random.Random(seed)
    strokes = []
    for i in range(500):
        x0, y0 = rng.uniform(50, 550), rng.uniform(30, 950)
        strokes.append({"view": ("front", "back")[i % 2],
                        "points": [[round(x0 + j * 3 + rng.uniform(-2, 2), 1),
                                    round(y0 + j * 2, 1)] for j in range(40)],
                        "width": round(rng.uniform(5, 40), 1), "intensity": rng.randint(1, 10),
                        "erase": i % 50 == 49})
    return {"strokes": strokes}


def post(port: int, path: str, body: bytes) -> tuple[int, float]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    t = time.perf_counter()
    conn.request("POST", path, body=body, headers={"content-type": "application/json"})
    status = conn.getresponse().status
    conn.close()
    return status, time.perf_counter() - t


def post_streamed(port: int, path: str, size: int) -> tuple[int, float]:
    """Send ``size`` bytes in 64 KiB chunks and stop when the server answers."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=30)
    t = time.perf_counter()
    sock.sendall(f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                 f"Content-Length: {size}\r\n\r\n".encode())
    chunk = b" " * 65536
    sent = 0
    sock.setblocking(False)
    reply = b""
    while sent < size:
        try:
            reply += sock.recv(4096)
            if reply:
                break
        except BlockingIOError:
            pass
        try:
            sent += sock.send(chunk)
        except (BlockingIOError, BrokenPipeError, ConnectionResetError):
            time.sleep(0.001)
    sock.setblocking(True)
    while b"\r\n" not in reply:
        reply += sock.recv(4096)
    sock.close()
    return int(reply.split()[1]), time.perf_counter() - t


def main() -> None:
    port = free_port()
    data = tempfile.mkdtemp()
    server = subprocess.Popen([sys.executable, "-m", "knoop", "serve", "--port", str(port)],
                              env={"KNOOP_DATA_DIR": data, "PATH": "/usr/bin:/bin"},
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", port), 0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        post(port, "/api/v1/rank", b'{"regions": []}')
        before = rss_mb(server.pid)
        status, secs = post_streamed(port, "/api/v1/drawing", 50 * 1024 * 1024)
        after = rss_mb(server.pid)
        print(f"50 MB body to /api/v1/drawing: HTTP {status} in {secs * 1000:.0f} ms; "
              f"server RSS {before:.0f} -> {after:.0f} MB")
        body = json.dumps(largest_drawing()).encode()
        post(port, "/api/v1/drawing", body)  # warm: chart geometry loaded
        times = []
        for _ in range(3):
            status, secs = post(port, "/api/v1/drawing", body)
            times.append(secs)
        print(f"largest drawing allowed (500 strokes, 20,000 points, {len(body) // 1024} KiB): "
              f"HTTP {status}, best of 3 {min(times) * 1000:.0f} ms, worst "
              f"{max(times) * 1000:.0f} ms (goal < 1000 ms)")
        print(f"server RSS after: {rss_mb(server.pid):.0f} MB")
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    main()
