"""Drawing change -> ranked list updated on screen, measured in real Chromium.

Each change is a mouse stroke on the chart (or, every other time, a region chosen in the list);
chart.js stamps performance.now() at the pointerup (the change) and again once the new ranking is
in the DOM, and publishes the difference as #results[data-latency]. The drawing grows with every
change (more strokes, more regions), as it does in a session. Median over 20 changes.
Goal: <= 100 ms. Prints figures; asserts nothing."""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import Page, sync_playwright
from tests.browser import CHROMIUM, CHROMIUM_ARGS, live_server

from knoop.web.app import create_app

CHANGES = 20
TARGETS = [("front", "temple", "left"), ("front", "forehead", "right"),
           ("front", "pectoral", "left"), ("front", "shoulder_front", "right"),
           ("back", "neck_back_upper", "left"), ("back", "interscapular", "right"),
           ("back", "low_back", "left"), ("back", "suprascapular", "left")]


def wait_for_update(page: Page, since: float) -> float:
    page.wait_for_function(
        "since => +document.getElementById('results').dataset.updatedAt > since "
        "&& document.getElementById('results').getAttribute('aria-busy') === 'false'",
        arg=since, timeout=10_000)
    return float(page.locator("#results").get_attribute("data-latency") or "nan")


def updated_at(page: Page) -> float:
    return float(page.locator("#results").get_attribute("data-updated-at") or 0)


def stroke(page: Page, view: str, region: str, side: str) -> None:
    page.click(f"#tab-{view}")
    loc = page.locator(f"#panel-{view} path[data-region={region}][data-side={side}]")
    if not loc.count():
        loc = page.locator(f"#panel-{view} path.region:not(.deep)").nth(40)
    box = loc.first.bounding_box()
    assert box
    page.mouse.move(box["x"] + box["width"] * 0.2, box["y"] + box["height"] * 0.4)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.8, box["y"] + box["height"] * 0.6, steps=8)
    page.mouse.up()


def main() -> None:
    with live_server(create_app()) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        page.goto(f"{url}/tekenen")
        wait_for_update(page, -1)
        for _ in range(3):  # warm up the server's caches and the browser's JIT
            t = updated_at(page)
            stroke(page, "front", "chin", "midline")
            wait_for_update(page, t)
        t = updated_at(page)
        page.click("#clear")
        wait_for_update(page, t)
        latencies = []
        for i in range(CHANGES):
            view, region, side = TARGETS[i % len(TARGETS)]
            t = updated_at(page)
            stroke(page, view, region, side)
            latencies.append(wait_for_update(page, t))
            page.wait_for_timeout(120)  # a human pause: every change is measured alone
        strokes = page.evaluate("document.querySelectorAll('.ink path').length")
        browser.close()
    latencies.sort()
    print(f"drawing change -> ranked list on screen, {CHANGES} changes "
          f"({strokes} strokes at the end), Chromium:")
    print(f"  median {statistics.median(latencies):.1f} ms   "
          f"p90 {latencies[int(0.9 * (len(latencies) - 1))]:.1f} ms   "
          f"min {latencies[0]:.1f} ms   max {latencies[-1]:.1f} ms   (goal: median <= 100 ms)")


if __name__ == "__main__":
    main()
