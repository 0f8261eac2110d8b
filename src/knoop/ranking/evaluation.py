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


# ------------------------------------------------------------------ red-flag cases

#: expected_urgency values, most urgent first; "none" = a benign map.
URGENCY_RANK = {"emergency": 0, "urgent": 1, "gp": 2, "caution": 3, "none": 4}
ALARM = URGENCY_RANK["gp"]  # a flag at gp or above is an alarm


@dataclass(frozen=True)
class FlagResult:
    id: str
    expected: str
    got: str  # the most urgent flag's urgency, or "none"
    flags: tuple[str, ...]

    @property
    def caught(self) -> bool | None:
        """None for a benign case; else whether the most urgent flag is at least as urgent."""
        if self.expected == "none":
            return None
        return URGENCY_RANK[self.got] <= URGENCY_RANK[self.expected]

    @property
    def false_alarm(self) -> bool | None:
        """None for a flagged case; else whether a benign map got a flag at gp or above."""
        if self.expected != "none":
            return None
        return URGENCY_RANK[self.got] <= ALARM


def evaluate_redflags(cases: Any, ranker: Any) -> tuple[list[FlagResult], dict[str, int]]:
    """Screen every case (shared/vignettes/README.md, "Red-flag cases"); return per-case results
    and the counts ``flagged``, ``caught``, ``benign``, ``false_alarms``."""
    if not isinstance(cases, dict) or not isinstance(cases.get("cases"), list):
        raise BadInput("red-flag file must be an object with a 'cases' array", field="cases")
    results: list[FlagResult] = []
    for i, case in enumerate(cases["cases"]):
        try:
            pm = ranker.parse(case["painmap"])
            expected = str(case["expected_urgency"])
        except (KeyError, TypeError):
            raise BadInput(f"cases[{i}]: needs 'id', 'painmap' and 'expected_urgency'",
                           field=f"cases[{i}]") from None
        if expected not in URGENCY_RANK:
            raise BadInput(f"cases[{i}].expected_urgency: must be one of "
                           f"{', '.join(URGENCY_RANK)}", field=f"cases[{i}].expected_urgency",
                           allowed=list(URGENCY_RANK))
        flags = ranker.rank(pm, "en").red_flags
        got = min((f.urgency for f in flags), key=URGENCY_RANK.__getitem__, default="none")
        results.append(FlagResult(str(case.get("id", i)), expected, got,
                                  tuple(f"{f.id}:{f.urgency}" for f in flags)))
    flagged = [r for r in results if r.expected != "none"]
    benign = [r for r in results if r.expected == "none"]
    return results, {"flagged": len(flagged), "caught": sum(bool(r.caught) for r in flagged),
                     "benign": len(benign),
                     "false_alarms": sum(bool(r.false_alarm) for r in benign)}
