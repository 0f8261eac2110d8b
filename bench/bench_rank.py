"""Ranking speed in-process: one pain map against the full knowledge base.

1. The scoring (every muscle-side's score, in order: ``Ranker.scores``) against a NumPy version
   of the same model (``rank_numpy.py``) on the same maps in the same process: both times, the
   ratio (goal: knoop within 5x) and how often both give the same top 10.
2. The whole ranking as the API serves it (red flags, scores, reasons for the top 20,
   "together"): median, p99 (goal <= 2 ms), max.
Prints figures; asserts nothing."""

from __future__ import annotations

import gc
import json
import random
import statistics
import time
from pathlib import Path

from rank_numpy import NumpyScorer

from knoop.ranking import default_ranker

VIGNETTES = Path(__file__).resolve().parent.parent / "tests/data/vignettes_dev.json"


def random_painmaps(n: int, seed: int = 7, most: int = 12) -> list[dict]:
    r = default_ranker()
    regions = list(r.kb.contract.regions.values())
    rnd = random.Random(seed)
    maps = []
    for _ in range(n):
        picked = rnd.sample(regions, rnd.randint(1, most))
        maps.append({"regions": [
            {"region": x.id, **({"side": rnd.choice(["left", "right"])} if x.paired else {}),
             "intensity": rnd.randint(1, 10)} for x in picked]})
    return maps


def per_map_us(fn, items) -> float:  # type: ignore[no-untyped-def]
    """Best of 5 rounds over all items, in microseconds per item."""
    best = float("inf")
    for _ in range(5):
        t = time.perf_counter()
        for x in items:
            fn(x)
        best = min(best, time.perf_counter() - t)
    return best / len(items) * 1e6


def main() -> None:
    r = default_ranker()
    gc.collect()
    gc.freeze()  # as the server does after start-up
    cases = [c["painmap"] for c in json.loads(VIGNETTES.read_text())["cases"]]
    maps = cases * 10 + random_painmaps(500)
    parsed = [r.parse(m) for m in maps]

    # 1. scoring only, knoop vs NumPy, on the maps the NumPy version handles
    np_scorer = NumpyScorer(r)
    plain = [(pm, r.symptoms(pm)) for pm in parsed
             if not pm.findings and not any(x.quality in ("tingling", "numb") for x in pm.regions)]
    same = sum(
        [(ms, round(s, 9)) for ms, s, _f in r.scores(pm, sy)[:10]]
        == [(ms, round(s, 9)) for ms, s in np_scorer.top(pm, sy)] for pm, sy in plain)
    knoop_us = per_map_us(lambda x: r.scores(*x)[:10], plain)
    numpy_us = per_map_us(lambda x: np_scorer.top(*x), plain)
    print(f"scoring, {len(plain)} pain maps: knoop {knoop_us:.0f} us per map, NumPy version of "
          f"the same model {numpy_us:.0f} us; ratio {knoop_us / numpy_us:.1f}x  (goal <= 5x); "
          f"same top 10 in {same}/{len(plain)}")
    for n in (1, 4, 8, 16, 64):
        many = [(pm, r.symptoms(pm)) for pm in
                (r.parse(m) for m in random_painmaps(100, seed=n, most=n))]
        print(f"  up to {n:2d} regions: knoop {per_map_us(lambda x: r.scores(*x), many):5.0f} us,"
              f" NumPy {per_map_us(lambda x: np_scorer.top(*x), many):5.0f} us")

    # 2. the whole ranking: top 20 with reasons, and the API's default answer (every
    # candidate, reasons for the first 20; an older knoop without ``reasons`` gives all)
    try:
        r.rank(parsed[0], reasons=20)
        default: dict = {"reasons": 20}
    except TypeError:
        default = {}
    for label, kwargs in (("rank top 20 with reasons", {"top": 20}),
                          ("rank every candidate, reasons for 20 (the API default)", default)):
        for pm in parsed[:50]:
            r.rank(pm, **kwargs)  # warm up
        times = []
        cpu = time.process_time()
        for pm in parsed:
            t = time.perf_counter()
            r.rank(pm, **kwargs).to_dict()
            times.append((time.perf_counter() - t) * 1000)
        cpu = (time.process_time() - cpu) * 1000 / len(parsed)
        times.sort()
        p99 = times[int(len(times) * 0.99) - 1]
        print(f"{label} + to_dict (parse excluded), {len(times)} pain maps: median "
              f"{statistics.median(times):.3f} ms, p99 {p99:.3f} ms, max {times[-1]:.3f} ms, "
              f"mean CPU {cpu:.3f} ms  (goal p99 <= 2 ms)")
    t = time.perf_counter()
    for m in maps:
        r.rank(r.parse(m))
    print(f"parse + rank all candidates with reasons: mean "
          f"{(time.perf_counter() - t) * 1000 / len(maps):.3f} ms")


if __name__ == "__main__":
    main()
