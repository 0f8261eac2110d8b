"""The drawable body chart in real Chromium: draw with the mouse across the left temple and the
back of the neck, see the upper trapezius near the top, select it (overlay), chart "none found"
(it drops); draw with touch on a phone; a red-flag answer shows the banner first.
Screenshots of every step go to artifacts/ to be looked at."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect
from tests.browser import (
    live_server,
    mouse_stroke,
    ranked,
    region_box,
    updated_at,
    wait_for_update,
)

from knoop.web.app import create_app

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with live_server(create_app()) as url:
        yield url













def test_draw_temple_and_neck_select_trapezius_and_rule_it_out(
        browser: Browser, base_url: str, artifacts: Path) -> None:
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{base_url}/tekenen")
    wait_for_update(page, -1)  # the empty drawing's first answer
    page.screenshot(path=str(artifacts / "draw-1-empty.png"))

    t = updated_at(page)
    mouse_stroke(page, region_box(page, "front", "temple", "left"))
    wait_for_update(page, t)
    expect(page.locator("#panel-front .ink path")).to_have_count(1)
    row = page.locator("#region-list li[data-region=temple][data-side=left] input[type=checkbox]")
    assert row.is_checked(), "the region list follows the drawing"

    page.click("#tab-back")
    t = updated_at(page)
    mouse_stroke(page, region_box(page, "back", "neck_back_upper", "left"))
    wait_for_update(page, t)
    page.screenshot(path=str(artifacts / "draw-2-temple-and-neck.png"))
    top3 = ranked(page)[:3]
    assert ("trapezius", "left") in top3, top3

    page.locator(".cand[data-muscle=trapezius][data-side=left] .pick").click()
    page.wait_for_selector("#panel-back .overlay path.ov-ess")
    assert page.locator("#panel-back .overlay .ov-mark").count() >= 1
    assert page.locator("#selected").is_visible()
    assert "Zo vind je het" in page.locator("#selected").inner_text()
    page.screenshot(path=str(artifacts / "draw-3-trapezius-overlay.png"))

    t = updated_at(page)
    page.locator("#selected button[data-result=none_found]").click()
    wait_for_update(page, t)
    after = ranked(page)
    assert ("trapezius", "left") not in after[:3], after[:5]
    trap = page.locator(".cand[data-muscle=trapezius][data-side=left]")
    assert int(trap.get_attribute("data-rank") or 0) > 3
    assert "Niets gevonden" in trap.inner_text()
    trap.scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "draw-4-none-found.png"))

    # undo takes the finding back
    t = updated_at(page)
    page.click("#undo")
    wait_for_update(page, t)
    assert ("trapezius", "left") in ranked(page)[:3]
    assert not errors, errors
    page.close()


def test_a_phone_draws_with_touch_without_sideways_scroll(
        browser: Browser, base_url: str, artifacts: Path) -> None:
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2,
                              has_touch=True, is_mobile=True)
    page = ctx.new_page()
    page.goto(f"{base_url}/tekenen")
    wait_for_update(page, -1)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.locator("#panel-front svg").scroll_into_view_if_needed()
    box = region_box(page, "front", "pectoral", "left")
    cdp = ctx.new_cdp_session(page)
    x0, y = box["x"] + box["width"] * 0.25, box["y"] + box["height"] * 0.5
    x1 = box["x"] + box["width"] * 0.75
    t = updated_at(page)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x0, "y": y}]})
    for i in range(1, 11):
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [
            {"x": x0 + (x1 - x0) * i / 10, "y": y}]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    wait_for_update(page, t)
    expect(page.locator("#panel-front .ink path")).to_have_count(1)
    assert page.locator(
        "#region-list li[data-region=pectoral][data-side=left] input[type=checkbox]").is_checked()
    assert page.locator("#candidates > li.cand").count() > 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, "sideways scroll"
    assert page.evaluate("window.scrollX") == 0
    page.screenshot(path=str(artifacts / "draw-5-phone-touch.png"))
    page.locator("#results").scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "draw-6-phone-results.png"))
    ctx.close()


def test_a_red_flag_answer_shows_the_banner_first(browser: Browser, base_url: str,
                                                  artifacts: Path) -> None:
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    page.goto(f"{base_url}/tekenen")
    wait_for_update(page, -1)
    t = updated_at(page)
    mouse_stroke(page, region_box(page, "front", "temple", "left"))
    wait_for_update(page, t)
    t = updated_at(page)
    page.check("input[name=screening][value=chest_pain_exertion]")
    wait_for_update(page, t)
    banner = page.locator("#flags")
    assert banner.is_visible()
    expect(banner.locator("li[data-flag=chest_pain_exertion]")).to_have_count(1)
    # the banner comes before the list, and the list cannot be used until it is acknowledged
    above = page.evaluate("document.getElementById('flags').getBoundingClientRect().top < "
                          "document.getElementById('candidates').getBoundingClientRect().top")
    assert above
    assert page.evaluate("document.getElementById('results').inert") is True
    assert page.locator("#candidates > li.cand").count() > 0, "the list stays visible"
    page.locator("#flags").scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "draw-7-red-flag.png"))
    page.click("#ack-flags")
    assert page.evaluate("document.getElementById('results').inert") is False
    assert banner.is_visible(), "the flags stay listed after acknowledging"
    page.locator("#candidates .pick").first.click()
    page.wait_for_selector("#selected:not([hidden])")
    page.screenshot(path=str(artifacts / "draw-8-red-flag-acknowledged.png"))
    page.close()


def test_the_keyboard_list_fills_the_chart_in_english(browser: Browser, base_url: str,
                                                      artifacts: Path) -> None:
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    page.goto(f"{base_url}/tekenen?lang=en")
    wait_for_update(page, -1)
    page.click("#regions-box summary")
    page.fill("#region-q", "temple left")
    expect(page.locator("#region-list li:not([hidden])")).to_have_count(1)
    t = updated_at(page)
    page.focus("#rg-temple-left")
    page.keyboard.press("Space")
    wait_for_update(page, t)
    fill = page.locator("#panel-front path[data-region=temple][data-side=left]").get_attribute(
        "fill")
    assert fill and fill.lower() != "#f7f1ec", "the chosen region is filled on the chart"
    assert page.locator("#candidates > li.cand").count() > 0
    assert "Muscles to examine" in page.content()
    page.screenshot(path=str(artifacts / "draw-9-keyboard-list-en.png"))
    page.close()
