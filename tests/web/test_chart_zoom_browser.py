"""Zoom, close-ups and target size of the body chart in real Chromium (issue 15).

Every region must be at least 24 x 24 CSS px (WCAG 2.2 target size) in some view or close-up at
its default zoom, on a laptop and on a phone; strokes stay in chart space at every zoom level.
Screenshots go to artifacts/chart-*.png to be looked at."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from tests.browser import live_server, updated_at, wait_for_update

from knoop.bodymap import chart
from knoop.kb.contract import contract
from knoop.web.app import create_app

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1366, "height": 800}
PHONE = {"width": 390, "height": 844}

#: per region key the largest min(width, height) of its on-screen box, clipped to the chart
MEASURE = """() => {
  const out = {};
  document.querySelectorAll('.chart-panel:not([hidden]) svg').forEach(svg => {
    const s = svg.getBoundingClientRect();
    svg.querySelectorAll('path.region:not(.deep)').forEach(p => {
      const r = p.getBoundingClientRect();
      const w = Math.min(r.right, s.right) - Math.max(r.left, s.left);
      const h = Math.min(r.bottom, s.bottom) - Math.max(r.top, s.top);
      const k = p.dataset.region + '|' + p.dataset.side, m = Math.min(w, h);
      if (!(k in out) || m > out[k]) out[k] = m;
    });
  });
  return out;
}"""


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with live_server(create_app()) as url:
        yield url


def open_chart(browser: Browser, base_url: str, viewport: dict) -> Page:
    page = browser.new_page(viewport=viewport)
    page.goto(f"{base_url}/tekenen")
    wait_for_update(page, -1)
    page.wait_for_selector("#panel-front svg path.region")
    return page


def show(page: Page, view: str, closeup: str = "") -> None:
    page.click(f"#tab-{view}")
    page.wait_for_selector(f"#panel-{view} svg path.region")
    if closeup:
        page.click(f"#closeups button[data-closeup='{closeup}']")
        expect(page.locator(f"#closeups button[data-closeup='{closeup}']")).to_have_attribute(
            "aria-pressed", "true")
    else:
        page.click("#zoom-reset")
        expect(page.locator(f"#panel-{view} svg")).to_have_attribute("data-zoom", "1.00")


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_every_region_is_at_least_24_px_in_some_view_at_its_default_zoom(
        browser: Browser, base_url: str, artifacts: Path, viewport: dict) -> None:
    page = open_chart(browser, base_url, viewport)
    best: dict[str, float] = {}
    for view in chart().views:
        show(page, view)
        closeups = [b.get_attribute("data-closeup") or ""
                    for b in page.locator("#closeups button").all()]
        for c in ["", *closeups]:
            if c:
                show(page, view, c)
            for k, m in page.evaluate(MEASURE).items():
                best[k] = max(best.get(k, 0.0), m)
    # deep regions are not painted: they are chosen from the list of buttons under the chart
    page.locator("details.deep summary").click()
    for b in page.locator(".deep-list .chip").all():
        box = b.bounding_box()
        assert box
        k = f"{b.get_attribute('data-region')}|{b.get_attribute('data-side')}"
        best[k] = max(best.get(k, 0.0), min(box["width"], box["height"]))
    keys = {f"{r.id}|{side}" for r in contract().regions.values()
            for side in (("left", "right") if r.paired else ("midline",))}
    small = sorted((round(best.get(k, 0.0), 1), k) for k in keys if best.get(k, 0.0) < 24)
    assert not small, f"regions under 24 x 24 CSS px in every view: {small}"
    name = "laptop" if viewport is LAPTOP else "phone"
    show(page, "front", "front.head")
    page.locator("#panel-front").screenshot(path=str(artifacts / f"chart-head-{name}.png"))


def test_a_temple_stroke_in_the_head_close_up_paints_only_the_temple(
        browser: Browser, base_url: str, artifacts: Path) -> None:
    page = open_chart(browser, base_url, LAPTOP)
    show(page, "front", "front.head")
    svg = page.locator("#panel-front svg")
    assert float(svg.get_attribute("data-zoom") or 0) > 2
    # zoomed in, the client's sides stay marked in the corners
    expect(page.locator("#panel-front .corner-side.left")).to_have_text("R")
    expect(page.locator("#panel-front .corner-side.right")).to_be_visible()
    # a short stroke across the client's left temple (viewer's right), in screen pixels
    box = page.locator("#panel-front path[data-region=temple][data-side=left]").bounding_box()
    assert box and box["width"] >= 24 and box["height"] >= 24
    t = updated_at(page)
    x, y = box["x"] + box["width"] * 0.45, box["y"] + box["height"] * 0.35
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 2, y + box["height"] * 0.3, steps=8)
    page.mouse.up()
    wait_for_update(page, t)
    stroke = page.evaluate("() => document.getElementById('draw').knoop.body().strokes[0]")
    # stored in template units of the front view, the brush as thin as it looks on screen
    assert stroke["view"] == "front" and stroke["width"] < 10
    assert all(250 < px < 400 and 40 < py < 130 for px, py in stroke["points"])
    ticked = [li.get_attribute("data-region") + "|" + (li.get_attribute("data-side") or "")
              for li in page.locator("#region-list li:has(input[type=checkbox]:checked)").all()]
    assert ticked == ["temple|left"], ticked
    page.screenshot(path=str(artifacts / "chart-temple-laptop.png"))


def test_zoom_buttons_wheel_and_keys_change_only_the_view_box(
        browser: Browser, base_url: str) -> None:
    page = open_chart(browser, base_url, LAPTOP)
    svg = page.locator("#panel-front svg")
    size = svg.bounding_box()
    page.click("#zoom-in")
    expect(svg).to_have_attribute("data-zoom", "1.50")
    assert svg.bounding_box() == size, "the chart keeps its size on the page"
    page.click("#zoom-out")
    expect(svg).to_have_attribute("data-zoom", "1.00")
    assert size
    page.mouse.move(size["x"] + size["width"] / 2, size["y"] + size["height"] / 3)
    page.mouse.wheel(0, -240)
    page.wait_for_function("() => +document.querySelector('#panel-front svg').dataset.zoom > 1.5")
    svg.focus()
    page.keyboard.press("0")
    expect(svg).to_have_attribute("data-zoom", "1.00")
    page.keyboard.press("+")
    expect(svg).to_have_attribute("data-zoom", "1.25")
    before = svg.get_attribute("viewBox")
    page.keyboard.press("ArrowDown")
    assert svg.get_attribute("viewBox") != before
    # one finger draws, two fingers pinch the chart itself (chart-zoom.js): the browser keeps out
    assert svg.evaluate("s => getComputedStyle(s).touchAction") == "none"


def test_a_lens_beside_the_hand_opens_that_hand_on_the_palm_view(
        browser: Browser, base_url: str) -> None:
    page = open_chart(browser, base_url, PHONE)
    page.click("#panel-front .lens[data-closeup='palm.right']")
    expect(page.locator("#tab-palm")).to_have_attribute("aria-selected", "true")
    expect(page.locator("#closeups button[data-closeup='palm.right']")).to_have_attribute(
        "aria-pressed", "true")
    box = page.locator("#panel-palm path[data-region=thenar][data-side=right]").bounding_box()
    assert box and box["width"] >= 24 and box["height"] >= 24


def test_chart_files_are_cacheable_and_compressed(base_url: str) -> None:
    import httpx

    page = httpx.get(f"{base_url}/tekenen")
    assert '<path class="region"' not in page.text, "no chart inline in the page"
    version = page.text.split('data-chart-files="')[1].split('"')[0]
    r = httpx.get(f"{base_url}/tekenen/kaart/front?lang=nl&v={version}",
                  headers={"Accept-Encoding": "gzip"})
    assert r.headers["content-encoding"] == "gzip"
    assert "immutable" in r.headers["cache-control"]
    assert int(r.headers["content-length"]) < 60_000 < len(r.content)
    again = httpx.get(f"{base_url}/tekenen/kaart/front?lang=nl&v={version}",
                      headers={"If-None-Match": r.headers["etag"]})
    assert again.status_code == 304


def test_a_finger_draws_a_temple_headache_in_the_head_close_up_on_a_phone(
        browser: Browser, base_url: str, artifacts: Path) -> None:
    phone = browser.new_context(viewport=PHONE, device_scale_factor=2, has_touch=True,
                                is_mobile=True)
    page = phone.new_page()
    page.goto(f"{base_url}/tekenen")
    wait_for_update(page, -1)
    page.wait_for_selector("#panel-front svg path.region")
    page.screenshot(path=str(artifacts / "chart-phone-front.png"))
    show(page, "front", "front.head")
    loc = page.locator("#panel-front path[data-region=temple][data-side=right]")
    loc.scroll_into_view_if_needed()
    box = loc.bounding_box()
    assert box and box["width"] >= 24 and box["height"] >= 24
    cdp = phone.new_cdp_session(page)
    x, y0, y1 = box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.25, box["y"] + box["height"] * 0.75
    t = updated_at(page)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y0}]})
    for i in range(1, 9):
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [
            {"x": x, "y": y0 + (y1 - y0) * i / 8}]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    wait_for_update(page, t)
    ticked = [li.get_attribute("data-region") + "|" + (li.get_attribute("data-side") or "")
              for li in page.locator("#region-list li:has(input[type=checkbox]:checked)").all()]
    assert ticked == ["temple|right"], ticked
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(artifacts / "chart-temple-phone.png"))
    phone.close()


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_a_muscle_page_shows_one_picture_per_trigger_point(
        browser: Browser, base_url: str, artifacts: Path, viewport: dict) -> None:
    page = browser.new_page(viewport=viewport)
    page.goto(f"{base_url}/kb/spieren/trapezius")
    pics = page.locator("img.tp-picture")
    assert pics.count() >= 3
    for i in range(pics.count()):
        pics.nth(i).scroll_into_view_if_needed()
        page.wait_for_function("img => img.complete && img.naturalWidth > 0",
                               arg=pics.nth(i).element_handle())
    page.locator(".card.tp").first.scroll_into_view_if_needed()
    name = "laptop" if viewport is LAPTOP else "phone"
    page.screenshot(path=str(artifacts / f"chart-muscle-page-{name}.png"))
    page.close()


def test_the_body_map_of_the_knowledge_base_opens_the_tapped_region(
        browser: Browser, base_url: str, artifacts: Path) -> None:
    page = browser.new_page(viewport=PHONE)
    page.goto(f"{base_url}/kb/gebieden")
    page.wait_for_selector("#kbmap svg path.region")
    page.click("#kbmap [data-view-button=back]")
    expect(page.locator("#kbmap")).to_have_attribute("data-loaded", "back")
    page.locator("#kbmap").screenshot(path=str(artifacts / "chart-kb-map-phone.png"))
    page.locator("#kbmap path[data-region=calf_upper][data-side=left]").click()
    page.wait_for_url("**/kb/gebieden/calf_upper")
    assert "Kuit" in page.locator("h1").inner_text()
    assert "/kb/spieren/gastrocnemius" in page.content()
    page.close()


def test_the_body_map_search_results_and_zoomed_chart_are_accessible(
        browser: Browser, base_url: str) -> None:
    from a11y import assert_accessible

    page = browser.new_page(viewport=LAPTOP)
    page.goto(f"{base_url}/kb/gebieden")
    page.wait_for_selector("#kbmap svg path.region")
    assert_accessible(page, "regions with the body map")
    page.goto(f"{base_url}/kb?q=hoofdpijn")
    assert_accessible(page, "search by complaint")
    page.goto(f"{base_url}/kb/gebieden/temple")
    assert_accessible(page, "region page")
    page.close()
    page = open_chart(browser, base_url, LAPTOP)
    show(page, "front", "front.head")
    assert_accessible(page, "drawing, head close-up")
    page.close()


#: the template point under a client position, through the chart's own screen transform
UNDER = """([x, y]) => {
  const svg = document.querySelector('#panel-front svg'), p = svg.createSVGPoint();
  p.x = x; p.y = y;
  const q = p.matrixTransform(svg.getScreenCTM().inverse());
  return [q.x, q.y];
}"""


def test_two_fingers_moving_apart_zoom_the_chart_around_their_midpoint_and_draw_nothing(
        browser: Browser, base_url: str, artifacts: Path) -> None:
    phone = browser.new_context(viewport=PHONE, device_scale_factor=2, has_touch=True,
                                is_mobile=True)
    page = phone.new_page()
    page.goto(f"{base_url}/tekenen")
    wait_for_update(page, -1)
    svg = page.locator("#panel-front svg")
    page.wait_for_selector("#panel-front svg path.region")
    svg.scroll_into_view_if_needed()
    box = svg.bounding_box()
    assert box
    before = [float(n) for n in (svg.get_attribute("viewBox") or "").split()]
    # the fingers around the chest, well inside the chart
    x, y = box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.3
    target = page.evaluate(UNDER, [x, y])
    cdp = phone.new_cdp_session(page)

    def touch(kind: str, points: list[tuple[float, float]]) -> None:
        cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": [
            {"x": px, "y": py, "id": i} for i, (px, py) in enumerate(points)]})

    # the first finger lands and moves a little (a stroke begins), then the second lands
    touch("touchStart", [(x - 20, y - 20)])
    touch("touchMove", [(x - 22, y - 22)])
    touch("touchStart", [(x - 22, y - 22), (x + 22, y + 22)])
    for i in range(1, 11):
        d = 22 + 8 * i
        touch("touchMove", [(x - d, y - d), (x + d, y + d)])
    touch("touchEnd", [])
    page.wait_for_function("() => !document.querySelector('#panel-front .live path')")
    after = [float(n) for n in (svg.get_attribute("viewBox") or "").split()]
    # the fingers went from 62 to 141 px apart: the box shrank about 2.3 times
    assert after[2] < before[2] / 2 and after[3] < before[3] / 2, after
    assert svg.bounding_box() == box, "the chart keeps its size on the page"
    # the chart point that was under the fingers' midpoint is still under it
    now = page.evaluate(UNDER, [x, y])
    assert abs(now[0] - target[0]) < 2 and abs(now[1] - target[1]) < 2, (target, now)
    assert float(svg.get_attribute("data-zoom") or 0) > 2
    assert page.evaluate("document.getElementById('draw').knoop.body().strokes") == [], \
        "a pinch draws nothing"
    page.screenshot(path=str(artifacts / "chart-pinched-phone.png"))
    # two fingers moving together pan: the chart point under them follows them
    under = page.evaluate(UNDER, [x, y])
    touch("touchStart", [(x - 30, y), (x + 30, y)])
    for i in range(1, 6):
        touch("touchMove", [(x - 30 + 8 * i, y + 6 * i), (x + 30 + 8 * i, y + 6 * i)])
    touch("touchEnd", [])
    followed = page.evaluate(UNDER, [x + 40, y + 30])
    assert abs(followed[0] - under[0]) < 2 and abs(followed[1] - under[1]) < 2
    assert page.evaluate("document.getElementById('draw').knoop.body().strokes") == []
    # one finger after the pinch draws again, exactly where it went in the zoomed chart
    t = updated_at(page)
    start = page.evaluate(UNDER, [x, y])
    touch("touchStart", [(x, y)])
    for i in range(1, 5):
        touch("touchMove", [(x + 3 * i, y + 4 * i)])
    touch("touchEnd", [])
    wait_for_update(page, t)
    strokes = page.evaluate("document.getElementById('draw').knoop.body().strokes")
    assert len(strokes) == 1
    first = strokes[0]["points"][0]
    assert abs(first[0] - start[0]) < 0.2 and abs(first[1] - start[1]) < 0.2
    # the brush keeps its size on screen: thinner in template units at this zoom
    assert strokes[0]["width"] < 18 / 2
    phone.close()


#: the bottom edge of everything one needs to draw: the chart, the tools, tabs, zoom buttons
FIRST_SCREEN = """() => {
  const box = e => e.getBoundingClientRect();
  const out = {chart: box(document.querySelector('#panel-front')).bottom, controls: {},
               tabs_fit: 0, tools_fit: 0};
  document.querySelectorAll('.tools .seg span, .tools .nrs-scale span, #brush-size, #undo, #clear, '
      + '.view-tabs [role=tab], #zoom-in, #zoom-out, #zoom-reset').forEach(e => {
    const r = box(e), k = e.id || e.textContent.trim();
    out.controls[k] = [r.right, r.bottom];
  });
  const tabs = document.querySelector('.view-tabs');
  out.tabs_fit = tabs.scrollWidth - tabs.clientWidth;
  const tools = box(document.querySelector('.tools'));
  out.tools_fit = Math.max(...[...document.querySelectorAll('.tools *')].map(e => box(e).right))
                  - tools.right;
  return out;
}"""


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_on_a_laptop_the_chart_and_its_controls_fit_the_first_screen(
        browser: Browser, base_url: str, artifacts: Path, lang: str) -> None:
    page = browser.new_page(viewport=LAPTOP)
    page.goto(f"{base_url}/tekenen?lang={lang}")
    wait_for_update(page, -1)
    page.wait_for_selector("#panel-front svg path.region")
    got = page.evaluate(FIRST_SCREEN)
    assert got["chart"] <= LAPTOP["height"], got["chart"]
    late = {k: v for k, v in got["controls"].items()
            if v[1] > LAPTOP["height"] or v[0] > LAPTOP["width"]}
    assert not late, f"controls outside the first screen: {late}"
    assert got["tabs_fit"] <= 0, "every view tab visible without scrolling the tab row"
    assert got["tools_fit"] <= 0.5, "nothing sticks out of the tool column"
    # the chart still has a usable size: at least 500 px tall
    svg = page.locator("#panel-front svg").bounding_box()
    assert svg and svg["height"] >= 500
    assert page.evaluate("window.scrollY") == 0
    page.screenshot(path=str(artifacts / f"chart-first-screen-laptop-{lang}.png"))
    page.close()
