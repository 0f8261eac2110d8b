""""Together": the greedy cover gives the same picks, to the last bit, as the plain version
over every painted key (the one it replaced), and it stops as documented."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence

from knoop.ranking import default_ranker
from knoop.ranking.scoring import painted_weights
from knoop.ranking.together import MAX_MUSCLES, POOL, Pick, together
from knoop.ranking.zones import Key, MuscleZone


def plain_together(candidates: Sequence[tuple[str, str]],
                   zones: Mapping[tuple[str, str], MuscleZone],
                   painted: Mapping[Key, float]) -> list[tuple[str, str, float]]:
    total = float(sum(painted.values()))
    keys = list(painted)
    intensity = [painted[k] for k in keys]
    current = [0.0] * len(keys)
    pool = {ms: [zones[ms].weights.get(k, 0.0) for k in keys] for ms in candidates[:POOL]}
    picks: list[tuple[str, str, float]] = []
    while pool and len(picks) < MAX_MUSCLES:
        best, best_gain = None, 0.0
        for ms, weights in pool.items():
            gain = sum(i * (w - c) for i, w, c in zip(intensity, weights, current) if w > c)
            if gain > best_gain + 1e-12:
                best, best_gain = ms, gain
        share = best_gain / total
        if best is None or (share < 0.05 and len(picks) >= 2) or share <= 0:
            break
        current = [max(c, w) for c, w in zip(current, pool.pop(best))]
        picks.append((best[0], best[1], share))
    return picks


def test_together_picks_the_same_muscles_and_shares_as_the_plain_cover() -> None:
    r = default_ranker()
    regions = sorted(r.contract.regions.values(), key=lambda x: x.id)
    rnd = random.Random(5)
    nonempty = 0
    for _ in range(300):
        picked = rnd.sample(regions, rnd.randint(1, 16))
        pm = r.parse({"regions": [
            {"region": x.id, **({"side": rnd.choice(["left", "right"])} if x.paired else {}),
             "intensity": rnd.randint(1, 10)} for x in picked]})
        pool = [ms for ms, _s, _f in r.scores(pm)]
        painted = painted_weights(pm)
        got = [(p.muscle, p.side, p.explains) for p in together(pool, r.zones, painted)]
        assert got == plain_together(pool, r.zones, painted)
        nonempty += bool(got)
    assert nonempty > 250


def test_together_of_an_empty_drawing_is_empty() -> None:
    r = default_ranker()
    assert together([("trapezius", "left")], r.zones, {}) == []
    assert isinstance(Pick("trapezius", "left", 0.5).to_dict()["explains"], float)
