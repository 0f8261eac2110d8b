"""The painted surface of a drawing: its share of the skin, overlap, and the views that show it."""

from __future__ import annotations

import pytest

from knoop.bodymap import chart
from knoop.bodymap.surface import area_percent, jaccard, painted, surface_total, views_showing


def test_a_region_chosen_whole_counts_its_whole_area_as_a_share_of_the_skin() -> None:
    p = painted([{"region": "temple", "side": "right", "intensity": 6}])
    assert p == {("temple", "right"): (chart().area(("temple", "right")), 6)}
    assert area_percent(p) == pytest.approx(100 * chart().area(("temple", "right"))
                                            / surface_total())
    half = painted([{"region": "temple", "side": "right", "fraction": 0.5}])
    assert area_percent(half) == pytest.approx(area_percent(p) / 2)
    assert painted([{"region": "no_such_region", "side": "left"}]) == {}


def test_overlap_is_one_for_the_same_drawing_and_its_share_for_a_drawing_inside_it() -> None:
    whole = painted([{"region": "heel", "side": "left"}])
    half = painted([{"region": "heel", "side": "left", "fraction": 0.5}])
    assert jaccard(whole, whole) == 1.0
    assert jaccard(whole, half) == pytest.approx(0.5)
    assert jaccard({}, {}) is None


def test_a_foot_drawing_is_shown_on_the_foot_views_and_a_headache_on_the_front() -> None:
    foot = views_showing([{"region": "heel", "side": "left"}, {"region": "arch", "side": "left"}])
    assert "sole" in foot and "front" not in foot
    assert "front" in views_showing([{"region": "temple", "side": "right"},
                                     {"region": "eyebrow", "side": "right"}])
    # strokes put their view in; nothing painted gives the whole body
    assert "lateral" in views_showing([], [{"view": "lateral", "points": [[1, 1]]}])
    assert views_showing([]) == ["front", "back"]
    assert len(views_showing([{"region": r, "side": "left"} for r in
                              ("heel", "temple", "calf_upper", "thenar")], limit=2)) == 2
