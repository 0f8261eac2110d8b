"""Two windows on one session, in real Chromium: a save based on an older version is refused,
the second window says so and keeps its own text to copy; "save mine over it" and "load the
other version" both work, and no text is lost without a warning. Also: an emergency red flag
on a session needs a written reason before charting."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from tests.browser import live_server
from webkit import PASSWORD, World, app_for, fresh_store, make_world

pytestmark = pytest.mark.browser
LAPTOP = {"width": 1366, "height": 900}


@pytest.fixture
def world(tmp_path: Path) -> World:
    return make_world(fresh_store(tmp_path))


@pytest.fixture
def base_url(world: World) -> Iterator[str]:
    with live_server(app_for(world.store)) as url:
        yield url


def _window(browser: Browser, base_url: str, path: str) -> tuple[BrowserContext, Page]:
    ctx = browser.new_context(viewport=LAPTOP)
    page = ctx.new_page()
    page.goto(f"{base_url}/inloggen")
    page.fill("#email", "owner@knoop.test")
    page.fill("#password", PASSWORD)
    page.click("form.stack button[type=submit]")
    page.wait_for_url(f"{base_url}/clienten")
    page.goto(base_url + path)
    page.wait_for_selector("#complaint")
    return ctx, page


def _saved(page: Page) -> None:
    expect(page.locator("#save-status")).to_have_class("save-status small ok", timeout=10_000)


def test_a_second_window_is_warned_and_keeps_its_text(browser: Browser, base_url: str,
                                                      world: World, artifacts: Path) -> None:
    path = f"/sessies/{world.session_id}"
    ctx_a, a = _window(browser, base_url, path)
    ctx_b, b = _window(browser, base_url, path)
    try:
        a.fill("#complaint", "Hoofdpijn rechts sinds maandag")
        _saved(a)
        b.fill("#complaint", "Nekpijn links bij het fietsen")
        conflict = b.locator("#conflict")
        expect(conflict).to_be_visible(timeout=10_000)
        expect(conflict).to_contain_text("ander venster")
        expect(b.locator("#conflict-mine")).to_have_value("Hoofdklacht: Nekpijn links bij het fietsen")
        b.screenshot(path=str(artifacts / "conflict-1-warned.png"))
        stored = world.store.get_session(world.owner.actor, world.session_id)
        assert stored.complaint == "Hoofdpijn rechts sinds maandag", "A's text was not overwritten"

        b.click("#conflict-keep")  # knowingly over A's version
        _saved(b)
        expect(conflict).to_be_hidden()
        stored = world.store.get_session(world.owner.actor, world.session_id)
        assert stored.complaint == "Nekpijn links bij het fietsen"

        a.fill("#complaint", "Hoofdpijn rechts, erger bij lezen")
        expect(a.locator("#conflict")).to_be_visible(timeout=10_000)
        a.click("#conflict-load")  # B's version; A's own text stays on screen to copy
        a.wait_for_selector("#complaint")
        expect(a.locator("#complaint")).to_have_value("Nekpijn links bij het fietsen")
        expect(a.locator("#conflict-mine")).to_have_value(
            "Hoofdklacht: Hoofdpijn rechts, erger bij lezen")
        a.screenshot(path=str(artifacts / "conflict-2-loaded-with-own-text.png"))
        assert world.store.get_session(world.owner.actor, world.session_id).complaint == \
            "Nekpijn links bij het fietsen"
    finally:
        ctx_a.close()
        ctx_b.close()


def test_an_emergency_sign_needs_a_written_reason_on_a_session(
        browser: Browser, base_url: str, world: World, artifacts: Path) -> None:
    sid = world.store.create_session(world.owner.actor, world.client.id,
                                     screening=["chest_pain_exertion"],
                                     painmap={"regions": [{"region": "pectoral", "side": "left",
                                                           "intensity": 6}]}).id
    ctx, page = _window(browser, base_url, f"/sessies/{sid}")
    try:
        flags = page.locator("#flags")
        expect(flags).to_contain_text("112", timeout=10_000)
        page.click("#ack-flags")  # no reason yet: refused on the page
        expect(page.locator(".reason-hint")).to_be_visible()
        assert world.store.get_session(world.owner.actor, sid).open_flags == \
            ["chest_pain_exertion"]
        why = "Cardioloog sloot hartklachten uit, brief 1 december"
        page.fill("#override-reason", why)
        page.click("#ack-flags")
        page.wait_for_function(
            f"() => fetch('/api/v1/sessions/{sid}').then(r => r.json()).then(j => "
            "j.open_flags.length === 0)", timeout=10_000)
        page.screenshot(path=str(artifacts / "flags-override.png"))
        (d,) = world.store.get_session(world.owner.actor, sid).flag_decisions
        assert (d.decision, d.reason) == ("overridden", why)
    finally:
        ctx.close()
