"""The body chart: template geometry, SVG rendering, strokes -> regions, muscle diagrams.

Pure: reads only its packaged template data (``data/chart-v*.json``, built by
``tools/build_chart.py``); imports ``knoop.kb`` for region names and muscle zones.

    from knoop.bodymap import chart, render_svg, muscle_diagram_svg, coverage, Stroke, RegionKey
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from knoop.bodymap.diagram import muscle_diagram_svg, muscle_zones
    from knoop.bodymap.model import CHART_VERSION, Chart, RegionKey, Shape, View, chart
    from knoop.bodymap.paint import RegionCoverage, Stroke, coverage
    from knoop.bodymap.render import (
        NRS_COLOURS,
        VIEW_TITLE,
        Fill,
        Mark,
        intensity_fill,
        png_from_svg,
        render_svg,
    )

#: Where each public name lives. Loaded on first use (PEP 562), so importing a light part of
#: the package (``knoop.bodymap.adjacency``) does not load the geometry library.
_WHERE = {
    "RegionCoverage": "paint", "Stroke": "paint", "coverage": "paint",
    "muscle_diagram_svg": "diagram", "muscle_zones": "diagram",
    "CHART_VERSION": "model", "Chart": "model", "RegionKey": "model", "Shape": "model",
    "View": "model", "chart": "model",
    "NRS_COLOURS": "render", "VIEW_TITLE": "render", "Fill": "render", "Mark": "render",
    "intensity_fill": "render", "png_from_svg": "render", "render_svg": "render",
}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(import_module(f"knoop.bodymap.{_WHERE[name]}"), name)
    raise AttributeError(f"module 'knoop.bodymap' has no attribute '{name}'")


__all__ = [
    "CHART_VERSION", "NRS_COLOURS", "VIEW_TITLE", "Chart", "Fill", "Mark", "RegionCoverage",
    "RegionKey", "Shape", "Stroke", "View", "chart", "coverage", "intensity_fill",
    "muscle_diagram_svg", "muscle_zones", "png_from_svg", "render_svg",
]
