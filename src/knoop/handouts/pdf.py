"""HTML + CSS -> PDF with WeasyPrint, shared by the aftercare handout, leaflet and dossier.

Templates live in ``knoop/handouts/templates`` (Jinja2, autoescaped). Nothing is fetched from
the network: the only URLs a document may use are the cached chart backgrounds
(``knoop-chart:<view>``), the pre-rendered muscle diagrams (``knoop-diagram:<file>``) and the
packaged stylesheet.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from knoop.handouts import diagrams
from knoop.handouts.charts import SCHEME, background_image
from knoop.handouts.weasy import defer_unused_font_tools
from knoop.vocabulary import LOCAL_TZ

if TYPE_CHECKING:
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher

TEMPLATES = Path(__file__).parent / "templates"
#: Times are stored in UTC; people read them in the practice's time zone.

MONTHS = {
    "nl": ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
           "september", "oktober", "november", "december"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
}
WEEKDAYS = {
    "nl": ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}


def local(value: dt.datetime) -> dt.datetime:
    """A stored (naive UTC) time in Dutch local time."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(LOCAL_TZ)


def long_date(value: dt.date | dt.datetime | None, lang: str = "nl", *,
              weekday: bool = False, time: bool = False) -> str:
    """``12 maart 2026`` / ``12 March 2026``, optionally with weekday and time (local)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = local(value)
    lang = "en" if lang == "en" else "nl"
    out = f"{value.day} {MONTHS[lang][value.month - 1]} {value.year}"
    if weekday:
        out = f"{WEEKDAYS[lang][value.weekday()]} {out}"
    if time and isinstance(value, dt.datetime):
        out += (" om " if lang == "nl" else " at ") + f"{value:%H:%M}"
    return out


def short_date(value: dt.date | dt.datetime | None, *, time: bool = False) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = local(value)
        return f"{value:%d-%m-%Y %H:%M}" if time else f"{value:%d-%m-%Y}"
    return f"{value:%d-%m-%Y}"


@cache
def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["long_date"] = long_date
    env.filters["short_date"] = short_date
    env.filters["svg"] = Markup  # our own SVG strings, built from escaped parts
    return env


def render_html(template: str, context: dict[str, Any]) -> str:
    return environment().get_template(template).render(**context)


def _fetcher() -> URLFetcher:
    defer_unused_font_tools()
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class Fetcher(URLFetcher):
        """Serves the chart backgrounds, the muscle diagrams, data: URIs and packaged files; refuses the rest."""

        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            if url.startswith(f"{SCHEME}:"):
                return URLFetcherResponse(url, background_image(url.split(":", 1)[1]),
                                          {"Content-Type": "image/jpeg"})
            if url.startswith(f"{diagrams.SCHEME}:"):
                return URLFetcherResponse(url, diagrams.diagram_image(url.split(":", 1)[1]),
                                          {"Content-Type": "image/jpeg"})
            if url.startswith("data:"):
                return super().fetch(url, headers)
            if url.startswith("file:"):
                path = Path(url.removeprefix("file://").split("?")[0]).resolve()
                if path.is_relative_to(TEMPLATES):
                    return URLFetcherResponse(url, path.read_bytes())
            raise ValueError(f"knoop documents fetch nothing from outside: {url}")

    return Fetcher()


@cache
def stylesheet() -> CSS:
    defer_unused_font_tools()
    from weasyprint import CSS

    return CSS(filename=str(TEMPLATES / "print.css"), url_fetcher=_fetcher())


@cache
def _document_class() -> type[HTML]:
    """WeasyPrint's ``HTML`` with our own small user-agent stylesheet (``print-ua.css``)
    instead of its full HTML5 one: the cascade then matches a few dozen rules per element
    instead of several hundred (forms, every counter style, ``dir`` rules), ~15 % of a
    handout's time. WeasyPrint documents no option for it; these two methods are where it
    takes the sheet and its counter styles (checked with WeasyPrint 70)."""
    defer_unused_font_tools()
    from weasyprint import CSS, HTML
    from weasyprint.css.counters import CounterStyle

    counters = CounterStyle()
    sheet = CSS(filename=str(TEMPLATES / "print-ua.css"), counter_style=counters)

    class Handout(HTML):
        def _ua_stylesheets(self, forms: bool = False) -> list[CSS]:
            return [sheet]

        def _ua_counter_style(self) -> list[CounterStyle]:
            return [counters.copy()]

    return Handout


def write_pdf(html: str, *, title: str = "", lang: str = "nl") -> bytes:
    """Render HTML (from :func:`render_html`) to PDF bytes with the shared print stylesheet."""
    doc = _document_class()(string=html, base_url=str(TEMPLATES) + "/",
                            url_fetcher=_fetcher())
    try:
        return doc.write_pdf(stylesheets=[stylesheet()], uncompressed_pdf=False)
    finally:
        _release_memory()


def _release_memory() -> None:
    """Free the document and hand its memory back to the system. A WeasyPrint document is a
    web of reference cycles (~13,000 objects, boxes pointing at their parents) that lives
    through the render and so reaches the oldest generation, which a server whose start-up
    objects are frozen (``gc.freeze``, see ``knoop.web.app``) seldom collects: without
    ``gc.collect`` each PDF left ~3 MB behind (168 MB after six handouts, 152 MB with it).
    In such a process the collection only walks the objects made since the freeze (15-50 ms
    on the shared test machine); a process that froze nothing (the CLI, tests) would walk
    everything it loaded, so it leaves collecting to Python. ``malloc_trim`` then returns the
    pages glibc would keep for the C libraries' layout work (~7 MB per PDF otherwise)."""
    if gc.get_freeze_count():
        gc.collect()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@cache
def _malloc_trim() -> Any:
    """glibc's ``malloc_trim``, or None on another C library."""
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("c")
    if not name or "libc.so" not in name:
        return None
    with contextlib.suppress(OSError, AttributeError):
        return ctypes.CDLL(name).malloc_trim
    return None


@cache
def warm_up() -> None:
    """Do once, before the first document is asked for, what the first PDF of a process would
    otherwise wait for: import WeasyPrint (its C bindings), parse the print stylesheet, load the
    templates, the main chart backgrounds and the fonts (by rendering one tiny PDF and the
    handout of a made-up session)."""
    from knoop.handouts.charts import background_image, chart_svg
    from knoop.vocabulary import MAIN_VIEWS

    for view in MAIN_VIEWS:
        background_image(view)
    for template in TEMPLATES.glob("*.html"):  # compiling one costs ~50 ms
        environment().get_template(template.name)
    # one page with what every handout has: headings, bold and italic text, and a body chart
    # (its background image, paths and R/L letters): the image decoders, the SVG code and the
    # chart's fonts are loaded now rather than for the first client
    chart = chart_svg(MAIN_VIEWS[0], lang="nl")
    write_pdf(f'<html><body><h1>knoop</h1><p>Aa <b>Bb</b> <i>Cc</i></p><div class="charts">'
              f'<div class="fig">{chart}</div></div></body></html>')
    # then a whole handout of a made-up session: tables, lists, the letterhead, a muscle
    # diagram picture, three pages; the first client's handout then costs what later ones do
    from knoop.handouts.aftercare import example_handout

    example_handout()
    # what the warm-up's documents left: collected and handed back to the system now, before
    # the server freezes what it loaded (a PDF's cycles would otherwise be frozen with it);
    # nothing is frozen yet, so _release_memory alone would leave the collecting to Python
    gc.collect()
    _release_memory()
