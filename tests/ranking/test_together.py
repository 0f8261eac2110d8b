""""Together" on the score index's arrays (``cover``, what ``rank`` uses) picks the same
muscle-sides with the same shares, to the last bit, as the reference greedy cover over the zones
(``together``), on many random pain maps."""

from __future__ import annotations

import random

import pytest
from tests.ranking.test_scoreindex import random_painmap

from knoop.ranking import default_ranker
from knoop.ranking.scoring import painted_weights
from knoop.ranking.together import cover, together

R = default_ranker()


@pytest.mark.parametrize("seed", range(3))
def test_the_array_cover_equals_the_reference_cover_on_random_maps(seed: int) -> None:
    rnd = random.Random(1000 + seed)
    for _ in range(300):
        data = random_painmap(rnd)
        pm = R.parse(data)
        painted = painted_weights(pm)
        pool = [ms for ms, _score, finding in R.scores(pm) if finding != "none_found"]
        position = R.score_index.position
        assert cover([position[ms] for ms in pool], R.score_index, painted) == \
            together(pool, R.zones, painted), data


def test_a_drawing_two_muscles_explain_gives_both_with_their_shares() -> None:
    pm = R.parse({"regions": [{"region": "temple", "side": "left", "intensity": 8},
                              {"region": "heel", "side": "right", "intensity": 8}]})
    picks = R.rank(pm).together
    assert len(picks) >= 2
    assert {p.side for p in picks[:2]} == {"left", "right"}
    assert sum(p.explains for p in picks) <= 1.0 + 1e-12


def test_an_empty_pool_or_a_drawing_no_zone_holds_gives_no_picks() -> None:
    pm = R.parse({"regions": [{"region": "temple", "side": "left", "intensity": 8}]})
    assert cover([], R.score_index, painted_weights(pm)) == []
    assert cover([0, 1], R.score_index, {}) == []
