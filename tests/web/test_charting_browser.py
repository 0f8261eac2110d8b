"""Charting by tapping the chart, in real Chromium on a live server with its own SQLite: in a
session, switch the tool to "Vastleggen", tap the left neck-shoulder angle on the back view, pick
the trapezius in the picker (a modal dialog, keyboard usable, best-ranked first), chart "Niets
gevonden" and see it drop in the list. Screenshots go to artifacts/charting-*.png."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from a11y import assert_accessible
from playwright.sync_api import Browser, BrowserContext, Page, expect
from tests.browser import live_server, mouse_stroke, ranked, region_box, updated_at, wait_for_update
from webkit import PASSWORD, app_for, fresh_store, make_world

from knoop.bodymap import chart

pytestmark = pytest.mark.browser
LAPTOP = {"width": 1366, "height": 800}


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    return make_world(fresh_store(tmp_path_factory.mktemp("charting")))


@pytest.fixture(scope="module")
def base_url(world) -> Iterator[str]:  # type: ignore[no-untyped-def]
    with live_server(app_for(world.store)) as url:
        yield url


@pytest.fixture
def laptop(browser: Browser) -> Iterator[BrowserContext]:
    ctx = browser.new_context(viewport=LAPTOP)
    yield ctx
    ctx.close()


def tap_region(page: Page, view: str, region: str, side: str) -> None:
    """Click a point inside a region (its representative point, mapped to the screen)."""
    shape = next(s for s in chart().shapes(view) if s.region == region and s.side == side)
    p = shape.polygon.representative_point()
    region_box(page, view, region, side)  # scrolls it into view
    xy = page.evaluate("""([v, x, y]) => {
        const svg = document.querySelector('#panel-' + v + ' svg');
        const pt = svg.createSVGPoint(); pt.x = x; pt.y = y;
        const s = pt.matrixTransform(svg.getScreenCTM());
        return [s.x, s.y];
    }""", [view, p.x, p.y])
    page.mouse.click(xy[0], xy[1])


def test_tap_a_region_pick_the_trapezius_and_chart_none_found(
        laptop: BrowserContext, base_url: str, world, artifacts: Path) -> None:  # type: ignore[no-untyped-def]
    page = laptop.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{base_url}/")
    page.fill("#email", "owner@knoop.test")
    page.fill("#password", PASSWORD)
    page.click("form.stack button[type=submit]")
    page.wait_for_url(f"{base_url}/clienten")
    page.goto(f"{base_url}/sessies/{world.session_id}")
    wait_for_update(page, -1)

    # a drawing that puts the left trapezius near the top
    t = updated_at(page)
    mouse_stroke(page, region_box(page, "front", "temple", "left"))
    wait_for_update(page, t)
    page.click("#tab-back")
    t = updated_at(page)
    mouse_stroke(page, region_box(page, "back", "neck_back_upper", "left"))
    wait_for_update(page, t)
    assert ("trapezius", "left") in ranked(page)[:3], ranked(page)[:5]
    strokes = page.locator("#panel-back .ink path").count()

    # charting: the "Vastleggen" tool, a tap on the left neck-shoulder angle opens the picker
    page.locator(".tool-chart").click()
    assert page.locator("#draw").get_attribute("data-tool") == "chart"
    tap_region(page, "back", "neck_shoulder_angle", "left")
    dialog = page.locator("dialog#tp-picker")
    dialog.wait_for(state="visible")
    trap = dialog.locator("li.tp-muscle[data-muscle=trapezius][data-side=left]")
    trap.wait_for()
    assert "Hoek tussen nek en schouder (links)" in dialog.locator("h3").inner_text()
    assert "Monnikskapspier (links)" in trap.inner_text()
    # best ranked first: the listed muscles follow the list on screen
    listed = [(li.get_attribute("data-muscle"), li.get_attribute("data-side"))
              for li in dialog.locator("li.tp-muscle").all()]
    order = ranked(page)
    in_list = [m for m in listed if m in order]
    assert in_list == sorted(in_list, key=order.index) and listed[:len(in_list)] == in_list
    assert all(side == "left" for _m, side in listed)
    # keyboard usable: focus is on the first trigger point, Escape closes, the tap stored no paint
    assert page.evaluate("document.activeElement.closest('dialog') !== null")
    page.screenshot(path=str(artifacts / "charting-1-picker.png"))
    assert_accessible(page, "charting picker")
    page.keyboard.press("Escape")
    dialog.wait_for(state="hidden")
    expect(page.locator("#panel-back .ink path")).to_have_count(strokes)
    tap_region(page, "back", "neck_shoulder_angle", "left")
    button = trap.locator("button").first
    button.wait_for()
    tp = button.get_attribute("data-trigger-point")
    button.focus()
    page.keyboard.press("Enter")
    dialog.wait_for(state="hidden")

    # the muscle is selected as from the results list, with that trigger point preselected
    page.wait_for_selector("#selected[data-muscle=trapezius][data-side=left]")
    page.wait_for_selector("#panel-back .overlay path.ov-ess")
    expect(page.locator(f"#selected input[type=radio][value={tp}]")).to_be_checked()
    assert page.locator(".cand[data-muscle=trapezius][data-side=left]").get_attribute("class").count("sel")
    assert page.locator("#step-4").is_visible()
    focused = page.evaluate("document.activeElement.dataset.result || ''")
    assert focused == "active", focused

    t = updated_at(page)
    page.locator("#selected button[data-result=none_found]").click()
    wait_for_update(page, t)
    assert ("trapezius", "left") not in ranked(page)[:3], ranked(page)[:5]
    row = page.locator("#findings-list li[data-muscle=trapezius][data-result=none_found]")
    row.wait_for()
    assert "niets gevonden" in row.inner_text().lower()
    page.screenshot(path=str(artifacts / "charting-2-none-found.png"))
    assert errors == []
    s = world.store.get_session(world.owner.actor, world.session_id)
    f = [x for x in s.findings if x.muscle == "trapezius" and x.side == "left"]
    assert f and f[-1].result == "none_found" and f[-1].trigger_point == tp

    # "Ongedaan maken" on the chart takes the finding back on the server too, not only on screen
    t = updated_at(page)
    page.locator("#undo").click()
    wait_for_update(page, t)
    expect(page.locator("#findings-list li[data-muscle=trapezius]")).to_have_count(0)
    s = world.store.get_session(world.owner.actor, world.session_id)
    assert not [x for x in s.findings if x.muscle == "trapezius" and x.side == "left"]
    assert errors == []
