"""Real Chromium for browser tests: Debian's /usr/bin/chromium driven by Playwright, and a live
uvicorn server in a thread (see shared/stack-notes.md)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn
from playwright.sync_api import Page

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def live_server(app: object) -> Iterator[str]:
    """Serve ``app`` on a free loopback port; yield its base URL."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.time() + 20
    while not server.started:
        if time.time() > deadline:
            raise RuntimeError("test server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


# ------------------------------------------------------------ the drawing widget in a page
def updated_at(page: Page) -> float:
    """When the ranked list was last put on screen (performance.now() in the page)."""
    return float(page.locator("#results").get_attribute("data-updated-at") or 0)


def wait_for_update(page: Page, since: float) -> None:
    """Wait until the ranked list is newer than ``since`` and no request is in flight.

    Safe right after a click that navigates: until the new page has its ``#results`` list the
    condition is simply false, so the wait goes on (it never reads the page being left)."""
    page.wait_for_function(
        "since => { const r = document.getElementById('results'); "
        "return !!r && +r.dataset.updatedAt > since && r.getAttribute('aria-busy') === 'false'; }",
        arg=since, timeout=20_000)


def region_box(page: Page, view: str, region: str, side: str) -> dict:
    """The on-screen box of a region of the chart (scrolled into view)."""
    loc = page.locator(f"#panel-{view} path[data-region={region}][data-side={side}]").first
    loc.scroll_into_view_if_needed()
    box = loc.bounding_box()
    assert box, f"{region} ({side}) not on screen in {view}"
    return box


def mouse_stroke(page: Page, box: dict) -> None:
    """Drag across a region, from its left third to its right third, slightly downwards."""
    x0, y0 = box["x"] + box["width"] * 0.2, box["y"] + box["height"] * 0.4
    x1, y1 = box["x"] + box["width"] * 0.8, box["y"] + box["height"] * 0.6
    page.mouse.move(x0, y0)
    page.mouse.down()
    page.mouse.move(x1, y1, steps=12)
    page.mouse.up()


def ranked(page: Page) -> list[tuple[str, str]]:
    """(muscle, side) of the candidates on screen, best first."""
    return [(li.get_attribute("data-muscle") or "", li.get_attribute("data-side") or "")
            for li in page.locator("#candidates > li.cand").all()]
