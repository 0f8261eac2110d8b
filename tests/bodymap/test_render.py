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
    temple = [p for p in root.iter(f"{NS}path") if p.get("data-region") == "temple"]
    fills = {p.get("data-side"): p.get("fill") for p in temple}
    assert fills["right"] == "#b3261e" and fills["left"] != "#b3261e"
    back = muscle_diagram_svg("trapezius", side="left", view="back")
    assert back.count('class="mark"') >= 3


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
