"""Run every benchmark under bench/, each in a fresh Python process (so a "first" figure is
the first of a process), and print their figures beside their goals."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

for script in sorted(Path(__file__).parent.glob("bench_*.py")):
    print(f"== {script.name}", flush=True)
    done = subprocess.run([sys.executable, str(script)], check=False)
    if done.returncode:
        print(f"(exited with {done.returncode})")
    print(flush=True)
