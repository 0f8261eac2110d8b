"""Body charts for print: the chart SVG from :func:`knoop.bodymap.render_svg`, made light.

WeasyPrint parses every path point of an inline SVG in Python; a full view has ~8,000 points
(~0.2 s per chart). For print we keep the SVG that ``render_svg`` produced but replace what is the
same on every chart of a view (skin, region lines, outline, R/L labels) by one cached PNG of the
bare view, and keep as vector only what is specific to this chart: the painted regions, the
X marks, the title and the legend. The result looks the same and costs a few milliseconds.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from knoop.bodymap import (
    Fill,
    Mark,
    chart,
    muscle_diagram_svg,
    muscle_zones,
    png_from_svg,
    render_svg,
)
from knoop.bodymap.render import OUTLINE, SKIN
from knoop.vocabulary import VIEWS

if TYPE_CHECKING:
    import cairocffi

#: NRS 1..10 as colour, light yellow -> deep red: the same scale as the drawing page.
#: Views a session chart may use, in order of preference.
VIEW_ORDER = VIEWS
BACKGROUND_PX = 900  # pixels across the bare view; ~380 dpi at the 6 cm a chart gets on paper

_REGION = re.compile(r'<path class="region[^"]*"[^>]*>.*?</path>\n?', re.DOTALL)
_BARE = re.compile(  # silhouette, context (skin, no stroke), arm lines and outline
    rf'<path d="[^"]*" (?:fill="{SKIN}" stroke="none"(?: pointer-events="none")?|'
    rf'fill="none" stroke="{OUTLINE}"[^>]*)/>\n?')
_TITLE = re.compile(r"<title>[^<]*</title>")
_SILHOUETTE = re.compile(rf'<path d="[^"]*" fill="{SKIN}" stroke="none"/>')


#: URL scheme of the cached background images (served by :mod:`knoop.handouts.pdf`).
SCHEME = "knoop-chart"


#: The backgrounds pre-rendered at build time (``tools/render_backgrounds.py``), one per view,
#: named after a hash of the bare SVG they show: a chart that changed finds no file and is
#: rendered at run time (slow: ~0.3 s per view with cairosvg) until they are made again.
BACKGROUNDS = Path(__file__).parent / "backgrounds"


def bare_svg(view: str) -> str:
    """The bare view: skin, region lines, outline; no R/L (the vector layer draws those)."""
    chart().view(view)  # unknown views raise ChartError
    return re.sub(r'<g class="side-label".*?</g>\n?', "", render_svg(view), flags=re.DOTALL)


def background_file(view: str) -> Path:
    """Where the pre-rendered background of ``view``'s current chart is (or would be)."""
    digest = hashlib.sha256(bare_svg(view).encode("utf-8")).hexdigest()[:16]
    return BACKGROUNDS / f"{view}-{digest}.jpg"


def render_background(view: str) -> bytes:
    """Rasterise the bare view to the JPEG :func:`background_image` serves."""
    import io

    from PIL import Image

    img = Image.open(io.BytesIO(png_from_svg(bare_svg(view), BACKGROUND_PX))).convert("RGB")
    out = io.BytesIO()
    img.save(out, format="JPEG", quality=92, subsampling=0)
    return out.getvalue()


@lru_cache(maxsize=32)
def background_image(view: str) -> bytes:
    """The bare view as a JPEG: the pre-rendered file, else rendered once per process. JPEG
    because WeasyPrint embeds it as is, where it would re-encode a PNG for every document
    (~40 ms per image)."""
    packaged = background_file(view)
    if packaged.is_file():
        return packaged.read_bytes()
    return render_background(view)


def background_uri(view: str) -> str:
    return f"{SCHEME}:{view}"


def background_data_uri(view: str) -> str:
    """The same image as a data URI, for SVG used outside a PDF."""
    return "data:image/jpeg;base64," + base64.b64encode(background_image(view)).decode("ascii")


def for_print(svg: str, view: str, *, standalone: bool = False) -> str:
    """``svg`` (from ``render_svg``/``muscle_diagram_svg`` for ``view``) with the parts every
    chart of the view shares replaced by the cached background image."""
    v = chart().view(view)

    def keep_painted(m: re.Match[str]) -> str:
        t = m.group(0)
        return "" if f'fill="{SKIN}"' in t or 'fill-opacity="0"' in t else t

    out = _REGION.sub(keep_painted, svg)
    image = (f'<image x="0" y="0" width="{v.width:g}" height="{v.height:g}" '
             f'href="{background_data_uri(view) if standalone else background_uri(view)}"/>')
    out, n = _SILHOUETTE.subn(lambda _m: image, out, count=1)
    if n != 1:  # render_svg changed shape: fall back to the full vector chart
        return svg
    head, sep, tail = out.partition(image)
    # tooltips are for screens; on paper they only cost layout time
    return _TITLE.sub("", head + sep + _BARE.sub("", tail))


@lru_cache(maxsize=16)
def _present(view: str) -> frozenset[tuple[str, str | None]]:
    return frozenset(s.key for s in chart().shapes(view))


def as_image(svg: str, css_class: str = "") -> str:
    """An ``<img>`` with the SVG as data URI: WeasyPrint then parses it as XML (fast) instead
    of as part of the HTML, and skips the CSS cascade for its elements. For long documents."""
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    cls = f' class="{css_class}"' if css_class else ""
    return f'<img{cls} alt="" src="data:image/svg+xml;base64,{data}">'


def chart_svg(view: str, fills: Mapping[tuple[str, str | None], Fill] | None = None,
              marks: Sequence[Mark] = (), *, lang: str = "nl", width: float | None = None,
              title: str | None = None,
              legend: Sequence[tuple[Fill | None, str]] = (),
              shapes: Sequence[tuple[str, Fill]] = ()) -> str:
    """``render_svg`` for print (see :func:`for_print`)."""
    present = _present(view)
    fills = {k: f for k, f in (fills or {}).items() if k in present}
    return for_print(render_svg(view, fills, marks, lang=lang, width=width, title=title,
                                legend=legend, shapes=shapes), view)


@lru_cache(maxsize=512)
def diagram_svg(muscle: str, side: str, lang: str, width: float | None = None) -> str:
    """A muscle's referral diagram (``muscle_diagram_svg``) for print; cached per muscle."""
    svg = muscle_diagram_svg(muscle, side=side, lang=lang, width=width)
    view = re.search(r'data-view="([a-z_]+)"', svg)
    return for_print(svg, view.group(1)) if view else svg


_VIEWBOX = re.compile(r'viewBox="0 0 ([\d.]+) ([\d.]+)" width="[\d.]+" height="[\d.]+"')
_OFFSET = re.compile(r'<g transform="translate\(0 ([\d.]+)\)">')
_TEXT = re.compile(r"<text\b[^>]*>[^<]*</text>\n?")


def crop(svg: str, view: str, keys: Iterable[tuple[str, str | None]], *,
         aspect: float = 0.8, margin: float = 40.0, min_height: float = 320.0,
         lang: str = "nl") -> str:
    """Zoom ``svg`` (one view) in on the regions ``keys``: a viewBox around them with
    ``margin``, at least ``min_height`` tall, width/height = ``aspect``. The figure's own title
    and legend fall outside (the page gives its own); R and L are redrawn in the top corners
    so the client's sides stay marked."""
    from shapely.ops import unary_union

    v = chart().view(view)
    shapes = {s.key: s.polygon for s in chart().shapes(view)}
    geoms = [shapes[k] for k in keys if k in shapes]
    if not geoms:
        return svg
    minx, miny, maxx, maxy = unary_union(geoms).bounds
    m = _OFFSET.search(svg)
    oy = float(m.group(1)) if m else 0.0
    h = max(maxy - miny + 2 * margin, min_height, (maxx - minx + 2 * margin) / aspect)
    w = h * aspect
    if w > v.width:
        w, h = v.width, v.width / aspect
    cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
    x0 = min(max(cx - w / 2, 0.0), max(0.0, v.width - w))
    y0 = min(max(cy - h / 2, 0.0), max(0.0, v.height - h)) + oy
    letters = []
    from knoop.bodymap.render import LABEL, SIDE_LETTER

    half = v.width / 2
    shows = {"viewer_left": x0 < half - 60, "viewer_right": x0 + w > half + 60}
    for side, (lx, _ly) in v.labels.items():
        where = "viewer_left" if lx < half else "viewer_right"
        if not shows[where]:
            continue  # the crop shows nothing of that half (e.g. one figure of the side view)
        x = x0 + 22 if where == "viewer_left" else x0 + w - 22
        letters.append(
            f'<g class="side-label"><circle cx="{x:.1f}" cy="{y0 + 20:.1f}" r="15" fill="#ffffff" '
            f'stroke="{LABEL}" stroke-width="1.4"/><text x="{x:.1f}" y="{y0 + 27:.1f}" '
            f'text-anchor="middle" font-size="19" font-weight="700" '
            f'font-family="Helvetica, Arial, sans-serif" fill="{LABEL}">'
            f'{SIDE_LETTER[lang][side]}</text></g>')
    out = _VIEWBOX.sub(f'viewBox="{x0:.1f} {y0:.1f} {w:.1f} {h:.1f}" width="{w:.1f}" '
                       f'height="{h:.1f}"', _without_title_and_legend(svg), count=1)
    # drop the full-view R/L labels (they may sit outside the crop) and add the corner ones
    out = re.sub(r'<g class="side-label".*?</g>\n?', "", out, flags=re.DOTALL)
    if w < v.width * 0.9 or h < v.height * 0.9:  # a real crop: a small full-body key shows where
        letters.append(_key(view, (x0, y0, w, h), (x0, y0 - oy, w, h)))
    return out.replace("</svg>", "".join(letters) + "</svg>")


def _without_title_and_legend(svg: str) -> str:
    """``svg`` without the figure's title (above the view) and legend (below it): a crop never
    shows them, and WeasyPrint would still lay out their text for every document."""
    m = _OFFSET.search(svg)
    end = svg.rfind("</g>")
    if not m or end < m.end() or not svg.rstrip().endswith("</svg>"):
        return svg
    head = _TEXT.sub("", svg[:m.start()])
    return head + svg[m.start():end + 4] + "\n</svg>"


def _key(view: str, at: tuple[float, float, float, float],
         crop: tuple[float, float, float, float]) -> str:
    """The whole view, small, in the bottom-right corner of ``at`` (viewBox units), with the
    cropped part ``crop`` (template units) outlined: the cached background image, no paths."""
    v = chart().view(view)
    x, y, w, h = at
    kw = min(w, h) * 0.28
    kh = kw * v.height / v.width
    kx, ky = x + w - kw - 6, y + h - kh - 6
    cx, cy, cw, ch = crop
    return (f'<svg class="key" x="{kx:.1f}" y="{ky:.1f}" width="{kw:.1f}" height="{kh:.1f}" '
            f'viewBox="0 0 {v.width:g} {v.height:g}">'
            f'<rect width="{v.width:g}" height="{v.height:g}" fill="#ffffff" stroke="#a39489" '
            f'stroke-width="8"/><image x="0" y="0" width="{v.width:g}" height="{v.height:g}" '
            f'href="{background_uri(view)}"/>'
            f'<rect x="{cx:.1f}" y="{cy:.1f}" width="{cw:.1f}" height="{ch:.1f}" fill="none" '
            f'stroke="#1a5fb4" stroke-width="14"/></svg>')


@lru_cache(maxsize=512)
def cropped_diagram_svg(muscle: str, side: str, lang: str) -> str:
    """A muscle's diagram for print, zoomed in on its zones and trigger points."""
    svg = diagram_svg(muscle, side, lang)
    view = re.search(r'data-view="([a-z_]+)"', svg)
    if not view:
        return svg
    essential, spill, points = muscle_zones(muscle, side)
    keys = set(essential) | set(spill)
    for _tp, locs in points:
        keys |= set(locs)
    return crop(svg, view.group(1), keys, lang=lang)


@lru_cache(maxsize=32)
def _background_surface(view: str, width: int) -> cairocffi.ImageSurface:
    """The bare view with its R/L labels at ``width`` pixels as a cairo surface, made once
    per process (the labels are rasterised here, not for every drawing)."""
    import io

    import cairocffi

    return cairocffi.ImageSurface.create_from_png(io.BytesIO(png_from_svg(render_svg(view),
                                                                          width)))


def drawing_png(view: str, fills: Mapping[tuple[str, str | None], Fill], *,
                width: int = 360) -> bytes:
    """The painted regions of one view as PNG: the cached bare view with only the painted
    regions rasterised on top, saved as a 64-colour palette PNG (a full ``png_from_svg`` of a
    view costs ~0.1 s and ~60 kB; this ~4 ms and ~15 kB)."""
    import io

    import cairocffi
    from cairosvg.parser import Tree
    from cairosvg.surface import PNGSurface
    from PIL import Image

    overlay_svg = re.sub(r'<image [^>]*/>|<g class="side-label".*?</g>', "",
                         chart_svg(view, fills), flags=re.DOTALL)
    bg = _background_surface(view, width)
    w, h = bg.get_width(), bg.get_height()
    overlay = PNGSurface(Tree(bytestring=overlay_svg.encode("utf-8")), None, 96,
                         output_width=w, output_height=h)
    canvas = cairocffi.ImageSurface(cairocffi.FORMAT_RGB24, w, h)
    ctx = cairocffi.Context(canvas)
    ctx.set_source_surface(bg)
    ctx.paint()
    ctx.set_source_surface(overlay.cairo)
    ctx.paint()
    canvas.flush()
    img = Image.frombuffer("RGB", (w, h), bytes(canvas.get_data()), "raw", "BGRX",
                           canvas.get_stride(), 1)
    out = io.BytesIO()
    img.quantize(colors=64, method=Image.Quantize.FASTOCTREE).save(out, format="PNG",
                                                                   compress_level=1)
    return out.getvalue()
