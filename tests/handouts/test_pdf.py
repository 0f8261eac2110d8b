"""The PDF machinery: the warm-up a server does before its first handout."""

from __future__ import annotations

import sys

from knoop.handouts.pdf import TEMPLATES, environment, warm_up


def test_the_warm_up_compiles_every_handout_template_and_loads_the_image_and_svg_code() -> None:
    warm_up()
    compiled = {key[1] for key in (environment().cache or {})}
    assert {"aftercare.html", "base.html", "dossier.html", "leaflet.html"} <= compiled
    assert {t.name for t in TEMPLATES.glob("*.html")} <= compiled
    # the chart in the warm-up page made WeasyPrint load its JPEG decoder and SVG drawing
    assert "PIL.JpegImagePlugin" in sys.modules and "weasyprint.svg.text" in sys.modules
