"""Between sessions in real Chromium, on a live server with its own SQLite database: the
therapist finishes a session (treatment, NRS after, closed), records the client's consent and
makes the aftercare link (QR code on screen); on a phone (390×844) the client reads the
treated muscle's exercises and records three diary entries (one with a drawing, one "much
worse"); the therapist sees them in the history (graph points, drawing) and on the next
session's intake with the note that it got worse; without JavaScript the page reads, sends and
prints; a revoked link stops. Screenshots in artifacts/."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from a11y import assert_accessible
from playwright.sync_api import Browser, BrowserContext, Page, expect
from tests.browser import live_server, region_box
from webkit import PASSWORD, app_for, fresh_store, make_world

pytestmark = pytest.mark.browser
LAPTOP = {"width": 1366, "height": 800}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    return make_world(fresh_store(tmp_path_factory.mktemp("aftercare")))


@pytest.fixture(scope="module")
def base_url(world) -> Iterator[str]:  # type: ignore[no-untyped-def]
    with live_server(app_for(world.store)) as url:
        yield url


def log_in(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/")
    page.fill("#email", "owner@knoop.test")
    page.fill("#password", PASSWORD)
    page.click("form.stack button[type=submit]")
    page.wait_for_url("**/clienten")


def wait_saved(page: Page) -> None:
    page.wait_for_function(
        "() => document.getElementById('save-status').classList.contains('ok')", timeout=10_000)


def touch_stroke(phone: BrowserContext, p: Page, box: dict) -> None:
    cdp = phone.new_cdp_session(p)
    x0, y = box["x"] + box["width"] * 0.25, box["y"] + box["height"] * 0.5
    x1 = box["x"] + box["width"] * 0.75
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x0, "y": y}]})
    for i in range(1, 11):
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [
            {"x": x0 + (x1 - x0) * i / 10, "y": y}]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})


def test_a_session_then_the_clients_aftercare_page_and_diary_then_the_next_intake(
        browser: Browser, base_url: str, world, artifacts: Path) -> None:  # type: ignore[no-untyped-def]
    laptop = browser.new_context(viewport=LAPTOP)
    page = laptop.new_page()
    log_in(page, base_url)

    # the therapist finishes the session: a treatment, the NRS after, closed
    page.goto(f"{base_url}/sessies/{world.session_id}")
    page.click(".steps a[data-step='4']")
    page.select_option("#t-muscle", "trapezius")
    page.select_option("#t-side", "right")
    page.select_option("#t-technique", "ischemic_compression")
    page.fill("#t-duration", "8")
    page.click("#add-treatment")
    page.wait_for_selector("#treatments-list li:has-text('Ischemische compressie')")
    page.fill("#nrs_after", "3")
    page.locator("#nrs_after").blur()
    wait_saved(page)
    page.click("#close-session")
    expect(page.locator("#status-badge")).to_have_text("afgerond")
    page.click(".steps a[data-step='5']")  # the last step, with the note, offers the link
    page.click("#aftercare-link-for-client")

    # consent first, then the link with its QR code and message
    page.locator("#toestemming li:has-text('Nazorgpagina') button").click()
    expect(page.locator("#toestemming li:has-text('Nazorgpagina') .ok")).to_have_count(1)
    page.click("#make-aftercare")
    url = page.locator("#aftercare-url").input_value()
    assert "/nazorg/" in url
    expect(page.locator("#aftercare-qr svg")).to_have_count(1)
    assert url in page.locator("#aftercare-message").input_value()
    page.locator("#nazorg").scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "aftercare-1-link-qr.png"))
    assert_accessible(page, "client page with aftercare link")

    # the client's phone
    phone = browser.new_context(viewport=PHONE, device_scale_factor=2, has_touch=True,
                                is_mobile=True)
    p = phone.new_page()
    errors: list[str] = []
    p.on("pageerror", lambda e: errors.append(str(e)))
    p.goto(url)
    assert "Je nazorg, Anna" in p.locator("h1").inner_text()
    assert p.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    card = p.locator("article.ac-muscle[data-muscle=trapezius]")
    expect(card).to_have_count(1)
    assert "Zelfmassage" in card.inner_text() and "Rekken" in card.inner_text()
    expect(card.locator("figure svg").first).to_be_visible()  # the diagram (and its key)
    p.screenshot(path=str(artifacts / "aftercare-2-phone-top.png"))
    card.locator("h3").scroll_into_view_if_needed()
    p.evaluate("window.scrollBy(0, document.querySelector('article.ac-muscle h3')"
               ".getBoundingClientRect().top - 8)")
    p.screenshot(path=str(artifacts / "aftercare-3-phone-exercise.png"))
    assert_accessible(p, "aftercare page")

    # entry 1: pain and exercises
    p.locator(".ac-scale label:has-text('5')").first.click()
    p.check("input[name=exercises][value=yes]")
    p.click("#save-entry")
    expect(p.locator("#saved")).to_be_visible()
    expect(p.locator("#entries li")).to_have_count(1)

    # entry 2: with a drawing on the chart
    p.locator(".ac-scale label:has-text('6')").first.click()
    p.locator("#ac-draw > summary").click()
    touch_stroke(phone, p, region_box(p, "front", "shoulder_front", "right"))
    expect(p.locator("#panel-front .ink path")).to_have_count(1)
    p.screenshot(path=str(artifacts / "aftercare-4-phone-drawing.png"))
    p.click("#tab-back")  # not inlined on this page: it loads when its tab opens
    expect(p.locator("#panel-back svg")).to_have_count(1)
    p.click("#save-entry")
    expect(p.locator("#saved")).to_be_visible()
    expect(p.locator("#entries li")).to_have_count(2)
    assert "met tekening" in p.locator("#entries li").first.inner_text()

    # entry 3: one tap "much worse" shows the contact advice
    p.locator(".ac-scale label:has-text('8')").first.click()
    p.click("#much-worse")
    expect(p.locator("#worse-advice")).to_be_visible()
    assert "Bel de praktijk" in p.locator("#worse-advice").inner_text()
    p.screenshot(path=str(artifacts / "aftercare-5-phone-much-worse.png"))
    assert_accessible(p, "aftercare page after much worse")
    expect(p.locator("#entries li.worse")).to_have_count(1)
    assert not errors, errors

    # the therapist's history: three diary points, the drawing as a small multiple
    page.goto(f"{base_url}/clienten/{world.client.id}/verloop")
    expect(page.locator("#diary-entries li")).to_have_count(3)
    expect(page.locator(".nrs-chart circle.diary-point")).to_have_count(3)
    expect(page.locator("#diary-drawings img")).to_have_count(2)  # front and back
    page.wait_for_function("() => [...document.querySelectorAll('#diary-drawings img')]"
                           ".every(i => i.complete && i.naturalWidth > 0)", timeout=10_000)
    page.locator("#dagboek").scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "aftercare-6-history.png"), full_page=True)
    assert_accessible(page, "history with diary")

    # the next session's intake, with the note that it got worse
    page.goto(f"{base_url}/clienten/{world.client.id}")
    page.click("#new-session")
    note = page.locator("#intake-diary")
    expect(note).to_be_visible()
    text = note.inner_text()
    assert "Er is iets erger geworden" in text and "veel erger" in text and "pijn tot 8" in text
    note.scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "aftercare-7-next-intake.png"))
    assert_accessible(page, "session page with the diary note")

    # without JavaScript the page reads and the diary form still sends; printing leaves the
    # form and the menu out
    plain = browser.new_context(viewport=PHONE, java_script_enabled=False)
    q = plain.new_page()
    q.goto(url)
    expect(q.locator("article.ac-muscle[data-muscle=trapezius]")).to_be_visible()
    expect(q.locator("#print-page")).to_be_hidden()
    q.locator(".ac-scale label:has-text('3')").first.click()
    q.click("#save-entry")
    expect(q.locator("#saved")).to_be_visible()
    q.emulate_media(media="print")
    expect(q.locator("#dagboek")).to_be_hidden()
    expect(q.locator("header.top")).to_be_hidden()
    q.screenshot(path=str(artifacts / "aftercare-9-print.png"), full_page=True)
    plain.close()
    assert len(world.store.diary_entries(world.owner.actor, world.client.id)) == 4

    # revoked: the phone page stops at once
    page.goto(f"{base_url}/clienten/{world.client.id}")
    page.locator("#aftercare-links li[data-state=open] button").click()
    expect(page.locator("#aftercare-links li[data-state=revoked]")).to_have_count(1)
    r = p.goto(url)
    assert r is not None and r.status == 404
    assert "niet meer geldig" in p.content()
    p.screenshot(path=str(artifacts / "aftercare-8-phone-revoked.png"))
    phone.close()
    laptop.close()
