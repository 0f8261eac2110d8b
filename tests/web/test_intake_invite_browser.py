"""Sending an intake link in real Chromium: the link with a copy button, the ready message and
a QR code on the client page; on a phone an empty intake is refused and the link keeps working;
the client's red flags show on "Wachtende intakes". Screenshots go to artifacts/."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from a11y import assert_accessible
from playwright.sync_api import Browser, BrowserContext, expect
from tests.browser import live_server
from webkit import PASSWORD, World, app_for, fresh_store, make_world

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    return make_world(fresh_store(tmp_path_factory.mktemp("invite")))


@pytest.fixture(scope="module")
def base_url(world: World) -> Iterator[str]:
    with live_server(app_for(world.store)) as url:
        yield url


@pytest.fixture
def laptop(browser: Browser, base_url: str) -> Iterator[BrowserContext]:
    ctx = browser.new_context(viewport={"width": 1366, "height": 800})
    ctx.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url)
    yield ctx
    ctx.close()


def test_an_intake_link_is_sent_by_qr_code_or_message_and_lands_with_its_flags(
        browser: Browser, laptop: BrowserContext, base_url: str, world: World,
        artifacts: Path) -> None:
    page = laptop.new_page()
    page.goto(f"{base_url}/inloggen")
    page.fill("#email", "owner@knoop.test")
    page.fill("#password", PASSWORD)
    page.click("form.stack button[type=submit]")
    page.wait_for_url(f"{base_url}/clienten")
    page.goto(f"{base_url}/clienten/{world.client.id}")
    page.locator("form[action$='/intakelink'] button[type=submit]").click()
    page.wait_for_selector("#intake-qr svg.qr")
    url = page.locator("#intake-url").input_value()
    qr = page.locator("#intake-qr svg.qr").bounding_box()
    assert qr and 150 <= qr["width"] <= 260 and abs(qr["width"] - qr["height"]) < 2
    page.click("#copy-intake-url")
    expect(page.locator("#copy-status")).to_have_text("Link gekopieerd.")
    assert page.evaluate("navigator.clipboard.readText()") == url
    page.click("#copy-invite-text")
    expect(page.locator("#copy-status")).to_have_text("Bericht gekopieerd.")
    message = page.evaluate("navigator.clipboard.readText()")
    assert message.startswith("Beste Anna,") and url in message
    page.screenshot(path=str(artifacts / "intake-invite.png"))
    assert_accessible(page, "client page with an intake link")

    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                                has_touch=True)
    p = phone.new_page()
    p.goto(url)
    p.click("#send-intake")
    expect(p.locator(".error-msg, [role=alert]").first).to_contain_text("er is nog niets ingevuld")
    p.screenshot(path=str(artifacts / "intake-empty-refused.png"), full_page=True)
    p.fill("textarea[name=complaint]", "Rugpijn en een doof gevoel")
    p.locator("input[name=screening][value=saddle_numbness]").check(force=True)
    p.click("#send-intake")
    expect(p.locator("#intake-thanks")).to_contain_text("Doof gevoel rond geslachtsdelen of anus")
    p.screenshot(path=str(artifacts / "intake-thanks.png"), full_page=True)
    phone.close()

    page.goto(f"{base_url}/clienten")
    flag = page.locator("#waiting-intakes li[data-flag=saddle_numbness]")
    expect(flag).to_contain_text("rode vlag · spoed")
    page.screenshot(path=str(artifacts / "intake-waiting-flags.png"))


#: every control of the intake's drawing, with whether it is the topmost element at its centre
CONTROLS = """() => [...document.querySelectorAll(
    '.tools .seg label, .tools .nrs-scale label, #brush-size, #undo, #clear, .view-tabs [role=tab], '
    + '#zoom-in, #zoom-out, #zoom-reset, #closeups button, #send-intake')].map(e => {
  e.scrollIntoView({block: 'center', inline: 'nearest'});
  const r = e.getBoundingClientRect(), x = r.left + r.width / 2, y = r.top + r.height / 2;
  const top = document.elementFromPoint(x, y);
  return {name: e.id || e.textContent.trim(), w: r.width, h: r.height, left: r.left,
          right: r.right, on_top: !!top && (top === e || e.contains(top) || top.contains(e))};
})"""


def test_the_intake_on_a_phone_works_with_one_thumb(
        browser: Browser, base_url: str, world: World, artifacts: Path) -> None:
    token = world.store.create_intake_token(world.owner.actor, world.client.id)
    phone = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2,
                                has_touch=True, is_mobile=True)
    p = phone.new_page()
    p.goto(f"{base_url}/intake/{token}")
    p.wait_for_selector("#panel-front svg path.region")
    chart = p.locator("#panel-front svg").bounding_box()
    assert chart and chart["y"] < 844 / 2, "the intake opens on the chart"
    # the chart takes one finger for drawing (and two for zooming it), so it never fills the
    # screen: a thumb always has a strip of page beside it to scroll with
    assert chart["height"] <= 844 - 150
    cdp = phone.new_cdp_session(p)

    def swipe(x: float, y0: float, y1: float) -> None:
        cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y0}]})
        for i in range(1, 11):
            cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [
                {"x": x, "y": y0 + (y1 - y0) * i / 10}]})
        cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})

    # a thumb on the page above the chart scrolls the page
    swipe(200, 300, 60)
    p.wait_for_function("() => window.scrollY > 100")
    # every control can be reached and is not covered by the chart or anything else
    controls = p.evaluate(CONTROLS)
    assert len(controls) > 25
    bad = [c for c in controls if not c["on_top"] or c["left"] < 0 or c["right"] > 390
           or min(c["w"], c["h"]) < 24]
    assert not bad, bad
    p.evaluate("window.scrollTo(0, 0)")
    p.locator("#panel-front svg").scroll_into_view_if_needed()
    p.screenshot(path=str(artifacts / "intake-phone-one-thumb.png"))
    phone.close()
