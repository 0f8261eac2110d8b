"""The client's drawing in a handout: the strokes themselves, cropped, with a full-body key."""

from __future__ import annotations

from knoop.handouts.session_chart import session_charts

STROKE = {"view": "back", "points": [[296, 130], [304, 130]], "width": 6, "intensity": 8}


def test_a_short_stroke_over_the_midline_stays_short_not_a_whole_region() -> None:
    regions = {("occiput_upper", "left"): 8, ("occiput_upper", "right"): 8}
    [(caption, svg)] = session_charts(regions, [], strokes=[STROKE], max_views=1)
    assert caption == "Achterkant"
    assert 'class="zone"' in svg and 'fill="#c1231a"' in svg  # the stroke in the NRS 8 colour
    assert 'data-region="occiput_upper"' not in svg  # no region filled whole
    assert 'class="key"' in svg  # cropped: a small full-body key shows where


def test_without_strokes_the_chosen_regions_are_filled() -> None:
    [(_c, svg)] = session_charts({("occiput_upper", "left"): 8}, [], max_views=1)
    assert 'data-region="occiput_upper"' in svg and 'class="zone"' not in svg
