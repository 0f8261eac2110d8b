"""The one stroke validator: every problem is a ChartError naming the field (a JSON path)."""

from __future__ import annotations

import math

import pytest

from knoop.bodymap.strokes import MAX_POINTS, parse_strokes
from knoop.errors import ChartError

GOOD = {"view": "front", "points": [[1, 1]], "width": 5, "intensity": 5}


def test_good_strokes_become_bodymap_strokes_with_defaults() -> None:
    (s,) = parse_strokes([{"view": "back", "points": [[1, 2], [3, 4]]}])
    assert (s.view, s.points, s.width, s.intensity, s.quality, s.erase) == \
        ("back", [(1.0, 2.0), (3.0, 4.0)], 20.0, 5, None, False)


@pytest.mark.parametrize("change, field, words", [
    ({"view": "top"}, "strokes[0].view", "front, back"),
    ({"intensity": 0}, "strokes[0].intensity", "at least 1"),
    ({"intensity": 11}, "strokes[0].intensity", "at most 10"),
    ({"intensity": 5.5}, "strokes[0].intensity", "whole number"),
    ({"points": [[1, math.nan]]}, "strokes[0].points[0][1]", "finite"),
    ({"points": [[math.inf, 1]]}, "strokes[0].points[0][0]", "finite"),
    ({"points": [[1, 2, 3]]}, "strokes[0].points[0]", ""),
    ({"width": 0}, "strokes[0].width", "more than 0"),
    ({"width": -3}, "strokes[0].width", "more than 0"),
    ({"points": []}, "strokes[0].points", "at least 1"),
    ({"quality": "itchy"}, "strokes[0].quality", "aching"),
    ({"erase": "yes"}, "strokes[0].erase", ""),
    ({"colour": "red"}, "strokes[0].colour", "unknown field"),
])
def test_bad_strokes_raise_chart_error_naming_the_field(change: dict, field: str,
                                                       words: str) -> None:
    with pytest.raises(ChartError) as e:
        parse_strokes([{**GOOD, **change}])
    assert e.value.field == field
    assert e.value.message.startswith(field) and words in e.value.message


def test_a_drawing_has_at_most_20000_points() -> None:
    strokes = [{"view": "front", "points": [[1, 1]] * 5000} for _ in range(MAX_POINTS // 5000)]
    assert len(parse_strokes(strokes)) == 4
    with pytest.raises(ChartError) as e:
        parse_strokes([*strokes, GOOD])
    assert e.value.field == "strokes" and "at most 20000 points" in e.value.message


def test_not_a_list_is_refused() -> None:
    with pytest.raises(ChartError) as e:
        parse_strokes({"view": "front"})
    assert e.value.field == "strokes"
