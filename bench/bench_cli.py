"""Command start-up and batch ranking, each in a fresh process:

* ``knoop --help`` (goal <= 150 ms wall) and ``knoop rank FILE`` of one map (goal <= 300 ms);
* ``knoop rank --batch`` of 2,000 random maps minus a batch of 1, per map (goal <= 0.3 ms): the
  default (every candidate, reasons for the first 20), ``--top 20`` (what the session page
  lists), ``--reasons all`` (every candidate with its reasons), ``--reasons 0`` (every
  candidate's score, no reasons) and ``--top 20 --reasons 0`` (the best 20 by score); with the
  default worker processes (one per core, at most 4) and, for the default and ``--top 20``,
  with ``--workers 1`` (all in one process). The CPU time counts the workers too.

Median wall time of several runs and the CPU time (user + system) of the median run: on a
machine shared with other work the wall time includes waiting for a core, the CPU time does not.
Bytecode is compiled first (``PYTHONDONTWRITEBYTECODE`` would make every run compile every
module). Prints figures; asserts nothing."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_rank import random_painmaps

KNOOP = [sys.executable, "-m", "knoop"]
N = 2000  # maps in the large batch
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def run(args: list[str], n: int) -> tuple[float, float]:
    """(median wall, median CPU of the runs) in ms."""
    walls: list[float] = []
    cpus: list[float] = []
    for _ in range(n):
        t = time.perf_counter()
        p = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV)
        _pid, status, usage = os.wait4(p.pid, 0)
        walls.append((time.perf_counter() - t) * 1000)
        cpus.append((usage.ru_utime + usage.ru_stime) * 1000)
        assert os.waitstatus_to_exitcode(status) == 0, args
    return statistics.median(walls), statistics.median(cpus)


def main() -> None:
    subprocess.run(KNOOP + ["--help"], env=ENV, capture_output=True, check=True)  # compile
    with tempfile.TemporaryDirectory() as d:
        maps = random_painmaps(N, seed=11)
        one = Path(d) / "one.json"
        one.write_text(json.dumps(maps[0]))
        batch1 = Path(d) / "batch1.jsonl"
        batch1.write_text(json.dumps(maps[0]) + "\n")
        batch = Path(d) / f"batch{N}.jsonl"
        batch.write_text("".join(json.dumps(m) + "\n" for m in maps))
        run(KNOOP + ["rank", str(one)], 1)
        bare = run([sys.executable, "-c", "pass"], 7)
        print(f"bare python: {bare[0]:.0f} ms wall, {bare[1]:.0f} ms CPU")
        wall, cpu = run(KNOOP + ["--help"], 9)
        print(f"knoop --help: {wall:.0f} ms wall, {cpu:.0f} ms CPU  (goal <= 150 ms)")
        wall, cpu = run(KNOOP + ["rank", "--format", "json", str(one)], 9)
        print(f"knoop rank, one map: {wall:.0f} ms wall, {cpu:.0f} ms CPU  (goal <= 300 ms)")
        for label, extra in (("default (every candidate, reasons for 20)", []),
                             ("--top 20", ["--top", "20"]),
                             ("--reasons all", ["--reasons", "all"]),
                             ("--reasons 0 (every candidate's score, no reasons)",
                              ["--reasons", "0"]),
                             ("--top 20 --reasons 0", ["--top", "20", "--reasons", "0"]),
                             ("default, --workers 1", ["--workers", "1"]),
                             ("--top 20 --workers 1", ["--top", "20", "--workers", "1"])):
            probe = subprocess.run(KNOOP + ["rank", "--batch", str(batch1), *extra], env=ENV,
                                   capture_output=True, check=False)
            if probe.returncode != 0:  # an older knoop without the option
                print(f"knoop rank --batch, {label}: not supported by this knoop")
                continue
            w1, c1 = run(KNOOP + ["rank", "--batch", str(batch1), *extra], 5)
            wn, cn = run(KNOOP + ["rank", "--batch", str(batch), *extra], 3)
            print(f"knoop rank --batch, {label}: {(wn - w1) / (N - 1):.3f} ms wall, "
                  f"{(cn - c1) / (N - 1):.3f} ms CPU per map net of start-up  (goal <= 0.3 ms)")


if __name__ == "__main__":
    main()
