"""WeasyPrint, imported without the font tools it loads but knoop never runs.

WeasyPrint imports fontTools' subsetter and its variable-font instancer when it is imported
(``weasyprint.pdf.fonts``): about 110 modules and ~9 MB of a server's memory. knoop's fonts
(DejaVu) are static, so the instancer never runs, and WeasyPrint subsets them with HarfBuzz;
fontTools' subsetter is only its fall-back when HarfBuzz cannot. :func:`defer_unused_font_tools`
puts stand-ins for those two modules in ``sys.modules`` before WeasyPrint is first imported:
each loads the real module the first time anything of it is used, so a document that needs
them still gets them (``tests/handouts/test_weasy.py`` renders the same pages either way).
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import Any

#: The modules deferred, and the names WeasyPrint imports from them by ``from ... import``.
DEFERRED: dict[str, tuple[str, ...]] = {
    "fontTools.subset": (),
    "fontTools.varLib.instancer": ("instantiateVariableFont",),
}


def _stand_in(name: str, functions: tuple[str, ...]) -> types.ModuleType:
    stub = types.ModuleType(name, f"Stands in for {name} until it is used (knoop.handouts.weasy).")

    def real() -> types.ModuleType:
        if sys.modules.get(name) is stub:
            del sys.modules[name]
        return importlib.import_module(name)

    def __getattr__(attr: str) -> Any:  # noqa: N807 - a module's own __getattr__ (PEP 562)
        if attr.startswith("__"):
            raise AttributeError(attr)
        return getattr(real(), attr)

    stub.__getattr__ = __getattr__  # type: ignore[method-assign]
    for function in functions:
        def call(*args: Any, _name: str = function, **kwargs: Any) -> Any:
            return getattr(real(), _name)(*args, **kwargs)
        setattr(stub, function, call)
    return stub


def defer_unused_font_tools() -> None:
    """Put the stand-ins in place, unless WeasyPrint or the modules are imported already."""
    if "weasyprint" in sys.modules:
        return
    for name, functions in DEFERRED.items():
        if name not in sys.modules:
            sys.modules[name] = _stand_in(name, functions)
