"""The therapist's workplace in real Chromium, on a live server with its own SQLite database:
log in, create a client, start a session, draw across the left temple and the back of the neck
(upper trapezius near the top), chart "none found" on it (it drops), record a treatment and the
note; then an intake link opened on a phone: draw, send, the draft appears for the therapist and
the link refuses a second use. axe-core checks every main page. Screenshots go to artifacts/."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from a11y import assert_accessible
from playwright.sync_api import Browser, BrowserContext, Page, expect
from tests.browser import (
    live_server,
    mouse_stroke,
    ranked,
    region_box,
    updated_at,
    wait_for_update,
)
from webkit import PASSWORD, app_for, fresh_store, make_world

pytestmark = pytest.mark.browser
LAPTOP = {"width": 1366, "height": 800}


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    return make_world(fresh_store(tmp_path_factory.mktemp("workplace")))


@pytest.fixture(scope="module")
def base_url(world) -> Iterator[str]:  # type: ignore[no-untyped-def]
    with live_server(app_for(world.store)) as url:
        yield url






def wait_saved(page: Page) -> None:
    page.wait_for_function("() => document.getElementById('save-status').classList.contains('ok')",
                           timeout=10_000)








def log_in(page: Page, base_url: str, email: str = "owner@knoop.test") -> None:
    page.goto(f"{base_url}/")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("form.stack button[type=submit]")
    page.wait_for_url(f"{base_url}/clienten")


@pytest.fixture
def laptop(browser: Browser) -> Iterator[BrowserContext]:
    ctx = browser.new_context(viewport=LAPTOP)
    yield ctx
    ctx.close()


def test_a_session_from_login_to_note(laptop: BrowserContext, base_url: str,
                                      artifacts: Path) -> None:
    page = laptop.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" and "Failed to load resource" not in m.text else None)

    page.goto(f"{base_url}/")
    assert page.url.endswith("/inloggen")
    page.screenshot(path=str(artifacts / "app-1-login.png"))
    assert_accessible(page, "login")
    log_in(page, base_url)
    page.screenshot(path=str(artifacts / "app-2-clients.png"))
    assert_accessible(page, "client list")

    # a new client with consents
    page.click("text=Nieuwe cliënt")
    page.fill("#f-first_name", "Marloes")
    page.fill("#f-last_name", "Hoekstra")
    page.fill("#f-date_of_birth", "1984-03-09")
    page.check("input[name=consent_treatment]")
    page.check("input[name=consent_gp_sharing]")
    page.screenshot(path=str(artifacts / "app-3-new-client.png"), full_page=True)
    page.click("button:has-text('Cliënt opslaan')")
    page.wait_for_url(re.compile(r"/clienten/\d+\?opgeslagen=nieuw$"))
    assert "Marloes Hoekstra" in page.locator("h1").inner_text()
    assert "gegeven" in page.locator("#toestemming").inner_text()
    page.screenshot(path=str(artifacts / "app-4-client-page.png"))
    assert_accessible(page, "client page")
    client_url = page.url.split("?")[0]

    # start a session and draw
    page.click("#new-session")
    page.wait_for_url(re.compile(r"/sessies/\d+$"))
    session_url = page.url
    wait_for_update(page, -1)
    page.fill("#complaint", "Hoofdpijn links na beeldschermwerk")
    page.fill("#nrs_before", "7")
    page.locator("#nrs_before").blur()
    wait_saved(page)
    t = updated_at(page)
    mouse_stroke(page, region_box(page, "front", "temple", "left"))
    wait_for_update(page, t)
    page.click("#tab-back")
    t = updated_at(page)
    mouse_stroke(page, region_box(page, "back", "neck_back_upper", "left"))
    wait_for_update(page, t)
    top = ranked(page)[:3]
    assert ("trapezius", "left") in top, top
    wait_saved(page)
    page.screenshot(path=str(artifacts / "app-5-session-drawn.png"))
    assert_accessible(page, "session page")

    # select the trapezius, see its overlay, chart "none found": it drops
    page.locator(".cand[data-muscle=trapezius][data-side=left] .pick").click()
    page.wait_for_selector("#panel-back .overlay path.ov-ess")
    t = updated_at(page)
    page.locator("#selected button[data-result=none_found]").click()
    wait_for_update(page, t)
    after = ranked(page)
    assert ("trapezius", "left") not in after[:3], after[:5]
    page.wait_for_selector("#findings-list li[data-muscle=trapezius][data-result=none_found]")
    page.screenshot(path=str(artifacts / "app-6-none-found.png"))

    # chart an active trigger point on the new number one, with its criteria
    first = ranked(page)[0]
    page.locator(f".cand[data-muscle={first[0]}][data-side={first[1]}] .pick").click()
    page.wait_for_selector(f"#selected[data-muscle={first[0]}]")
    page.locator("#selected input[data-criterion=pain_recognised]").check()
    page.locator("#selected button[data-result=active]").click()
    page.wait_for_selector(f"#findings-list li[data-muscle={first[0]}][data-result=active]")
    assert "herkenbare pijn" in page.locator("#findings-list").inner_text()

    # a treatment, NRS after, the note
    page.click(".steps a[data-step='4']")
    page.select_option("#t-muscle", first[0])
    page.select_option("#t-side", first[1])
    page.select_option("#t-technique", "ischemic_compression")
    page.fill("#t-duration", "6")
    page.check("input[name=pressure_tolerance][value=moderate]")
    page.click("#add-treatment")
    page.wait_for_selector("#treatments-list li:has-text('Ischemische compressie')")
    # one recorded by mistake, taken back with its remove button
    page.select_option("#t-technique", "cupping")
    page.click("#add-treatment")
    page.wait_for_selector("#treatments-list li:has-text('Cupping')")
    page.locator("#treatments-list li:has-text('Cupping') button.remove").click()
    page.wait_for_selector("#treatments-list li:has-text('Cupping')", state="detached")
    expect(page.locator("#treatments-list li")).to_have_count(1)
    assert "Behandeling verwijderd" in page.locator("#treatment-msg").inner_text()
    page.fill("#nrs_after", "3")
    page.locator("#nrs_after").blur()
    wait_saved(page)
    page.screenshot(path=str(artifacts / "app-7-treatment.png"))
    page.click(".steps a[data-step='5']")
    page.fill("#note-assessment", "Myofasciale hoofdpijn, actief triggerpunt herkend.")
    page.wait_for_function("() => document.getElementById('soap-text').textContent.includes('A: Myofasciale')",
                           timeout=10_000)
    soap = page.locator("#soap-text").inner_text()
    assert "NRS) bij aanvang: 7/10" in soap and "niets gevonden" in soap and "3/10" in soap
    page.screenshot(path=str(artifacts / "app-8-note.png"))

    # bad input: a Dutch message naming the field, and nothing else lost
    page.click(".steps a[data-step='1']")
    page.fill("#nrs_before", "12")
    page.locator("#nrs_before").blur()
    page.wait_for_function("() => document.getElementById('save-status').classList.contains('error')")
    assert "Pijn nu (NRS 0–10)" in page.locator("#save-status").inner_text()
    page.fill("#nrs_before", "7")
    page.locator("#nrs_before").blur()
    wait_saved(page)

    # everything is still there after a reload
    page.goto(session_url)
    wait_for_update(page, -1)
    assert page.locator("#panel-front .ink path").count() >= 1
    assert ("trapezius", "left") not in ranked(page)[:3]
    assert page.locator("#complaint").input_value().startswith("Hoofdpijn links")
    assert "niets gevonden" in page.locator("#findings-list").inner_text()

    # the history page shows the drawing and the NRS chart
    page.goto(client_url + "/verloop")
    page.wait_for_selector("svg.nrs-chart")
    page.locator('.multiple img').first.scroll_into_view_if_needed()
    page.wait_for_function("() => [...document.querySelectorAll('.multiple img')].slice(0, 2).every(i => i.complete && i.naturalWidth > 0)")
    page.screenshot(path=str(artifacts / "app-9-history.png"))
    assert_accessible(page, "history")
    assert not [e for e in errors if "favicon" not in e], errors


def test_a_red_flag_must_be_acknowledged_before_charting(laptop: BrowserContext, base_url: str,
                                                        world, artifacts: Path) -> None:  # type: ignore[no-untyped-def]
    page = laptop.new_page()
    log_in(page, base_url)
    page.goto(f"{base_url}/sessies/{world.session_id}")
    wait_for_update(page, -1)
    t = updated_at(page)
    page.check("input[name=screening][value=fever_or_unwell]")
    wait_for_update(page, t)
    assert page.locator("#flags").is_visible()
    assert page.evaluate("document.getElementById('results').inert") is True
    wait_saved(page)
    # the server refuses a finding until the flags are acknowledged
    token = page.locator("meta[name=csrf-token]").get_attribute("content")
    r = page.request.post(f"{base_url}/api/v1/sessions/{world.session_id}/findings",
                          data={"muscle": "trapezius", "side": "left", "result": "active"},
                          headers={"X-CSRF-Token": token or ""})
    assert r.status == 409
    page.screenshot(path=str(artifacts / "app-10-red-flag.png"))
    with page.expect_response(lambda r: r.url.endswith("/flags") and r.status == 200):
        page.click("#ack-flags")
    page.reload()
    wait_for_update(page, -1)
    assert page.evaluate("document.getElementById('results').inert") is False, \
        "the acknowledgement is stored with the session"
    assert page.locator("#acked-note").is_visible()


def test_an_intake_link_on_a_phone(browser: Browser, laptop: BrowserContext, base_url: str,
                                   world, artifacts: Path) -> None:  # type: ignore[no-untyped-def]
    page = laptop.new_page()
    log_in(page, base_url)
    page.goto(f"{base_url}/clienten/{world.client.id}")
    page.click("#make-intake")
    url = page.locator("#intake-url").input_value()
    assert "/intake/" in url
    page.screenshot(path=str(artifacts / "app-11-intake-link.png"))

    phone = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2,
                                has_touch=True, is_mobile=True)
    p = phone.new_page()
    errors: list[str] = []
    p.on("pageerror", lambda e: errors.append(str(e)))
    p.goto(url)
    wait_for_update(p, -1)
    assert p.evaluate("document.documentElement.scrollWidth") <= 390
    assert "Je intake" in p.locator("h1").inner_text()
    assert p.locator("#candidates").count() == 0 or not p.locator("#candidates").is_visible()
    p.screenshot(path=str(artifacts / "app-12-intake-phone.png"))
    chart_box = p.locator("#panel-front svg").bounding_box()
    assert chart_box and chart_box["y"] < 844 / 2, "the intake opens on the chart"
    assert_accessible(p, "intake page")
    box = region_box(p, "front", "shoulder_front", "right")
    cdp = phone.new_cdp_session(p)
    x0, y = box["x"] + box["width"] * 0.25, box["y"] + box["height"] * 0.5
    x1 = box["x"] + box["width"] * 0.75
    t = updated_at(p)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x0, "y": y}]})
    for i in range(1, 11):
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [
            {"x": x0 + (x1 - x0) * i / 10, "y": y}]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    wait_for_update(p, t)
    expect(p.locator("#panel-front .ink path")).to_have_count(1)
    p.screenshot(path=str(artifacts / "app-13-intake-drawn.png"))
    p.click("#closeups button[data-closeup='front.head']")
    expect(p.locator("#panel-front svg")).to_have_attribute("data-zoom", re.compile(r"^[2-9]"))
    p.screenshot(path=str(artifacts / "app-13b-intake-head-phone.png"))
    p.click("#zoom-reset")
    p.fill("#complaint", "Pijn voorkant schouder bij tillen")
    p.fill("#nrs_before", "5")
    p.check("input[name=symptoms][value=restricted_shoulder]")
    p.locator("#send-intake").scroll_into_view_if_needed()
    p.screenshot(path=str(artifacts / "app-14-intake-questions.png"))
    p.click("#send-intake")
    p.wait_for_selector("#intake-thanks")
    p.screenshot(path=str(artifacts / "app-15-intake-sent.png"))
    assert not errors, errors

    # the link works once
    r = p.goto(url)
    assert r is not None and r.status == 404
    assert "niet meer geldig" in p.content()
    p.screenshot(path=str(artifacts / "app-16-intake-used.png"))
    phone.close()

    # the draft is there for the therapist, with the drawing
    page.goto(f"{base_url}/clienten/{world.client.id}")
    draft = page.locator("#timeline li[data-status=draft]")
    expect(draft).to_have_count(1)
    assert "Pijn voorkant schouder" in draft.inner_text()
    page.screenshot(path=str(artifacts / "app-17-draft-for-therapist.png"))
    draft.locator("a").click()
    wait_for_update(page, -1)
    expect(page.locator("#panel-front .ink path")).to_have_count(1)
    expect(page.locator("#complaint")).to_have_value("Pijn voorkant schouder bij tillen")
    expect(page.locator("input[name=symptoms][value=restricted_shoulder]")).to_be_checked()
    page.screenshot(path=str(artifacts / "app-18-draft-session.png"))


def test_the_knowledge_base_pages_are_accessible(laptop: BrowserContext, base_url: str,
                                                 artifacts: Path) -> None:
    page = laptop.new_page()
    for name, path in [("kb list", "/kb?regio=heel"), ("muscle page", "/kb/spieren/trapezius"),
                       ("education page", "/uitleg")]:
        page.goto(base_url + path)
        assert_accessible(page, name)
    page.goto(f"{base_url}/kb?regio=heel")
    expect(page.locator("a[href='/kb/spieren/soleus']")).to_have_count(1)
    page.screenshot(path=str(artifacts / "app-19-kb-by-region.png"))


def test_the_demo_practice_history_and_a_closed_session(browser: Browser, artifacts: Path,
                                                        tmp_path: Path) -> None:
    from tests.demo_practice import DEMO_NOW

    from knoop.store.demo import THERAPIST, load

    store = fresh_store(tmp_path)
    load(store, now=DEMO_NOW)
    with live_server(app_for(store)) as url:
        ctx = browser.new_context(viewport=LAPTOP)
        page = ctx.new_page()
        page.goto(f"{url}/inloggen")
        page.fill("#email", THERAPIST[0])
        page.fill("#password", THERAPIST[2])
        page.click("form.stack button[type=submit]")
        page.wait_for_url(f"{url}/clienten")
        page.click("text=Pieter Bakker")
        page.click("text=Verloop: tekeningen en NRS door de tijd")
        page.wait_for_selector("svg.nrs-chart")
        expect(page.locator(".multiple")).to_have_count(4)
        expect(page.locator("svg.nrs-chart circle")).to_have_count(8)
        overlap = page.locator(".multiple").nth(1).inner_text()
        assert "Overlap" in overlap and "%" in overlap
        # Dutch numbers with units; drawings cropped to the paint (square) with a key
        assert re.search(r"\d+,\d\s%", overlap) and "procentpunt" in overlap, overlap
        page.wait_for_function("() => [...document.querySelectorAll('.multiple img')]"
                               ".every(i => i.complete && i.naturalWidth > 0)")
        assert page.evaluate("[...document.querySelectorAll('.multiple img')].every("
                             "i => i.naturalWidth === i.naturalHeight)")
        page.screenshot(path=str(artifacts / "app-20-demo-history.png"), full_page=True)
        phone = browser.new_context(viewport={"width": 390, "height": 844})
        ph = phone.new_page()
        ph.context.add_cookies(ctx.cookies())
        ph.goto(page.url)
        ph.wait_for_function("() => [...document.querySelectorAll('.multiple img')]"
                             ".every(i => i.complete && i.naturalWidth > 0)")
        assert ph.evaluate("document.documentElement.scrollWidth") <= 390
        ph.screenshot(path=str(artifacts / "app-20b-demo-history-phone.png"), full_page=True)
        phone.close()
        page.locator(".multiple h3 a").first.click()
        wait_for_update(page, -1)
        assert page.locator("#reopen-session").is_visible()
        assert not page.locator(".tools").is_visible(), "a closed session is read-only"
        page.screenshot(path=str(artifacts / "app-21-demo-closed-session.png"))
        ctx.close()
        # the session page and the client list on a tablet and a phone
        for name, vp in (("tablet", {"width": 820, "height": 1180}),
                         ("phone", {"width": 390, "height": 844})):
            c = browser.new_context(viewport=vp, has_touch=True, is_mobile=name == "phone")
            p = c.new_page()
            p.goto(f"{url}/inloggen")
            p.fill("#email", THERAPIST[0])
            p.fill("#password", THERAPIST[2])
            p.click("form.stack button[type=submit]")
            p.wait_for_url(f"{url}/clienten")
            assert p.evaluate("document.documentElement.scrollWidth") <= vp["width"]
            p.screenshot(path=str(artifacts / f"app-22-{name}-clients.png"))
            p.click("text=Anna de Vries")
            p.click("#new-session")
            p.wait_for_url(re.compile(r"/sessies/\d+$"))
            wait_for_update(p, -1)
            assert p.evaluate("document.documentElement.scrollWidth") <= vp["width"], \
                f"sideways scroll on the {name}"
            p.screenshot(path=str(artifacts / f"app-23-{name}-session.png"))
            c.close()
