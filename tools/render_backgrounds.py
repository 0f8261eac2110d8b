"""Pre-render the print charts' background images (``src/knoop/handouts/backgrounds``).

One JPEG per chart view, named after a hash of the bare SVG it shows, so that the first PDF of a
process does not rasterise the chart (~0.3 s per view). Run ``python tools/render_backgrounds.py``
from the project root after the chart changes; stale files are removed.
``tests/handouts/test_backgrounds.py`` fails while a view has no current file.
"""

from __future__ import annotations

from knoop.handouts.charts import BACKGROUNDS, background_file, render_background
from knoop.vocabulary import VIEWS


def main() -> None:
    BACKGROUNDS.mkdir(exist_ok=True)
    keep = set()
    for view in VIEWS:
        path = background_file(view)
        keep.add(path)
        if not path.exists():
            path.write_bytes(render_background(view))
            print(f"wrote {path}")
    for path in BACKGROUNDS.glob("*.jpg"):
        if path not in keep:
            path.unlink()
            print(f"removed {path}")


if __name__ == "__main__":
    main()
