"""Pre-render the muscle diagrams of the printed handouts (``src/knoop/handouts/diagrams``).

One JPEG per muscle and side, named after a hash of the SVG it shows, and ``manifest.json``
with the knowledge base version. Run ``python tools/render_diagrams.py`` from the project root
after the knowledge base, the chart or the diagram drawing changed; stale files are removed.
``tests/handouts/test_diagrams.py`` fails while a diagram has no current file.
"""

from __future__ import annotations

import json

from PIL import Image

from knoop.handouts.diagrams import DIAGRAMS, MANIFEST, render_diagram, svg_digest
from knoop.kb import KB_VERSION, knowledge_base


def main() -> None:
    DIAGRAMS.mkdir(exist_ok=True)
    entries = {}
    for muscle in sorted(knowledge_base().muscles):
        for side in ("left", "right"):
            digest = svg_digest(muscle, side)
            name = f"{muscle}-{side}-{digest}.jpg"
            path = DIAGRAMS / name
            if not path.exists():
                path.write_bytes(render_diagram(muscle, side))
                print(f"wrote {path}")
            with Image.open(path) as img:
                width, height = img.size
            entries[f"{muscle}/{side}"] = {"file": name, "svg": digest, "width": width,
                                           "height": height}
    MANIFEST.write_text(json.dumps({"kb_version": KB_VERSION, "diagrams": entries},
                                   indent=0, sort_keys=True) + "\n", "utf-8")
    keep = {e["file"] for e in entries.values()}
    for path in DIAGRAMS.glob("*.jpg"):
        if path.name not in keep:
            path.unlink()
            print(f"removed {path}")


if __name__ == "__main__":
    main()
