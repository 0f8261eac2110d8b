"""SVG rendering, muscle diagrams, PNG export and the CLI."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from click.testing import CliRunner

from knoop.bodymap import Fill, Mark, chart, muscle_diagram_svg, png_from_svg, render_svg
from knoop.cli import main
from knoop.errors import ChartError
from knoop.kb import knowledge_base

NS = "{http://www.w3.org/2000/svg}"


@pytest.mark.parametrize("view", list(chart().views))
def test_render_output_parses_as_xml_and_has_r_and_l_labels(view):
    svg = render_svg(view)
    root = ET.fromstring(svg)
    assert root.get("data-chart-version") == "1"
    texts = [t.text for t in root.iter(f"{NS}text")]
    assert "R" in texts and "L" in texts
    paths = [p for p in root.iter(f"{NS}path") if "region" in (p.get("class") or "")]
    assert len(paths) == len(chart().shapes(view))
    for p in paths:
        assert p.get("data-region") and p.get("data-side") and p.get("data-view") == view
        assert p.find(f"{NS}title") is not None
    assert "<script" not in svg and "href=\"http" not in svg


def test_titles_are_dutch_by_default_and_english_on_request():
    nl = render_svg("front")
    en = render_svg("front", lang="en")
    assert "Slaap (links)" in nl and "Temple (left)" in en


def test_fills_marks_and_stipple_render_and_rasterise():
    svg = render_svg("back", {("calf_upper", "left"): Fill("#b3261e"),
                              ("calf_lower", "left"): Fill("#f2a49c", 0.8, "stipple")},
                     [Mark(200, 800, "1")], interactive=True, width=300, title="Test")
    ET.fromstring(svg)
    assert "<pattern" in svg and 'tabindex="0"' in svg and 'width="300"' in svg
    png = png_from_svg(svg, 200)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"


def test_unknown_fill_key_or_bad_colour_raises_chart_error():
    with pytest.raises(ChartError):
        render_svg("front", {("nope", None): Fill("#000")})
    with pytest.raises(ChartError):
        render_svg("front", {("temple", "left"): Fill("red; x")})
    with pytest.raises(ChartError):
        render_svg("nope")


def test_every_muscle_file_present_renders_a_diagram():
    kb = knowledge_base()
    assert kb.muscles
    for mid in kb.muscles:
        for side in ("left", "right"):
            svg = muscle_diagram_svg(mid, side=side)
            root = ET.fromstring(svg)
            assert 'fill="#b3261e"' in svg, mid
            assert root.get("data-view") in chart().views


def test_trapezius_diagram_paints_the_right_temple_on_the_front_and_marks_trigger_points():
    svg = muscle_diagram_svg("trapezius", side="right", view="front")
    root = ET.fromstring(svg)
    zone = next(p for p in root.iter(f"{NS}path")
                if p.get("class") == "zone" and p.get("fill") == "#b3261e")
    shape = _polygons(zone.get("d") or "")
    temple = {s.side: s.polygon.representative_point() for s in chart().shapes("front")
              if s.region == "temple"}
    assert shape.contains(temple["right"]) and not shape.contains(temple["left"])
    back = muscle_diagram_svg("trapezius", side="left", view="back")
    assert back.count('class="mark"') >= 3


def _polygons(d: str):
    """Shapely geometry of our zone path data ("M x y L x y ... Z", one ring per M)."""
    import re

    from shapely.geometry import Polygon
    from shapely.ops import unary_union

    rings = [[tuple(map(float, xy.split())) for xy in re.split(r"\s*L", r.strip())]
             for r in d.replace("Z", "").split("M") if r.strip()]
    return unary_union([Polygon(r) for r in rings])


def test_a_zone_is_one_smooth_shape_clipped_to_the_body():
    from knoop.bodymap.zoneshape import zone_path

    keys = {("temple", "right"), ("forehead", "right"), ("eyebrow", "right")}
    shape = _polygons(zone_path("front", keys))
    parts = [s.polygon for s in chart().shapes("front") if s.key in keys]
    from shapely.ops import unary_union

    union = unary_union(parts)
    assert shape.geom_type == "Polygon"  # one piece, no mosaic
    assert abs(shape.area - union.area) / union.area < 0.08  # softened, not moved
    # rounded: no corner turns sharper than 75 degrees, where the region mosaic has several
    assert _sharp_corners(shape.exterior.coords, 75) == 0 < _sharp_corners(union.exterior.coords, 75)


def _sharp_corners(coords, degrees: float) -> int:
    import math

    pts = list(coords)[:-1]
    n = 0
    for i, (x, y) in enumerate(pts):
        (ax, ay), (bx, by) = pts[i - 1], pts[(i + 1) % len(pts)]
        a1, a2 = math.atan2(y - ay, x - ax), math.atan2(by - y, bx - x)
        turn = abs((math.degrees(a2 - a1) + 180) % 360 - 180)
        n += turn > degrees
    return n


def test_one_trigger_point_is_pictured_alone_cropped_to_its_zone():
    svg = muscle_diagram_svg("trapezius", side="right", trigger_point="trapezius_upper_front",
                             cropped=True)
    root = ET.fromstring(svg)
    x, y, w, h = map(float, (root.get("viewBox") or "").split())
    assert w == h and 220 <= w < 600 and x >= 0 and y >= 0
    assert "Monnikskapspier" not in svg  # no title or legend: the card has the name
    assert svg.count('class="mark"') == 1


def test_unknown_muscle_raises_unknown_muscle():
    from knoop.errors import UnknownMuscle

    with pytest.raises(UnknownMuscle):
        muscle_diagram_svg("no_such_muscle")


def test_cli_views_lists_every_view():
    out = CliRunner().invoke(main, ["chart", "views"])
    assert out.exit_code == 0
    for v in chart().views:
        assert v in out.output


def test_cli_renders_svg_and_png(tmp_path):
    r = CliRunner().invoke(main, ["chart", "render", "--view", "back", "-o",
                                  str(tmp_path / "b.svg")])
    assert r.exit_code == 0, r.output
    ET.fromstring((tmp_path / "b.svg").read_text())
    r = CliRunner().invoke(main, ["chart", "render", "--muscle", "trapezius", "--side", "left",
                                  "--lang", "en", "-o", str(tmp_path / "t.png")])
    assert r.exit_code == 0, r.output
    assert (tmp_path / "t.png").read_bytes()[:4] == b"\x89PNG"


@pytest.mark.parametrize("args", [["--view", "top"], ["--muscle", "no_such_muscle"]])
def test_cli_bad_view_or_muscle_exits_with_code_2(tmp_path, args):
    r = CliRunner().invoke(main, ["chart", "render", *args, "-o", str(tmp_path / "x.svg")])
    assert r.exit_code == 2


def test_cli_commands_have_help():
    for cmd in (["chart", "--help"], ["chart", "render", "--help"], ["chart", "views", "--help"]):
        assert CliRunner().invoke(main, cmd).exit_code == 0
