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
