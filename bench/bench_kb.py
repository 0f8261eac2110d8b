"""Knowledge-base load time: cold (a fresh interpreter) and warm (files cached by the OS,
parsed again in-process). Goal: warm <= 200 ms. Prints figures; asserts nothing."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

COLD = ("import time; t=time.perf_counter(); from knoop.kb import knowledge_base; "
        "knowledge_base(); print((time.perf_counter()-t)*1000)")


def main() -> None:
    cold = [float(subprocess.run([sys.executable, "-c", COLD], capture_output=True, text=True,
                                 check=True).stdout) for _ in range(5)]
    from knoop.kb.loader import load_files, packaged_files

    warm = []
    for _ in range(10):
        t = time.perf_counter()
        load_files(packaged_files())
        warm.append((time.perf_counter() - t) * 1000)
    print(f"kb load cold (import + load, fresh process): median {statistics.median(cold):.0f} ms "
          f"over {len(cold)} runs")
    print(f"kb load warm (parse + validate all files):   median {statistics.median(warm):.0f} ms, "
          f"max {max(warm):.0f} ms over {len(warm)} runs  (goal <= 200 ms)")


if __name__ == "__main__":
    main()
