"""Strokes -> region coverage."""

from __future__ import annotations

import pytest

from knoop.bodymap import Stroke, chart, coverage


def _centroid(view, region, side):
    s = next(s for s in chart().shapes(view) if s.key == (region, side))
    p = s.polygon.representative_point()
    return p.x, p.y


def test_a_stroke_across_the_left_temple_reports_temple_left_and_not_temple_right():
    x, y = _centroid("front", "temple", "left")
    res = coverage([Stroke("front", [(x - 3, y - 6), (x + 3, y + 6)], width=8, intensity=7,
                           quality="aching")])
    keys = {(r.region, r.side) for r in res}
    assert ("temple", "left") in keys
    assert ("temple", "right") not in keys
    hit = next(r for r in res if (r.region, r.side) == ("temple", "left"))
    assert hit.intensity == 7 and hit.quality == "aching" and 0 < hit.fraction <= 1


def test_a_dot_is_a_single_point_stroke():
    x, y = _centroid("back", "buttock_mid", "right")
    res = coverage([Stroke("back", [(x, y)], width=12, intensity=3)])
    assert [(r.region, r.side) for r in res] == [("buttock_mid", "right")]


def test_painting_a_whole_region_gives_fraction_one_and_erase_removes_paint():
    s = next(s for s in chart().shapes("sole") if s.key == ("heel", "right"))
    minx, miny, maxx, maxy = s.polygon.bounds
    cy = (miny + maxy) / 2
    full = Stroke("sole", [(minx - 50, cy), (maxx + 50, cy)], width=(maxy - miny) * 3,
                  intensity=5)
    res = {(r.region, r.side): r for r in coverage([full])}
    assert res[("heel", "right")].fraction == pytest.approx(1.0)
    erase = Stroke("sole", [(minx - 50, cy), (maxx + 50, cy)], width=(maxy - miny) * 3,
                   intensity=1, erase=True)
    assert coverage([full, erase]) == []
    # an erase stroke only removes paint drawn before it
    assert coverage([erase, full])


def test_intensity_is_the_max_and_quality_comes_from_the_most_intense_stroke():
    x, y = _centroid("front", "shin", "right")
    res = coverage([Stroke("front", [(x, y - 10), (x, y + 10)], 8, 4, "burning"),
                    Stroke("front", [(x, y)], 6, 9, "stabbing")])
    shin = next(r for r in res if (r.region, r.side) == ("shin", "right"))
    assert shin.intensity == 9 and shin.quality == "stabbing"


def test_fraction_is_the_max_over_views():
    x, y = _centroid("lateral", "flank", "right")
    fx, fy = _centroid("front", "flank", "right")
    res = coverage([Stroke("lateral", [(x, y)], 200, 5), Stroke("front", [(fx, fy)], 2, 5)])
    flank = next(r for r in res if (r.region, r.side) == ("flank", "right"))
    assert flank.fraction > 0.5


def test_tiny_touches_below_two_percent_are_dropped():
    s = next(s for s in chart().shapes("front") if s.key == ("lower_abdomen", "left"))
    x, y = s.polygon.representative_point().coords[0]
    res = coverage([Stroke("front", [(x, y)], 1.0, 5)])
    assert res == []


