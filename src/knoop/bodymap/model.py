"""The chart template: views, region shapes, keys, adjacency and areas.

Pure: reads only the packaged ``data/chart-v1.json`` (written by ``tools/build_chart.py``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache, cached_property
from importlib import resources

from shapely.geometry import MultiPolygon, Polygon
from shapely.strtree import STRtree

from knoop.errors import ChartError

#: The template version that new drawings are made on.
CHART_VERSION = "1"

RegionKey = tuple[str, str | None]
"""(region_id, "left" | "right" | None for a midline region): the client's anatomical side."""

#: Two shapes of one view whose distance is at most this many template units touch.
TOUCH_TOLERANCE = 1.0
#: Regions that are anatomical neighbours but are drawn apart on the chart (on different views,
#: or with a gap between the polygons); added to the adjacency on each side. The geometry of a
#: released chart is never edited, so the gaps are closed here.
ANATOMICAL_NEIGHBOURS: tuple[tuple[str, str], ...] = (
    ("eye", "eyebrow"),
    ("ear", "tmj"),
    ("medial_malleolus", "heel"),
    ("medial_malleolus", "foot_medial_border"),
    ("achilles", "heel"),
)


@dataclass(frozen=True)
class View:
    name: str
    width: float
    height: float
    silhouette: str = field(repr=False)
    labels: dict[str, tuple[float, float]] = field(repr=False, default_factory=dict)
    context: str | None = field(repr=False, default=None)
    lines: str | None = field(repr=False, default=None)
    #: The drawn outline when it differs from the region silhouette (lateral: body + forearm).
    outline: str | None = field(repr=False, default=None)


@dataclass(frozen=True, eq=False)
class Shape:
    """One region on one view. ``polygon`` is a shapely (Multi)Polygon in template units."""

    region: str
    side: str | None
    view: str
    deep: bool
    polygon: Polygon | MultiPolygon = field(repr=False)

    @property
    def key(self) -> RegionKey:
        return (self.region, self.side)


def _geometry(polygons: list) -> Polygon | MultiPolygon:
    parts = [Polygon(p[0], p[1:]) for p in polygons]
    return parts[0] if len(parts) == 1 else MultiPolygon(parts)


def _path(polygons: list) -> str:
    out = []
    for p in polygons:
        for ring in p:
            out.append("M" + " L".join(f"{x:g} {y:g}" for x, y in ring) + "Z")
    return "".join(out)


class Chart:
    """A loaded chart template. Use :func:`chart` to get the cached instance."""

    def __init__(self, data: dict) -> None:
        self.version: str = str(data["version"])
        self.views: dict[str, View] = {}
        self._shapes: dict[str, list[Shape]] = {}
        self._paths: dict[int, str] = {}
        for name, v in data["views"].items():
            self.views[name] = View(
                name=name, width=float(v["width"]), height=float(v["height"]),
                silhouette=v["silhouette"],
                labels={k: (float(x), float(y)) for k, (x, y) in v.get("labels", {}).items()},
                context=v.get("context"), lines=v.get("lines"),
                outline=v.get("outline"))
            shapes = []
            for s in v["shapes"]:
                sh = Shape(region=s["region"], side=s["side"], view=name, deep=bool(s["deep"]),
                           polygon=_geometry(s["polygons"]))
                self._paths[id(sh)] = _path(s["polygons"])
                shapes.append(sh)
            self._shapes[name] = shapes

    # ------------------------------------------------------------------ lookups
    def view(self, name: str) -> View:
        try:
            return self.views[name]
        except KeyError:
            raise ChartError(f"unknown view '{name}'", field="view",
                             allowed=list(self.views)) from None

    def shapes(self, view: str) -> list[Shape]:
        """Every region shape of ``view``: surface shapes first, then deep anchors."""
        self.view(view)
        return list(self._shapes[view])

    def path(self, shape: Shape) -> str:
        """The SVG path data of a shape."""
        return self._paths[id(shape)]

    def keys(self) -> set[RegionKey]:
        """Every (region, side) that exists on any view."""
        return {s.key for shapes in self._shapes.values() for s in shapes}

    def views_of(self, key: RegionKey) -> list[str]:
        return [v for v, shapes in self._shapes.items() if any(s.key == key for s in shapes)]

    def area(self, key: RegionKey) -> float:
        """Surface area of a region summed over views, in template units²."""
        return self._areas.get(tuple(key), 0.0)  # type: ignore[arg-type]

    @cached_property
    def _areas(self) -> dict[RegionKey, float]:
        out: dict[RegionKey, float] = {}
        for shapes in self._shapes.values():
            for s in shapes:
                out[s.key] = out.get(s.key, 0.0) + s.polygon.area
        return out

    def adjacency(self) -> dict[RegionKey, frozenset[RegionKey]]:
        """Regions that touch on any view (union over views); symmetric. Deep anchors are
        adjacent to the surface regions they overlap."""
        return self._adjacency

    @cached_property
    def _adjacency(self) -> dict[RegionKey, frozenset[RegionKey]]:
        adj: dict[RegionKey, set[RegionKey]] = {k: set() for k in self.keys()}
        for shapes in self._shapes.values():
            surface = [s for s in shapes if not s.deep]
            tree = STRtree([s.polygon for s in surface])
            for s in shapes:
                if s.deep:
                    hits = tree.query(s.polygon, predicate="intersects")
                else:
                    hits = tree.query(s.polygon, predicate="dwithin", distance=TOUCH_TOLERANCE)
                for i in hits:
                    o = surface[int(i)]
                    if o.key != s.key:
                        adj[s.key].add(o.key)
                        adj[o.key].add(s.key)
        for a, b in ANATOMICAL_NEIGHBOURS:
            for side in ("left", "right"):
                if (a, side) in adj and (b, side) in adj:
                    adj[(a, side)].add((b, side))
                    adj[(b, side)].add((a, side))
        return {k: frozenset(v) for k, v in adj.items()}


@cache
def chart(version: str = CHART_VERSION) -> Chart:
    """Load and cache a chart template (default: the current version)."""
    try:
        text = resources.files("knoop.bodymap").joinpath(
            "data", f"chart-v{version}.json").read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ChartError(f"unknown chart version '{version}'", field="version",
                         allowed=[CHART_VERSION]) from None
    return Chart(json.loads(text))
