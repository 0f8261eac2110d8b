"""The body-chart template: geometry, sides, tiling, adjacency."""

from __future__ import annotations

import pytest
from shapely.affinity import scale
from shapely.ops import unary_union

from knoop.bodymap import chart
from knoop.bodymap.model import CHART_VERSION
from knoop.kb.contract import contract

ALL_VIEWS = ("front", "back", "lateral", "palm", "dorsum_hand", "sole", "dorsum_foot")


def _silhouette_area(view: str) -> float:
    c = chart()
    return unary_union([s.polygon for s in c.shapes(view) if not s.deep]).area


def test_chart_is_cached_and_versioned():
    assert chart() is chart()
    assert chart().version == CHART_VERSION == "1"
    assert set(chart().views) == set(ALL_VIEWS)


def test_every_contract_region_has_geometry_on_each_listed_view():
    c = chart()
    missing = []
    for r in contract().regions.values():
        sides = ("left", "right") if r.paired else (None,)
        for view in r.views:
            have = {s.key for s in c.shapes(view)}
            missing += [(r.id, side, view) for side in sides if (r.id, side) not in have]
    assert missing == []


def test_no_view_shows_a_region_the_contract_does_not_list_for_it():
    regions = contract().regions
    extra = [(s.region, v) for v in ALL_VIEWS for s in chart().shapes(v)
             if v not in regions[s.region].views]
    assert extra == []


def test_paired_regions_have_a_side_and_midline_regions_do_not():
    regions = contract().regions
    for v in ALL_VIEWS:
        for s in chart().shapes(v):
            assert (s.side is None) == (not regions[s.region].paired), (v, s.key)
            assert s.deep == (regions[s.region].depth == "deep"), (v, s.key)


def test_all_polygons_are_valid_and_not_empty():
    for v in ALL_VIEWS:
        for s in chart().shapes(v):
            assert s.polygon.is_valid, (v, s.key)
            assert s.polygon.area > 1.0, (v, s.key)


def test_left_and_right_shapes_mirror_exactly_about_the_view_axis():
    c = chart()
    for v in ALL_VIEWS:
        w = c.views[v].width
        by_key = {s.key: s for s in c.shapes(v)}
        for (region, side), s in by_key.items():
            if side != "right":
                continue
            other = by_key[(region, "left")]
            mirrored = scale(s.polygon, xfact=-1, yfact=1, origin=(w / 2, 0))
            assert mirrored.symmetric_difference(other.polygon).area < 1e-6 * max(1, s.polygon.area)


def test_midline_regions_are_symmetric():
    c = chart()
    for v in ALL_VIEWS:
        w = c.views[v].width
        for s in c.shapes(v):
            if s.side is None:
                m = scale(s.polygon, xfact=-1, yfact=1, origin=(w / 2, 0))
                assert m.symmetric_difference(s.polygon).area < 0.01 * s.polygon.area, (v, s.key)


def test_client_right_is_on_the_viewer_left_on_the_front_and_right_on_the_back():
    c = chart()
    for v, right_on_viewer_left in (("front", True), ("back", False), ("palm", True),
                                    ("dorsum_hand", True), ("sole", True), ("lateral", True)):
        w = c.views[v].width
        for s in c.shapes(v):
            if s.side == "right":
                assert (s.polygon.centroid.x < w / 2) == right_on_viewer_left, (v, s.key)


@pytest.mark.parametrize("view", ALL_VIEWS)
def test_surface_regions_of_a_view_do_not_overlap_and_cover_the_silhouette(view):
    c = chart()
    shapes = [s for s in c.shapes(view) if not s.deep]
    total = sum(s.polygon.area for s in shapes)
    union = unary_union([s.polygon for s in shapes]).area
    overlap = total - union
    assert overlap < 0.002 * union, f"{view}: overlap {overlap:.1f} of {union:.0f}"
    sil = c.views[view].silhouette
    assert sil.startswith("M")
    # coverage of the outline by regions, computed from the silhouette path itself
    from shapely.geometry import Polygon

    rings = []
    for part in sil.split("M")[1:]:
        pts = [tuple(map(float, p.strip().split())) for p in part.rstrip(" Z").split("L")]
        rings.append(Polygon(pts))
    outline = unary_union([r for r in rings if r.is_valid])
    covered = outline.intersection(unary_union([s.polygon for s in shapes])).area / outline.area
    print(f"{view}: regions cover {covered:.2%} of the silhouette, overlap {overlap:.2f} units²")
    assert covered > 0.98


def test_adjacency_is_symmetric_and_classic_neighbours_touch():
    adj = chart().adjacency()
    for k, ns in adj.items():
        for n in ns:
            assert k in adj[n], (k, n)
        assert k not in ns
    for side in ("left", "right"):
        assert ("forehead", side) in adj[("temple", side)]
        assert ("occiput_base", side) in adj[("neck_back_upper", side)]
        assert ("knee_back", side) in adj[("calf_upper", side)]
        assert ("palm", side) in adj[("thenar", side)]
        assert ("heel", side) in adj[("arch", side)]
        assert ("buttock_upper", side) in adj[("buttock_deep", side)] or \
            ("buttock_mid", side) in adj[("buttock_deep", side)]
    assert ("temple", "right") not in adj[("temple", "left")]
    assert ("sternum", None) in adj[("pectoral", "left")]


def test_anatomical_neighbours_drawn_apart_on_the_chart_are_adjacent():
    adj = chart().adjacency()
    for a, b in [("eye", "eyebrow"), ("ear", "tmj"), ("medial_malleolus", "heel"),
                 ("medial_malleolus", "foot_medial_border"), ("achilles", "heel")]:
        for side in ("left", "right"):
            assert (b, side) in adj[(a, side)] and (a, side) in adj[(b, side)]
        assert (b, "right") not in adj[(a, "left")]


def test_area_sums_over_views_and_is_zero_for_unknown_keys():
    c = chart()
    k = ("shoulder_lateral", "left")
    expected = sum(s.polygon.area for v in c.views for s in c.shapes(v) if s.key == k)
    assert c.area(k) == pytest.approx(expected)
    assert c.area(("no_such_region", None)) == 0.0


def test_keys_hold_every_region_side_pair():
    keys = chart().keys()
    n = sum(2 if r.paired else 1 for r in contract().regions.values())
    assert len(keys) == n == len({(r, s) for r, s in keys})


def test_unknown_view_raises_chart_error_with_the_allowed_views():
    from knoop.errors import ChartError

    with pytest.raises(ChartError) as e:
        chart().shapes("top")
    assert e.value.field == "view" and "front" in e.value.allowed


def test_the_packaged_adjacency_is_what_the_geometry_gives() -> None:
    """Ranking reads the stored adjacency (no geometry library); it must never drift from the
    template. When this fails: ``python -m knoop.bodymap.adjacency`` writes it anew."""
    from knoop.bodymap import chart
    from knoop.bodymap.adjacency import encode, packaged_adjacency

    assert packaged_adjacency() == chart().adjacency()
    assert encode(packaged_adjacency()) == encode(chart().adjacency())


def test_ranking_starts_without_the_geometry_library() -> None:
    import subprocess
    import sys

    code = ("import sys; from knoop.ranking import rank; "
            "rank({'regions': [{'region': 'temple', 'side': 'left'}]}); "
            "print('shapely' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "False"
