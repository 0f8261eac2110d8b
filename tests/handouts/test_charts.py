"""Charts for print: a cropped diagram carries only what it shows."""

from __future__ import annotations

import re

from knoop.handouts.charts import cropped_diagram_svg, diagram_svg


def _texts(svg: str) -> list[str]:
    return re.findall(r"<text\b[^>]*>([^<]*)</text>", svg)


def test_a_cropped_muscle_diagram_drops_the_title_and_legend_it_cannot_show() -> None:
    full = diagram_svg("trapezius", "right", "nl")
    assert "hoofdgebied" in _texts(full)  # the full figure has a legend line...
    assert "Monnikskapspier (rechts)" in _texts(full)  # ...and a title
    cropped = cropped_diagram_svg("trapezius", "right", "nl")
    assert sorted(_texts(cropped)) == ["L", "R"]  # only the corner side letters remain
    assert 'class="zone"' in cropped and 'class="mark"' in cropped  # the zones and X marks stay
    assert 'class="key"' in cropped and cropped.rstrip().endswith("</svg>")
