"""The development vignettes: prints hit@k and recall@k; asserts a floor reached honestly.

The floor sits a little below what the model reaches today (see docs/ranking.md), so a change
that makes the ranking clearly worse fails, while the exact ranks are never asserted."""

from __future__ import annotations

import json
from pathlib import Path

from knoop.ranking import default_ranker
from knoop.ranking.evaluation import KS, evaluate, muscle_order

VIGNETTES = Path(__file__).resolve().parents[1] / "data" / "vignettes_dev.json"


def test_the_dev_vignettes_reach_the_recall_floor() -> None:
    results, means = evaluate(json.loads(VIGNETTES.read_text()), default_ranker())
    print()
    for r in results:
        print(f"{r.id:48} hit@3={r.hit[3]:.0f} recall@5={r.recall[5]:.2f} top={list(r.top)}")
    print("  ".join(f"hit@{k}={means[f'hit@{k}']:.3f} recall@{k}={means[f'recall@{k}']:.3f}"
                    for k in KS))
    assert len(results) >= 40
    assert means["hit@3"] >= 0.95
    assert means["recall@5"] >= 0.85


def test_each_trigger_points_own_zone_puts_its_muscle_in_the_top_three() -> None:
    """The self-check: draw one trigger point's essential zone (intensity 8, on the sides its
    side rule gives) and look for its muscle in the top 3. Rare trigger points are left out."""
    r = default_ranker()
    paired = {rid: reg.paired for rid, reg in r.kb.contract.regions.items()}
    sides = {"ipsilateral": ("left",), "contralateral": ("right",),
             "bilateral": ("left", "right")}
    total, misses = 0, []
    for mid in sorted(r.kb.muscles):
        for tp in r.kb.muscles[mid].trigger_points:
            if tp.rare:
                continue
            regions = [{"region": reg, "intensity": 8, **({"side": s} if paired[reg] else {})}
                       for reg in tp.referral.essential
                       for s in (sides[tp.referral.side] if paired[reg] else ("",))]
            order = muscle_order(r.rank(r.parse({"regions": regions}), "en").to_dict()
                                 ["candidates"])
            total += 1
            if mid not in order[:3]:
                misses.append((tp.id, order[:3]))
    print(f"\nself-check: {total - len(misses)}/{total}; misses: {misses}")
    assert (total - len(misses)) / total >= 0.95
