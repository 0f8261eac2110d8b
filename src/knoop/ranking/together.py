""""Together": the few muscles that between them explain most of the drawing.

A greedy weighted set cover: repeatedly take the muscle-side that adds the most explained pain
(intensity-weighted, with each region's explanation the best any chosen muscle gives it), until
four are chosen or the next one would add less than 5% of the drawing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from knoop.ranking.zones import Key, MuscleZone

MAX_MUSCLES = 4
MIN_GAIN = 0.05
POOL = 30


@dataclass(frozen=True)
class Pick:
    muscle: str
    side: str
    explains: float  # share of the whole drawing this muscle adds, 0..1

    def to_dict(self) -> dict[str, object]:
        return {"muscle": self.muscle, "side": self.side, "explains": round(self.explains, 3)}


def together(candidates: Sequence[tuple[str, str]], zones: Mapping[tuple[str, str], MuscleZone],
             painted: Mapping[Key, float]) -> list[Pick]:
    """``candidates``: muscle-sides best first (those ruled out already removed)."""
    total = float(sum(painted.values()))
    if total <= 0:
        return []
    keys = list(painted)
    intensity = [painted[k] for k in keys]
    current = [0.0] * len(keys)
    pool = {}
    for ms in candidates[:POOL]:
        get = zones[ms].weights.get
        pool[ms] = [get(k, 0.0) for k in keys]
    picks: list[Pick] = []
    while pool and len(picks) < MAX_MUSCLES:
        best, best_gain = None, 0.0
        for ms, weights in pool.items():
            gain = sum(i * (w - c) for i, w, c in zip(intensity, weights, current) if w > c)
            if gain > best_gain + 1e-12:
                best, best_gain = ms, gain
        share = best_gain / total
        if best is None or (share < MIN_GAIN and len(picks) >= 2) or share <= 0:
            break
        current = [max(c, w) for c, w in zip(current, pool.pop(best))]
        picks.append(Pick(best[0], best[1], share))
    return picks
