"""Muscle diagrams for print as pre-rendered pictures.

A handout shows, per treated muscle, its referral diagram (:func:`charts.cropped_diagram_svg`).
As inline SVG it cost every PDF ~35 ms per muscle (WeasyPrint parses, styles and draws its paths)
and the first PDF of a process ~60 ms more per muscle (the zones' shapely smoothing). The
pictures are made once, at build time (``tools/render_diagrams.py``), as JPEG files, which
WeasyPrint embeds as they are: ``diagrams/manifest.json`` names the file of each muscle and
side, with a hash of the SVG it shows and the knowledge base version it was made from. A
muscle without a current file (a new knowledge base before the tool has run) is printed as
vector SVG, as before; ``tests/handouts/test_diagrams.py`` fails until the files are made again.
"""

from __future__ import annotations

import hashlib
import json
import re
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from knoop.handouts.charts import background_data_uri, cropped_diagram_svg
from knoop.kb import KB_VERSION

DIAGRAMS = Path(__file__).parent / "diagrams"
MANIFEST = DIAGRAMS / "manifest.json"
#: URL scheme of the pictures in a document (served by :mod:`knoop.handouts.pdf`).
SCHEME = "knoop-diagram"
#: Pixels across: 44 mm on paper at ~250 dpi, about the resolution of the background image in
#: the cropped part of the view.
WIDTH_PX = 440
QUALITY = 88

_LANG_ONLY = re.compile(r' aria-label="[^"]*"|<title>[^<]*</title>|(?<=knoop-)[0-9a-f]{8}-')


def svg_digest(muscle: str, side: str) -> str:
    """A hash of the diagram as printed, the same for every language (only the screen-reader
    label, tooltips and the pattern IDs differ, and a picture has none of them)."""
    svg = _LANG_ONLY.sub("", cropped_diagram_svg(muscle, side, "nl"))
    return hashlib.sha256(svg.encode("utf-8")).hexdigest()[:16]


@cache
def manifest() -> dict[str, Any]:
    """``{"kb_version": ..., "diagrams": {"muscle/side": {"file", "svg", "width", "height"}}}``
    ({} without files)."""
    if not MANIFEST.is_file():
        return {}
    data: dict[str, Any] = json.loads(MANIFEST.read_text("utf-8"))
    return data


def entry(muscle: str, side: str) -> dict[str, Any] | None:
    """The picture of ``muscle`` on ``side`` if one was made from this knowledge base."""
    m = manifest()
    if m.get("kb_version") != KB_VERSION:
        return None
    found: dict[str, Any] | None = m.get("diagrams", {}).get(f"{muscle}/{side}")
    return found if found and (DIAGRAMS / found["file"]).is_file() else None


@lru_cache(maxsize=512)
def diagram_image(name: str) -> bytes:
    """The bytes of the picture file ``name`` (from :func:`entry`); unknown names raise."""
    path = (DIAGRAMS / name).resolve()
    if not path.is_relative_to(DIAGRAMS.resolve()) or path.suffix != ".jpg":
        raise ValueError(f"no diagram {name!r}")
    return path.read_bytes()


def diagram_html(muscle: str, side: str, lang: str) -> str:
    """What a handout shows for the muscle: its picture, or the vector SVG without one."""
    e = entry(muscle, side)
    if e is None:
        return cropped_diagram_svg(muscle, side, lang)
    return (f'<img class="diagram-img" alt="" src="{SCHEME}:{e["file"]}" '
            f'width="{e["width"]}" height="{e["height"]}">')


def render_diagram(muscle: str, side: str) -> bytes:
    """Rasterise the diagram (as the vector version prints it) to the JPEG that is shipped."""
    import io

    import cairosvg
    from PIL import Image

    svg = re.sub(r'href="knoop-chart:([a-z_]+)"',
                 lambda m: f'href="{background_data_uri(m.group(1))}"',
                 cropped_diagram_svg(muscle, side, "nl"))
    png = cairosvg.svg2png(bytestring=svg.encode("utf-8"), output_width=WIDTH_PX,
                           background_color="white")
    out = io.BytesIO()
    Image.open(io.BytesIO(png)).convert("RGB").save(out, format="JPEG", quality=QUALITY,
                                                     subsampling=0, optimize=True)
    return out.getvalue()
