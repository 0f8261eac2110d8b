"""SVG rendering of the chart: region fills, trigger-point marks, R/L labels.

The SVG is self-contained (no scripts, no external references, no <style> element that could leak
into a host page), so it can be inlined in HTML and rendered by cairosvg and WeasyPrint.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal
from xml.sax.saxutils import escape, quoteattr

from knoop.bodymap.model import RegionKey, chart
from knoop.errors import ChartError

SKIN = "#f7f1ec"
REGION_LINE = "#d8cdc4"
OUTLINE = "#5b4f49"
DEEP_LINE = "#a39489"
LABEL = "#3b3330"

SIDE_WORD = {
    "nl": {"left": "links", "right": "rechts", None: ""},
    "en": {"left": "left", "right": "right", None: ""},
}
SIDE_LETTER = {"nl": {"right": "R", "left": "L"}, "en": {"right": "R", "left": "L"}}
VIEW_TITLE = {
    "nl": {"front": "Voorkant", "back": "Achterkant", "lateral": "Zijkant",
           "palm": "Handpalmen", "dorsum_hand": "Handruggen", "sole": "Voetzolen",
           "dorsum_foot": "Voetruggen"},
    "en": {"front": "Front", "back": "Back", "lateral": "Side", "palm": "Palms",
           "dorsum_hand": "Backs of the hands", "sole": "Soles", "dorsum_foot": "Tops of the feet"},
}


#: Pain intensity (NRS 1-10) as colours, light yellow to deep red: the one scale of the drawing
#: widget, the history, the handouts and the FHIR images.
NRS_COLOURS = ("#fff3a8", "#ffe07a", "#ffc457", "#ffa440", "#fb8230", "#f05f26", "#dc3d1f",
               "#c1231a", "#9f1214", "#7a0a0e")


@dataclass(frozen=True)
class Fill:
    """How to paint a region: a colour, an opacity and solid or stippled."""

    colour: str
    opacity: float = 1.0
    pattern: Literal["solid", "stipple"] = "solid"


@dataclass(frozen=True)
class Mark:
    """An X on the chart (a trigger point), in template coordinates, with a short label."""

    x: float
    y: float
    label: str = ""


def _region_name(region: str, lang: str) -> str:
    from knoop.kb.contract import contract

    r = contract().regions.get(region)
    if r is None:
        return region
    return r.nl if lang == "nl" else r.en


def _title(region: str, side: str | None, lang: str) -> str:
    from knoop.vocabulary import region_label

    return region_label(_region_name(region, lang), side, lang)


def _check_colour(colour: str) -> str:
    c = colour.strip()
    ok = (c.startswith("#") and len(c) in (4, 7, 9)
          and all(ch in "0123456789abcdefABCDEF" for ch in c[1:])) or c.isalpha()
    if not ok:
        raise ChartError(f"invalid colour '{colour}'", field="fill.colour",
                         allowed=["#rgb", "#rrggbb", "a CSS colour name"])
    return c


def render_svg(view: str, fills: Mapping[RegionKey, Fill] | None = None,
               marks: Sequence[Mark] = (), *, lang: str = "nl", interactive: bool = False,
               width: float | None = None, title: str | None = None,
               legend: Sequence[tuple[Fill | None, str]] = (),
               shapes: Sequence[tuple[str, Fill]] = (),
               crop: tuple[float, float, float, float] | None = None) -> str:
    """Render one view as an SVG string. ``fills`` paints regions by (region, side); ``shapes``
    paints free shapes (SVG path data, e.g. smooth referral zones) over the regions; ``marks``
    draws X marks; ``legend`` adds a line of (swatch, text) below the figure; ``crop``
    (x, y, width, height in template units) shows only that part of the view (no title or legend
    then)."""
    if lang not in ("nl", "en"):
        raise ChartError(f"unknown language '{lang}'", field="lang", allowed=["nl", "en"])
    c = chart()
    v = c.view(view)
    fills = dict(fills or {})
    known = c.keys()
    for key in fills:
        if tuple(key) not in known:
            raise ChartError(f"unknown region key {key!r}", field="fills")
    legend_h = 34.0 if legend else 0.0
    title_h = 30.0 if title else 0.0
    vw, vh = v.width, v.height + legend_h + title_h
    box = (0.0, 0.0, vw, vh)
    if crop is not None:
        if title or legend:
            raise ChartError("a cropped chart has no title or legend", field="crop")
        box = tuple(float(n) for n in crop)  # type: ignore[assignment]
        vw, vh = box[2], box[3]
    px_w = float(width) if width else vw
    px_h = px_w * vh / vw
    seed = hashlib.sha1(repr((view, sorted(fills.items(), key=repr), list(marks), title))
                        .encode()).hexdigest()[:8]

    defs: list[str] = []
    pattern_ids: dict[tuple[str, float], str] = {}

    def paint(f: Fill) -> tuple[str, str]:
        col = _check_colour(f.colour)
        op = max(0.0, min(1.0, float(f.opacity)))
        if f.pattern == "stipple":
            k = (col, op)
            if k not in pattern_ids:
                pid = f"knoop-{seed}-st{len(pattern_ids)}"
                pattern_ids[k] = pid
                defs.append(
                    f'<pattern id="{pid}" width="6" height="6" patternUnits="userSpaceOnUse">'
                    f'<rect width="6" height="6" fill="{SKIN}"/>'
                    f'<rect width="6" height="6" fill="{col}" fill-opacity="{op * 0.35:.2f}"/>'
                    f'<circle cx="1.5" cy="1.5" r="1.1" fill="{col}" fill-opacity="{op:.2f}"/>'
                    f'<circle cx="4.5" cy="4.5" r="1.1" fill="{col}" fill-opacity="{op:.2f}"/>'
                    f"</pattern>")
            return f"url(#{pattern_ids[k]})", "1"
        if f.pattern != "solid":
            raise ChartError(f"unknown fill pattern '{f.pattern}'", field="fill.pattern",
                             allowed=["solid", "stipple"])
        return col, f"{op:.2f}"

    body: list[str] = []
    oy = title_h
    if title:
        body.append(f'<text x="{vw / 2:g}" y="21" text-anchor="middle" font-size="17" '
                    f'font-weight="600" font-family="Helvetica, Arial, sans-serif" '
                    f'fill="{LABEL}">{escape(title)}</text>')
    body.append(f'<g transform="translate(0 {oy:g})">')
    body.append(f'<path d="{v.silhouette}" fill="{SKIN}" stroke="none"/>')
    if v.context:  # drawn body parts that carry no regions (the forearm and hand on lateral)
        body.append(f'<path d="{v.context}" fill="{SKIN}" stroke="none" pointer-events="none"/>')
    extra = ' tabindex="0" role="button"' if interactive else ""
    deep_shapes = []
    for s in c.shapes(view):
        if s.deep:
            deep_shapes.append(s)
            continue
        f = fills.get(s.key)
        if f is not None:
            colour, op = paint(f)
            style = f'fill="{colour}" fill-opacity="{op}"'
        else:
            style = f'fill="{SKIN}"'
        t = _title(s.region, s.side, lang)
        aria = f" aria-label={quoteattr(t)}" if interactive else ""
        body.append(
            f'<path class="region" d="{c.path(s)}" {style} stroke="{REGION_LINE}" '
            f'stroke-width="0.7" stroke-linejoin="round" data-region="{s.region}" '
            f'data-side="{s.side or "midline"}" data-view="{view}"{extra}{aria}>'
            f"<title>{escape(t)}</title></path>")
    for d, f in shapes:  # smooth zones: solid with a darker rim, or stippled with a dashed one
        colour, op = paint(f)
        rim = (f'stroke="{_check_colour(f.colour)}" stroke-width="1.2" stroke-dasharray="3 2"'
               if f.pattern == "stipple"
               else 'stroke="#6e1410" stroke-width="1"' if f.colour == "#b3261e" else 'stroke="none"')
        body.append(f'<path class="zone" d="{d}" fill="{colour}" fill-opacity="{op}" {rim} '
                    f'stroke-linejoin="round" pointer-events="none"/>')
    if v.lines:
        body.append(f'<path d="{v.lines}" fill="none" stroke="{OUTLINE}" stroke-width="1.1" '
                    f'stroke-linecap="round" pointer-events="none"/>')
    body.append(f'<path d="{v.outline or v.silhouette}" fill="none" stroke="{OUTLINE}" '
                f'stroke-width="1.6" '
                f'stroke-linejoin="round" pointer-events="none"/>')
    for s in deep_shapes:
        f = fills.get(s.key)
        if f is not None:
            colour, op = paint(f)
            style = (f'fill="{colour}" fill-opacity="{op}" stroke="{OUTLINE}" '
                     f'stroke-width="0.7" stroke-dasharray="2 1.2"')
        else:  # a faint dotted anchor: it must not hide a painted zone or crowd the face
            style = (f'fill="#ffffff" fill-opacity="0" stroke="{DEEP_LINE}" '
                     f'stroke-width="0.55" stroke-dasharray="1.4 1.2"')
        t = _title(s.region, s.side, lang)
        aria = f" aria-label={quoteattr(t)}" if interactive else ""
        body.append(
            f'<path class="region deep" d="{c.path(s)}" {style} '
            f'data-region="{s.region}" '
            f'data-side="{s.side or "midline"}" data-view="{view}"{extra}{aria}>'
            f"<title>{escape(t)}</title></path>")
    for m in marks:
        if not (math.isfinite(m.x) and math.isfinite(m.y)):
            raise ChartError("mark coordinates must be finite numbers", field="marks")
        r = 6.0
        x_path = (f'M{m.x - r:.1f} {m.y - r:.1f} L{m.x + r:.1f} {m.y + r:.1f} '
                  f'M{m.x - r:.1f} {m.y + r:.1f} L{m.x + r:.1f} {m.y - r:.1f}')
        # a white halo with a thin dark rim keeps the X readable on dark red, on light
        # stipple and on bare skin, on screen and in print
        body.append(
            f'<g class="mark" pointer-events="none">'
            f'<path d="{x_path}" stroke="#1d1b1a" stroke-opacity="0.55" stroke-width="7.6" '
            f'stroke-linecap="round"/>'
            f'<path d="{x_path}" stroke="#ffffff" stroke-width="6.2" stroke-linecap="round"/>'
            f'<path d="{x_path}" stroke="#1d1b1a" stroke-width="2.4" stroke-linecap="round"/>'
            + (f"<title>{escape(m.label)}</title>" if m.label else "") + "</g>")
    # R / L labels: the client's own sides
    for side, (x, y) in v.labels.items():
        letter = SIDE_LETTER[lang][side]
        body.append(
            f'<g class="side-label" data-side="{side}" pointer-events="none">'
            f'<circle cx="{x:g}" cy="{y - 7:g}" r="15" fill="#ffffff" stroke="{LABEL}" '
            f'stroke-width="1.4"/>'
            f'<text x="{x:g}" y="{y:g}" text-anchor="middle" font-size="19" font-weight="700" '
            f'font-family="Helvetica, Arial, sans-serif" fill="{LABEL}">{letter}</text>'
            f"<title>{escape(SIDE_WORD[lang][side])}</title></g>")
    body.append("</g>")
    if legend:
        ly = oy + v.height + 22
        x = 20.0
        for f, text in legend:
            if f is None:
                lx = f'M{x + 2:g} {ly - 11:g} l10 10 m-10 0 l10 -10'
                body.append(
                    f'<path d="{lx}" stroke="#1d1b1a" stroke-opacity="0.55" stroke-width="7.6" '
                    f'stroke-linecap="round"/>'
                    f'<path d="{lx}" stroke="#ffffff" stroke-width="6.2" stroke-linecap="round"/>'
                    f'<path d="{lx}" stroke="#1d1b1a" stroke-width="2.4" stroke-linecap="round"/>')
            else:
                colour, op = paint(f)
                body.append(f'<rect x="{x:g}" y="{ly - 13:g}" width="14" height="14" '
                            f'fill="{colour}" fill-opacity="{op}" stroke="{OUTLINE}" '
                            f'stroke-width="0.6"/>')
            body.append(f'<text x="{x + 20:g}" y="{ly:g}" font-size="13" '
                        f'font-family="Helvetica, Arial, sans-serif" fill="{LABEL}">'
                        f"{escape(text)}</text>")
            x += 34 + 7.0 * len(text)
    label = title or VIEW_TITLE[lang].get(view, view)
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" '
            f'viewBox="{box[0]:g} {box[1]:g} {vw:g} {vh:g}" '
            f'width="{px_w:g}" height="{px_h:.1f}" class="knoop-chart" role="img" '
            f'aria-label={quoteattr(label)} data-chart-version="{c.version}" '
            f'data-view="{view}">')
    parts = [head, f"<title>{escape(label)}</title>"]
    if defs:
        parts.append("<defs>" + "".join(defs) + "</defs>")
    parts.extend(body)
    parts.append("</svg>")
    return "\n".join(parts)


def png_from_svg(svg: str, width: int) -> bytes:
    """Rasterise an SVG string to PNG bytes of the given pixel width (via cairosvg)."""
    import cairosvg

    return cairosvg.svg2png(bytestring=svg.encode("utf-8"), output_width=int(width),
                            background_color="white")


def intensity_fill(intensity: int | None, opacity: float = 0.92) -> Fill:
    """The fill for a region painted at NRS ``intensity`` (1-10; missing means 5)."""
    n = min(10, max(1, int(intensity or 5)))
    return Fill(NRS_COLOURS[n - 1], opacity)
