""""Together": the few muscles that between them explain most of the drawing.

A greedy weighted set cover: repeatedly take the muscle-side that adds the most explained pain
(intensity-weighted, with each region's explanation the best any chosen muscle gives it), until
four are chosen or the next one would add less than 5% of the drawing.

:func:`together` is the reference over the zones; :func:`cover` does the same on the score
index's arrays (what :meth:`~knoop.ranking.Ranker.rank` uses; ``tests/ranking/test_together.py``
checks both agree).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from knoop.ranking.zones import Key, MuscleZone

if TYPE_CHECKING:
    from knoop.ranking.scoreindex import ScoreIndex

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


def cover(pool: Sequence[int], index: ScoreIndex, painted: Mapping[Key, float]) -> list[Pick]:
    """:func:`together` on the score index's arrays: ``pool`` holds muscle-side indices best
    first (those ruled out already removed). The same picks and shares to the last bit: each
    gain adds the painted regions one after the other in the pain map's order (a cumulative sum,
    never a pairwise one), a region the muscle adds nothing to adds an exact 0.0, and ties go to
    the first in the pool as above."""
    import numpy as np  # only where the arrays are in use (see ``Ranker.score_index``)

    from knoop.ranking.scoreindex import in_order

    total = float(sum(painted.values()))
    row = index.row
    rows = [row[k] for k in painted if k in row]
    if total <= 0 or not rows:
        return []
    chosen = list(pool[:POOL])
    intensity = np.array([w for k, w in painted.items() if k in row])[:, None]
    weights = index.weight[rows][:, chosen]
    current = np.zeros((len(rows), 1))
    left = list(range(len(chosen)))
    picks: list[Pick] = []
    while left and len(picks) < MAX_MUSCLES:
        gained = intensity * np.maximum(weights - current, 0.0)
        gains = in_order(gained).tolist()
        best, best_gain = -1, 0.0
        for p in left:
            if gains[p] > best_gain + 1e-12:
                best, best_gain = p, gains[p]
        share = best_gain / total
        if best < 0 or (share < MIN_GAIN and len(picks) >= 2) or share <= 0:
            break
        current = np.maximum(current, weights[:, best:best + 1])
        left.remove(best)
        muscle, side = index.sides[chosen[best]]
        picks.append(Pick(muscle, side, share))
    return picks
