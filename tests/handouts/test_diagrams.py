"""The muscle diagrams pre-rendered for print (tools/render_diagrams.py) are current, and a
handout embeds them as pictures."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageChops

from knoop.handouts.diagrams import (
    DIAGRAMS,
    SCHEME,
    WIDTH_PX,
    diagram_html,
    diagram_image,
    entry,
    manifest,
    render_diagram,
    svg_digest,
)
from knoop.kb import KB_VERSION, knowledge_base

RUN = "run `python tools/render_diagrams.py`"


def test_every_muscle_and_side_has_a_picture_made_from_this_knowledge_base() -> None:
    assert manifest().get("kb_version") == KB_VERSION, RUN
    missing = [f"{m}/{s}" for m in knowledge_base().muscles for s in ("left", "right")
               if entry(m, s) is None]
    assert not missing, f"{RUN}: no picture for {missing[:5]}"
    files = {e["file"] for e in manifest()["diagrams"].values()}
    assert {p.name for p in DIAGRAMS.glob("*.jpg")} == files, "stale diagram files are left"


@pytest.mark.parametrize("muscle", ["trapezius", "gluteus_medius", "infraspinatus",
                                    "soleus", "masseter", "abductor_digiti_minimi_hand"])
def test_a_picture_was_made_from_the_diagram_as_it_is_drawn_now(muscle: str) -> None:
    for side in ("left", "right"):
        found = entry(muscle, side)
        assert found is not None
        assert found["svg"] == svg_digest(muscle, side), f"{RUN}: {muscle}/{side} changed"


def test_a_pre_rendered_diagram_shows_what_rendering_it_now_shows() -> None:
    found = entry("levator_scapulae", "right")
    assert found is not None
    packaged = Image.open(io.BytesIO(diagram_image(found["file"]))).convert("L")
    now = Image.open(io.BytesIO(render_diagram("levator_scapulae", "right"))).convert("L")
    assert packaged.size == now.size == (WIDTH_PX, found["height"])
    diff = ImageChops.difference(packaged, now)
    # JPEG noise stays under 24 grey levels; a few pixels may differ more, depending on what
    # cairo rasterised before in the same process (after tests/bodymap/test_render.py: 11
    # pixels). Another muscle's diagram differs in 34,000-70,000.
    changed = sum(diff.histogram()[24:])
    assert changed <= packaged.size[0] * packaged.size[1] // 1000, (
        f"{changed} pixels differ more than JPEG noise")


def test_the_handout_shows_the_picture_in_place_of_the_svg_in_both_languages() -> None:
    for lang in ("nl", "en"):
        html = diagram_html("trapezius", "right", lang)
        assert html.startswith(f'<img class="diagram-img" alt="" src="{SCHEME}:trapezius-right-')
        assert "<svg" not in html


def test_only_packaged_diagram_files_are_served() -> None:
    for name in ("../pdf.py", "manifest.json", "/etc/passwd"):
        with pytest.raises((ValueError, FileNotFoundError)):
            diagram_image(name)


def test_a_muscle_side_without_a_picture_has_no_entry() -> None:
    assert entry("trapezius", "middle") is None
    assert entry("no_such_muscle", "right") is None
