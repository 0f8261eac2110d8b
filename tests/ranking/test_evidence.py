"""The evidence built from the score index's sums (what the reasons of the listed candidates
are made of) equals the reference (``score_zone``, then the per-side choice and the findings)
field for field, on many random pain maps."""

from __future__ import annotations

import random

import pytest
from tests.ranking.test_scoreindex import random_painmap

from knoop.ranking import _Context, default_ranker
from knoop.ranking.evidence import evidence_from
from knoop.ranking.scoring import nerve_regions, painted_weights

R = default_ranker()


@pytest.mark.parametrize("seed", range(3))
def test_the_evidence_from_the_sums_equals_the_reference_evidence_on_random_maps(
        seed: int) -> None:
    rnd = random.Random(2000 + seed)
    checked = 0
    for _ in range(200):
        data = random_painmap(rnd)
        pm = R.parse(data)
        symptoms = R.symptoms(pm)
        scored = R._scored(pm, symptoms)
        if scored.sums is None:  # tingling or numbness: the reference path itself
            continue
        context = _Context(painted_weights(pm), {s: R.symptom_weight[s] for s in symptoms},
                           nerve_regions(pm, R.contract))
        for i in scored.index[:40]:
            ms = R.score_index.sides[i]
            z = R.zones[ms]
            ev, tp_size = evidence_from(i, z, R.score_index, scored.sums, context.weights, pm)
            want = R._evidence_of(ms, pm, context)
            assert ev == want, (data, ms)
            assert tp_size == next((len(tp.essential) for tp in z.trigger_points
                                    if tp.id == want.best_tp), 0)
            checked += 1
    assert checked > 3000


def test_a_symmetric_drawing_judges_a_muscle_on_its_own_half_with_the_reason_why() -> None:
    pm = R.parse({"regions": [{"region": "temple", "side": s, "intensity": 8} for s in
                              ("left", "right")]
                  + [{"region": "neck_back_upper", "side": s, "intensity": 5}
                     for s in ("left", "right")]})
    ranking = R.rank(pm, "en", reasons=None)
    assert any(c.reasons_for and "judged on its own side" in " ".join(c.reasons_for)
               for c in ranking.candidates)
