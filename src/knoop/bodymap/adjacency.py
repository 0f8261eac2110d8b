"""Which chart regions are neighbours, as packaged data (``data/adjacency-v<N>.json``).

The adjacency is derived from the template geometry (:meth:`knoop.bodymap.model.Chart.
adjacency`: polygons that touch on any view, plus the anatomical neighbours the drawing cannot
show). Ranking needs only the result, so it is stored beside the template and read without the
geometry library: ``knoop rank`` starts without shapely. A test checks that the stored file
equals what the geometry gives; ``python -m knoop.bodymap.adjacency`` writes it anew.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from pathlib import Path

RegionKey = tuple[str, str | None]
CURRENT = "1"


def _file(version: str) -> str:
    return f"adjacency-v{version}.json"


def encode(adj: dict[RegionKey, frozenset[RegionKey]]) -> str:
    """The adjacency as stable JSON: ``{"region|side": ["region|side", ...]}``, sorted."""
    def k(key: RegionKey) -> str:
        return f"{key[0]}|{key[1] or ''}"
    return json.dumps({k(a): sorted(k(b) for b in adj[a]) for a in sorted(adj, key=k)},
                      indent=0, sort_keys=True) + "\n"


@cache
def packaged_adjacency(version: str = CURRENT) -> dict[RegionKey, frozenset[RegionKey]]:
    """The stored adjacency of chart ``version``: region key -> its neighbours (symmetric)."""
    text = resources.files("knoop.bodymap").joinpath("data", _file(version)).read_text(
        encoding="utf-8")

    def key(s: str) -> RegionKey:
        region, side = s.split("|")
        return (region, side or None)
    return {key(a): frozenset(key(b) for b in bs) for a, bs in json.loads(text).items()}


def main() -> None:
    """Write ``data/adjacency-v<CURRENT>.json`` from the template geometry."""
    from knoop.bodymap.model import chart

    path = Path(__file__).parent / "data" / _file(CURRENT)
    path.write_text(encode(chart(CURRENT).adjacency()), encoding="utf-8")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
