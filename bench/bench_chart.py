"""Body-chart timings: template load, render per view, coverage of a 200-point stroke.

Run: ``.venv/bin/python bench/bench_chart.py``
"""

from __future__ import annotations

import math
import statistics
import time


def _median(fn, n: int = 20) -> float:
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    t = time.perf_counter()
    from knoop.bodymap import Stroke, chart, coverage, render_svg
    from knoop.bodymap.model import chart as _chart

    c = chart()
    load = time.perf_counter() - t
    t = time.perf_counter()
    c.adjacency()
    adj = time.perf_counter() - t
    print(f"chart load (import + parse): {load * 1000:7.1f} ms")
    print(f"adjacency (first call):      {adj * 1000:7.1f} ms")
    _chart.cache_clear()
    reload_ = _median(lambda: (_chart.cache_clear(), _chart()), 5)
    print(f"chart parse (median of 5):   {reload_ * 1000:7.1f} ms")
    for view in c.views:
        render_svg(view)
        print(f"render {view:12s} (median of 20): {_median(lambda v=view: render_svg(v)) * 1000:6.2f} ms")
    pts = [(300 + 120 * math.sin(i / 30), 150 + i * 3.5) for i in range(200)]
    stroke = Stroke("front", pts, width=18, intensity=6, quality="aching")
    cov = _median(lambda: coverage([stroke]))
    print(f"coverage, 200-point stroke (median of 20): {cov * 1000:6.2f} ms, "
          f"{len(coverage([stroke]))} regions")


if __name__ == "__main__":
    main()
