"""The development vignettes: prints hit@k and recall@k; asserts a floor reached honestly.

The floor sits a little below what the model reaches today (see docs/ranking.md), so a change
that makes the ranking clearly worse fails, while the exact ranks are never asserted."""

from __future__ import annotations

import json
from pathlib import Path

from knoop.ranking import default_ranker
from knoop.ranking.evaluation import KS, evaluate

VIGNETTES = Path(__file__).resolve().parents[1] / "data" / "vignettes_dev.json"


def test_the_dev_vignettes_reach_the_recall_floor() -> None:
    results, means = evaluate(json.loads(VIGNETTES.read_text()), default_ranker())
    print()
    for r in results:
        print(f"{r.id:48} hit@3={r.hit[3]:.0f} recall@5={r.recall[5]:.2f} top={list(r.top)}")
    print("  ".join(f"hit@{k}={means[f'hit@{k}']:.3f} recall@{k}={means[f'recall@{k}']:.3f}"
                    for k in KS))
    assert len(results) >= 40
    assert means["hit@3"] >= 0.90
    assert means["recall@5"] >= 0.80
