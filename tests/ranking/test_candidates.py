"""A ranking's JSON made from fragments (``Ranking.to_json``, what ``knoop rank --batch`` and
``POST /api/v1/rank`` send) is byte for byte what orjson makes of ``to_dict()``."""

from __future__ import annotations

import random
from typing import Any

import orjson
import pytest
from tests.ranking.test_scoreindex import random_painmap

from knoop.errors import PainMapError
from knoop.ranking import default_ranker

R = default_ranker()
OPTIONS: list[dict[str, Any]] = [{}, {"reasons": 0}, {"top": 20, "reasons": 0},
                                 {"reasons": None, "lang": "en"},
                                 {"top": 5, "reasons": 2, "keep_findings": True}]


@pytest.mark.parametrize("seed", range(2))
def test_the_json_from_fragments_equals_orjson_of_the_dict_on_random_maps(seed: int) -> None:
    rnd = random.Random(3000 + seed)
    checked = 0
    for n in range(250):
        data = random_painmap(rnd)
        try:
            pm = R.parse(data)
        except PainMapError:  # the same finding twice: the parser's business, not this test's
            continue
        ranking = R.rank(pm, **OPTIONS[n % len(OPTIONS)])
        assert ranking.to_json() == orjson.dumps(ranking.to_dict()), data
        checked += 1
    assert checked > 200


def test_an_empty_drawing_and_a_red_flag_give_the_same_json_both_ways() -> None:
    for data in ({}, {"regions": [{"region": "calf_upper", "side": "left", "intensity": 6}],
                      "screening": ["calf_swelling_redness"]}):
        ranking = R.rank(R.parse(data), reasons=0)
        assert ranking.to_json() == orjson.dumps(ranking.to_dict())
    assert R.rank(R.parse({})).to_json().startswith(b'{"kb_version":')
