"""Ranking speed in-process: one pain map against the full knowledge base.
Goal: median <= 1 ms, p99 <= 5 ms. Prints figures; asserts nothing."""

from __future__ import annotations

import json
import random
import statistics
import time
from pathlib import Path

from knoop.ranking import default_ranker

VIGNETTES = Path(__file__).resolve().parent.parent / "tests/data/vignettes_dev.json"


def random_painmaps(n: int, seed: int = 7) -> list[dict]:
    r = default_ranker()
    regions = list(r.kb.contract.regions.values())
    rnd = random.Random(seed)
    maps = []
    for _ in range(n):
        picked = rnd.sample(regions, rnd.randint(1, 12))
        maps.append({"regions": [
            {"region": x.id, **({"side": rnd.choice(["left", "right"])} if x.paired else {}),
             "intensity": rnd.randint(1, 10)} for x in picked]})
    return maps


def main() -> None:
    r = default_ranker()
    cases = [c["painmap"] for c in json.loads(VIGNETTES.read_text())["cases"]]
    maps = cases * 10 + random_painmaps(500)
    parsed = [r.parse(m) for m in maps]
    for pm in parsed[:50]:
        r.rank(pm)  # warm up
    times = []
    for pm in parsed:
        t = time.perf_counter()
        r.rank(pm)
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    p99 = times[int(len(times) * 0.99) - 1]
    print(f"rank (parse excluded), {len(times)} pain maps: median {statistics.median(times):.3f} ms, "
          f"p99 {p99:.3f} ms, max {times[-1]:.3f} ms  (goal median <= 1 ms, p99 <= 5 ms)")
    t = time.perf_counter()
    for m in maps:
        r.rank(r.parse(m), top=20)
    print(f"parse + rank top 20: mean {(time.perf_counter() - t) * 1000 / len(maps):.3f} ms")


if __name__ == "__main__":
    main()
