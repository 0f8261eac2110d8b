"""The PDF machinery: the warm-up a server does before its first handout, and the memory a
document leaves behind in a server."""

from __future__ import annotations

import subprocess
import sys

from knoop.handouts.pdf import TEMPLATES, environment, warm_up


def test_the_warm_up_compiles_every_handout_template_and_loads_the_image_and_svg_code() -> None:
    warm_up()
    compiled = {key[1] for key in (environment().cache or {})}
    assert {"aftercare.html", "base.html", "dossier.html", "leaflet.html"} <= compiled
    assert {t.name for t in TEMPLATES.glob("*.html")} <= compiled
    # the chart in the warm-up page made WeasyPrint load its JPEG decoder and SVG drawing
    assert "PIL.JpegImagePlugin" in sys.modules and "weasyprint.svg.text" in sys.modules


LEFT_BEHIND = """
import gc, sys
from knoop.handouts.pdf import write_pdf
write_pdf("<p>warm</p>")
gc.collect()
if sys.argv[1] == "frozen":
    gc.freeze()
html = "<h1>Nazorg</h1>" + "<ul>" + "<li>Blijf rustig <b>bewegen</b>.</li>" * 120 + "</ul>"
write_pdf(html)
print(gc.collect())  # what the PDF left for the collector
"""


def test_in_a_frozen_server_process_a_pdf_leaves_no_reference_cycles_behind() -> None:
    def left(mode: str) -> int:
        out = subprocess.run([sys.executable, "-c", LEFT_BEHIND, mode], check=True,
                             capture_output=True, text=True).stdout
        return int(out.split()[-1])

    assert left("frozen") < 100  # collected right after the document
    assert left("plain") > 1000  # unfrozen (CLI): left to Python's own collector
