"""The fast scoring path (ScoreIndex, Ranker.scores) gives the same order and scores as the
reference (score_zone for every muscle-side, Ranker.evidence) on many random pain maps."""

from __future__ import annotations

import random
from typing import Any

import numpy as np
import pytest

from knoop.ranking import default_ranker
from knoop.ranking.scoreindex import rounded
from knoop.vocabulary import PAINMAP_RESULTS, QUALITIES

R = default_ranker()
C = R.kb.contract
REGIONS = sorted(C.regions)
SYMPTOMS = sorted(C.symptoms)
MUSCLES = sorted(R.kb.muscles)


def random_painmap(rnd: random.Random) -> dict[str, Any]:
    """1-12 regions; now and then symptoms, qualities, findings, or a mirrored (symmetric)
    drawing, so every branch of the model is exercised."""
    regions: list[dict[str, Any]] = []
    for rid in rnd.sample(REGIONS, rnd.randint(1, 12)):
        item: dict[str, Any] = {"region": rid, "intensity": rnd.randint(1, 10)}
        if C.regions[rid].paired:
            item["side"] = rnd.choice(["left", "right"])
        if rnd.random() < 0.1:
            item["quality"] = rnd.choice(QUALITIES)
        regions.append(item)
    if rnd.random() < 0.25:  # mirror: a symmetric bilateral drawing
        regions += [{**r, "side": "right" if r["side"] == "left" else "left"}
                    for r in regions if "side" in r]
    out: dict[str, Any] = {"regions": regions}
    if rnd.random() < 0.3:
        out["symptoms"] = rnd.sample(SYMPTOMS, rnd.randint(1, 3))
    if rnd.random() < 0.2:
        out["findings"] = [{"muscle": rnd.choice(MUSCLES), "side": rnd.choice(["left", "right"]),
                            "result": rnd.choice(PAINMAP_RESULTS)}
                           for _ in range(rnd.randint(1, 2))]
    return out


def reference(pm: Any) -> list[tuple[tuple[str, str], float, str | None]]:
    return [((e.muscle, e.side), e.score, e.finding) for e in R.evidence(pm)]


@pytest.mark.parametrize("seed", range(4))
def test_the_fast_scores_equal_the_reference_order_and_scores_on_random_maps(seed: int) -> None:
    rnd = random.Random(seed)
    for _ in range(250):
        data = random_painmap(rnd)
        pm = R.parse(data)
        assert R.scores(pm) == reference(pm), data


def test_the_top_ten_of_a_ranking_are_the_reference_top_ten_with_their_scores() -> None:
    rnd = random.Random(99)
    for _ in range(200):
        data = random_painmap(rnd)
        pm = R.parse(data)
        ranking = R.rank(pm, top=10)
        want = [(ms, round(score, 3)) for ms, score, _f in reference(pm)[:10]]
        assert [((c.muscle, c.side), round(c.score, 3)) for c in ranking.candidates] == want
        assert ranking.total_candidates == len(reference(pm))


def test_a_symmetric_drawing_scores_a_muscle_by_its_own_half_in_the_fast_path_too() -> None:
    pm = R.parse({"regions": [{"region": "temple", "side": s, "intensity": 8} for s in
                              ("left", "right")]
                  + [{"region": "neck_back_upper", "side": s, "intensity": 5}
                     for s in ("left", "right")]})
    fast = R.scores(pm)
    assert fast == reference(pm)
    assert any(e.per_side for e in R.evidence(pm))


@pytest.mark.parametrize("digits", [3, 9])
def test_rounding_many_scores_at_once_gives_pythons_round_to_the_last_bit(digits: int) -> None:
    rnd = np.random.default_rng(digits)
    scale = 10 ** digits
    halfway = (rnd.integers(0, scale, 50_000) + 0.5) / scale
    values = np.concatenate([rnd.random(500_000), rnd.random(20_000) ** 8, halfway,
                             np.nextafter(halfway, 0), np.nextafter(halfway, 1),
                             [0.0, 1.0, 0.0005, 0.0015, 0.9995]])
    want = [round(v, digits) for v in values.tolist()]
    assert rounded(values, digits).tolist() == want


@pytest.mark.parametrize("seed", range(2))
def test_a_ranking_with_the_arrays_equals_the_ranking_by_the_reference_path(seed: int) -> None:
    """What ``knoop rank FILE`` (the reference path, no NumPy) and ``--batch``, the API and
    the pages (the arrays) answer: the same JSON, whatever the options."""
    rnd = random.Random(500 + seed)
    options: list[dict[str, Any]] = [{}, {"top": 20}, {"reasons": None, "lang": "en"},
                                     {"top": 5, "reasons": 2, "keep_findings": True}]
    for n in range(150):
        pm = R.parse(random_painmap(rnd))
        kwargs = {"reasons": 20, **options[n % len(options)]}
        assert R.rank(pm, **kwargs).to_dict() == R.rank(pm, arrays=False, **kwargs).to_dict()
