"""The default ranker compiled: :class:`~knoop.ranking.Ranker` over the shipped knowledge base
and chart, kept as a pickle beside the ranking code (``ranking/__rankcache__``), the way
:mod:`knoop.kb.compiled` keeps the knowledge base.

The ranker holds plain data only (zones, the score index, names, trigger-point IDs, wording,
the red-flag rules, the contract), so loading it imports neither the pydantic models of the
knowledge base nor PyYAML: ``knoop rank`` of one map starts in a fraction of the time. The file
is named after a hash of the compiled knowledge base's key, the ranking modules and data, and
the chart's packaged adjacency; any change gives a new name, so a stale ranker is never read.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from knoop.kb import KB_VERSION
from knoop.kb.compiled import cache_key, kept

if TYPE_CHECKING:
    from knoop.ranking import Ranker

HERE = Path(__file__).resolve().parent
FOLDER = HERE / "__rankcache__"


def ranker_key() -> str:
    """A hash of everything the default ranker is made of."""
    h = hashlib.sha256(cache_key(KB_VERSION).encode())
    files = [*sorted(HERE.glob("*.py")), *sorted((HERE / "data").glob("*"))]
    bodymap = HERE.parent / "bodymap"
    for f in files:
        h.update(f.name.encode() + b"\0" + f.read_bytes() + b"\0")
    for part in ("adjacency.py", "data"):
        node = bodymap.joinpath(part)
        for f in sorted(node.iterdir(), key=lambda p: p.name) if node.is_dir() else [node]:
            if f.name.startswith("adjacency"):
                h.update(f.name.encode() + b"\0" + f.read_bytes() + b"\0")
    return h.hexdigest()[:24]


def compiled_ranker(build: Callable[[], Ranker], folder: Path = FOLDER) -> Ranker:
    """The default ranker from its cache file in ``folder``, else ``build()`` (then written
    there)."""
    return kept(folder / f"ranker-{ranker_key()}.pickle", build,
                lambda r: r.version == KB_VERSION)
