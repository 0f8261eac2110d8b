"""Close-ups are windows on existing views; lenses sit beside the head, hands and feet."""

from __future__ import annotations

import pytest
from shapely.geometry import box

from knoop.bodymap import chart
from knoop.bodymap.closeups import LENS_RADIUS, as_json, closeups, closeups_of, lenses
from knoop.errors import ChartError


def test_every_close_up_lies_on_its_view_and_shows_part_of_the_body() -> None:
    c = chart()
    for cu in closeups():
        v = c.view(cu.view)
        x, y, w, h = cu.box
        assert x >= 0 and y >= 0 and x + w <= v.width and y + h <= v.height, cu.id
        window = box(x, y, x + w, y + h)
        assert any(s.polygon.intersects(window) for s in c.shapes(cu.view)), cu.id
    assert len({cu.id for cu in closeups()}) == len(closeups())


def test_the_head_close_up_shows_the_whole_face_on_front_side_and_back() -> None:
    c = chart()
    for cid, view, regions in (("front.head", "front", {"temple", "eyebrow", "forehead", "chin"}),
                               ("lateral.head_right", "lateral", {"temple", "ear", "mastoid"}),
                               ("back.head", "back", {"occiput_base", "neck_back_upper"})):
        x, y, w, h = next(cu.box for cu in closeups() if cu.id == cid)
        window = box(x, y, x + w, y + h)
        for s in c.shapes(view):
            if s.region in regions and (view != "lateral" or s.side in ("right", None)):
                assert window.contains(s.polygon), (cid, s.key)


def test_a_paired_close_up_shows_the_client_s_own_side() -> None:
    c = chart()
    for cid, view, region, side in (("front.arm_right", "front", "antecubital", "right"),
                                    ("back.arm_right", "back", "olecranon", "right"),
                                    ("palm.left", "palm", "thenar", "left")):
        x, y, w, h = next(cu.box for cu in closeups() if cu.id == cid)
        shape = next(s for s in c.shapes(view) if s.key == (region, side))
        assert box(x, y, x + w, y + h).contains(shape.polygon), cid


def test_lenses_lie_outside_the_body_and_open_existing_close_ups() -> None:
    c = chart()
    ids = {cu.id for cu in closeups()}
    for ln in lenses():
        assert ln.closeup in ids and ln.target_view in c.views
        from shapely.geometry import Point
        from shapely.ops import unary_union

        body = unary_union([s.polygon for s in c.shapes(ln.view) if not s.deep])
        assert Point(ln.x, ln.y).distance(body) >= LENS_RADIUS, ln


def test_unknown_view_names_the_field_and_the_json_is_per_language() -> None:
    with pytest.raises(ChartError) as e:
        closeups_of("top")
    assert e.value.field == "view"
    nl, en = as_json("nl"), as_json("en")
    names = {i["id"]: i["name"] for g in nl["closeups"] for i in g["items"]}  # type: ignore[union-attr, index]
    assert names["front.head"] == "Hoofd en hals"
    assert en["lenses"][0]["name"] == "Zoom in on the head and neck"
