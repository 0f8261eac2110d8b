"""The print charts' pre-rendered backgrounds (tools/render_backgrounds.py) are current."""

from __future__ import annotations

import io

from PIL import Image, ImageChops

from knoop.handouts.charts import BACKGROUNDS, background_file, background_image, render_background
from knoop.vocabulary import VIEWS


def test_every_view_has_a_pre_rendered_background_of_its_current_chart() -> None:
    missing = [v for v in VIEWS if not background_file(v).is_file()]
    assert not missing, f"run `python tools/render_backgrounds.py`: no current file for {missing}"
    assert sorted(p.name for p in BACKGROUNDS.glob("*.jpg")) == \
        sorted(background_file(v).name for v in VIEWS), "stale background files are left"


def test_a_pre_rendered_background_shows_what_rendering_it_now_shows() -> None:
    packaged = Image.open(io.BytesIO(background_image("palm"))).convert("L")
    now = Image.open(io.BytesIO(render_background("palm"))).convert("L")
    assert packaged.size == now.size
    diff = ImageChops.difference(packaged, now)
    assert max(diff.histogram()[24:]) == 0, "more than JPEG noise differs"
