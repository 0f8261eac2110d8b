"""Run every benchmark under bench/, each in a fresh Python process (so a "first" figure is
the first of a process), and print their figures beside their goals: each bench's own output,
then every line that names a goal once more, together, as a summary."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

GOAL = re.compile(r"(goal|target):?\s*([a-z0-9 ]+\s)?[<>≤≥]")  # "(goal <= 2 ms)", "(goal: p95 <= ...", "target <="

summary: list[str] = []
for script in sorted(Path(__file__).parent.glob("bench_*.py")):
    print(f"== {script.name}", flush=True)
    done = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    assert done.stdout is not None
    for line in done.stdout:
        print(line, end="", flush=True)
        if GOAL.search(line):
            summary.append(f"{script.stem}: {line.strip()}")
    if done.wait():
        print(f"(exited with {done.returncode})")
    print(flush=True)
print("== figures beside their goals")
print("\n".join(summary))
