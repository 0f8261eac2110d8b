"""Scoring a ranking against vignettes: hit@k and recall@k (shared/vignettes/README.md).

Muscle IDs are taken in candidate order, each at its first position (a muscle listed for both
sides counts once). hit@k = 1 if any expected muscle is in the top k; recall@k =
|expected ∩ top k| / min(|expected|, k).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from knoop.errors import BadInput

KS = (1, 3, 5)


@dataclass(frozen=True)
class CaseResult:
    id: str
    expected: tuple[str, ...]
    top: tuple[str, ...]
    hit: dict[int, float]
    recall: dict[int, float]


def muscle_order(candidates: list[dict[str, Any]]) -> list[str]:
    seen: list[str] = []
    for c in candidates:
        if c["muscle"] not in seen:
            seen.append(c["muscle"])
    return seen


def score_case(case_id: str, expected: list[str], order: list[str]) -> CaseResult:
    hit, recall = {}, {}
    for k in KS:
        top = set(order[:k])
        found = len(top & set(expected))
        hit[k] = 1.0 if found else 0.0
        recall[k] = found / min(len(expected), k) if expected else 0.0
    return CaseResult(case_id, tuple(expected), tuple(order[:5]), hit, recall)


def evaluate(vignettes: Any, ranker: Any) -> tuple[list[CaseResult], dict[str, float]]:
    """Rank every case with ``ranker`` (a :class:`knoop.ranking.Ranker`); return per-case
    results and the means ``{"hit@1": ..., "recall@5": ...}``."""
    if not isinstance(vignettes, dict) or not isinstance(vignettes.get("cases"), list):
        raise BadInput("vignettes file must be an object with a 'cases' array", field="cases")
    results: list[CaseResult] = []
    for i, case in enumerate(vignettes["cases"]):
        try:
            pm = ranker.parse(case["painmap"])
            expected = list(case["expected"])
        except (KeyError, TypeError):
            raise BadInput(f"cases[{i}]: needs 'id', 'painmap' and 'expected'",
                           field=f"cases[{i}]") from None
        order = muscle_order(ranker.rank(pm, "en").to_dict()["candidates"])
        results.append(score_case(str(case.get("id", i)), expected, order))
    n = max(len(results), 1)
    means = {}
    for k in KS:
        means[f"hit@{k}"] = sum(r.hit[k] for r in results) / n
        means[f"recall@{k}"] = sum(r.recall[k] for r in results) / n
    return results, means
