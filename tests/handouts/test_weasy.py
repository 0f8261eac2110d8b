"""WeasyPrint without the font tools knoop never runs: the same pages, fewer modules, and the
deferred modules still there for a document that uses them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HTML = ("<h1>Nazorg na de behandeling</h1><p>Pijn 7 → 4 · <b>Monnikskapspier</b> "
        "<i>(trapezius)</i> ✕ – warmte, rust en rekken.</p>")

RENDER = """
import sys
if sys.argv[2] == "eager":
    import fontTools.subset, fontTools.varLib.instancer  # before WeasyPrint: nothing deferred
from knoop.handouts.pdf import write_pdf
pdf = write_pdf(sys.argv[3])
open(sys.argv[1], "wb").write(pdf)
loaded = sum(1 for m in sys.modules if m.startswith("fontTools"))
real = type(sys.modules["fontTools.subset"]).__name__ == "module" and hasattr(
    sys.modules["fontTools.subset"], "__file__")
print(loaded, real)
"""


def _render(tmp: Path, mode: str) -> tuple[int, bool, bytes]:
    out = tmp / f"{mode}.pdf"
    done = subprocess.run([sys.executable, "-c", RENDER, str(out), mode, HTML], check=True,
                          capture_output=True, text=True)
    loaded, real = done.stdout.split()
    png = tmp / mode
    subprocess.run(["pdftoppm", "-r", "60", "-png", "-singlefile", str(out), str(png)],
                   check=True)
    return int(loaded), real == "True", png.with_suffix(".png").read_bytes()


def test_a_pdf_without_the_deferred_font_tools_has_the_same_pages(tmp_path: Path) -> None:
    lazy_loaded, lazy_real, lazy_page = _render(tmp_path, "lazy")
    eager_loaded, eager_real, eager_page = _render(tmp_path, "eager")
    assert eager_real and eager_loaded > 100
    assert not lazy_real and lazy_loaded < eager_loaded - 80
    assert lazy_page == eager_page


def test_a_deferred_module_is_loaded_when_something_of_it_is_used() -> None:
    code = ("import sys\n"
            "from knoop.handouts.weasy import defer_unused_font_tools\n"
            "defer_unused_font_tools()\n"
            "import weasyprint\n"
            "from fontTools import subset\n"
            "assert not hasattr(sys.modules['fontTools.subset'], '__file__')\n"
            "options = subset.Options()\n"
            "assert hasattr(sys.modules['fontTools.subset'], '__file__')\n"
            "from fontTools.varLib import instancer\n"
            "print(type(options).__name__, callable(instancer.instantiateVariableFont))\n")
    done = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                          text=True)
    assert done.stdout.split() == ["Options", "True"]
