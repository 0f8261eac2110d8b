"""The body chart: template geometry, SVG rendering, strokes -> regions, muscle diagrams.

Pure: reads only its packaged template data (``data/chart-v*.json``, built by
``tools/build_chart.py``); imports ``knoop.kb`` for region names and muscle zones.

    from knoop.bodymap import chart, render_svg, muscle_diagram_svg, coverage, Stroke, RegionKey
"""

from __future__ import annotations

from knoop.bodymap.coverage import RegionCoverage, Stroke, coverage
from knoop.bodymap.diagram import muscle_diagram_svg, muscle_zones
from knoop.bodymap.model import CHART_VERSION, Chart, RegionKey, Shape, View, chart
from knoop.bodymap.render import (
    NRS_COLOURS,
    VIEW_TITLE,
    Fill,
    Mark,
    intensity_fill,
    png_from_svg,
    render_svg,
)

__all__ = [
    "CHART_VERSION", "NRS_COLOURS", "VIEW_TITLE", "Chart", "Fill", "Mark", "RegionCoverage",
    "RegionKey", "Shape", "Stroke", "View", "chart", "coverage", "intensity_fill",
    "muscle_diagram_svg", "muscle_zones", "png_from_svg", "render_svg",
]
