"""The knowledge base compiled: the validated :class:`~knoop.kb.KnowledgeBase` kept as a pickle
beside the packaged files, so that a process that only needs to read it (``knoop rank``, a
server start) skips parsing and validating ~200 YAML files (~0.1 s of a ~0.3 s command).

The file is named after a hash of everything the knowledge base is made of: its version, the
packaged muscle, contract and nerve files, the source of the ``kb`` modules that shape the
objects, and the Python version. Any change gives a new name, so a stale cache is never read;
the first load after a change writes the new one (atomically; silently skipped where the
package folder is read-only) and removes the old. Only knoop writes this folder, next to its
own code: reading it is as safe as importing that code.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from knoop.kb import KnowledgeBase

T = TypeVar("T")

HERE = Path(__file__).resolve().parent
FOLDER = HERE / "__kbcache__"
SOURCES = ("__init__.py", "models.py", "contract.py", "nerves.py", "loader.py", "compiled.py")


def cache_key(version: str) -> str:
    """A hash of everything the knowledge base of ``version`` is made of."""
    h = hashlib.sha256(f"{version}\0{sys.version}\0".encode())
    root = HERE  # the package folder (importlib.resources costs ~10 ms to import)
    files = [root / "nerves.yaml",
             *sorted(root.joinpath("contract").iterdir(), key=lambda p: p.name),
             *sorted(root.joinpath("muscles").iterdir(), key=lambda p: p.name)]
    for f in files:
        if f.name.endswith(".yaml"):
            h.update(f.name.encode() + b"\0" + f.read_bytes() + b"\0")
    for name in SOURCES:
        h.update((HERE / name).read_bytes())
    return h.hexdigest()[:24]


def compiled(version: str, build: Callable[[], KnowledgeBase], folder: Path = FOLDER
             ) -> KnowledgeBase:
    """The knowledge base of ``version`` from its cache file in ``folder``, else ``build()``
    (then written there)."""
    return kept(folder / f"kb-{cache_key(version)}.pickle", build,
                lambda kb: kb.version == version)


def kept(path: Path, build: Callable[[], T], valid: Callable[[T], bool]) -> T:
    """The object pickled at ``path`` (named ``<kind>-<hash>.pickle``) if it loads and is
    ``valid``, else ``build()``, then written there (replacing older files of that kind)."""
    # missing, damaged or from another pydantic: build it again
    with contextlib.suppress(Exception):
        obj: T = pickle.loads(path.read_bytes())
        if valid(obj):
            return obj
    obj = build()
    _write(path, pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL))
    return obj


def _write(path: Path, data: bytes) -> None:
    try:
        path.parent.mkdir(exist_ok=True)
        import tempfile  # only to write

        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".kb-", suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
        kind = path.name.split("-", 1)[0]
        for old in path.parent.glob(f"{kind}-*.pickle"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:  # a read-only installation: load from YAML every time
        for tmp_file in path.parent.glob(".kb-*.tmp"):
            tmp_file.unlink(missing_ok=True)
