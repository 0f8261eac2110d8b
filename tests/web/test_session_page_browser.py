"""The session page on a 1366 × 800 laptop in real Chromium: the header on one row (measured by
element boxes), the brush slider inside its column, result cards inside theirs, the region list
two Tab presses away, a removed treatment put back with "Ongedaan maken", and the SOAP note
copied and printed on its own. Screenshots go to artifacts/."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from tests.browser import live_server, wait_for_update
from webkit import HEADACHE, PASSWORD, World, app_for, fresh_store, make_world

pytestmark = pytest.mark.browser
LAPTOP = {"width": 1366, "height": 800}


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    return make_world(fresh_store(tmp_path_factory.mktemp("session-page")))


@pytest.fixture(scope="module")
def base_url(world: World) -> Iterator[str]:
    with live_server(app_for(world.store)) as url:
        yield url


@pytest.fixture
def laptop(browser: Browser, base_url: str) -> Iterator[BrowserContext]:
    ctx = browser.new_context(viewport=LAPTOP)
    ctx.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url)
    yield ctx
    ctx.close()


def charted_session(w: World) -> int:
    """A session with a drawing, a finding, two treatments and a note."""
    st, me = w.store, w.owner.actor
    s = st.create_session(me, w.client.id, painmap=HEADACHE, nrs_before=7,
                          complaint="Hoofdpijn links na beeldschermwerk")
    st.add_finding(me, s.id, muscle="trapezius", side="left", result="active",
                   trigger_point="trapezius_upper_front", pain_recognised=True, taut_band=False)
    for technique in ("ischemic_compression", "stretching"):
        st.add_treatment(me, s.id, muscle="trapezius", side="left", technique=technique,
                         duration_min=5, pressure_tolerance="moderate")
    st.update_session(me, s.id, nrs_after=3)
    st.set_note(me, s.id, assessment="Myofasciale hoofdpijn.", plan="Rekken thuis.")
    return s.id


def open_session(page: Page, base_url: str, session_id: int, query: str = "") -> None:
    page.goto(f"{base_url}/inloggen")
    page.fill("#email", "owner@knoop.test")
    page.fill("#password", PASSWORD)
    page.click("form.stack button[type=submit]")
    page.wait_for_url(f"{base_url}/clienten")
    page.goto(f"{base_url}/sessies/{session_id}{query}")
    wait_for_update(page, -1)


def box(page: Page, selector: str) -> dict:
    b = page.locator(selector).first.bounding_box()
    assert b, f"{selector} is not on screen"
    return b


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_at_1366_px_the_header_is_one_row_and_nothing_overflows(
        laptop: BrowserContext, base_url: str, world: World, artifacts: Path, lang: str) -> None:
    page = laptop.new_page()
    open_session(page, base_url, charted_session(world), "?lang=en" if lang == "en" else "")
    page.locator(".cand .pick").first.click()  # a muscle selected, as after charting
    page.wait_for_selector("#selected:not([hidden])")
    steps = [box(page, f".steps a[data-step='{n}']") for n in range(1, 6)]
    tops = {round(b["y"]) for b in steps}
    assert max(tops) - min(tops) <= 2, f"the step bar wraps: {tops}"
    close = box(page, "#close-session")
    title = box(page, ".session-head h1")
    middle = steps[0]["y"] + steps[0]["height"] / 2
    assert close["y"] <= middle <= close["y"] + close["height"], (close, steps[0])
    assert title["x"] + title["width"] <= steps[0]["x"], "the title runs under the steps"
    assert steps[-1]["x"] + steps[-1]["width"] <= box(page, ".sh-actions")["x"]
    assert close["x"] + close["width"] <= LAPTOP["width"]
    slider, tools = box(page, "#brush-size"), box(page, ".draw-chart .tools")
    assert slider["x"] + slider["width"] <= tools["x"] + tools["width"] + 1, (slider, tools)
    column = box(page, ".draw-results")
    for card in page.locator(".draw-results .cand").all()[:5]:
        b = card.bounding_box()
        assert b and b["x"] + b["width"] <= column["x"] + column["width"] + 1
    assert page.evaluate("document.documentElement.scrollWidth <= "
                         "document.documentElement.clientWidth")
    page.screenshot(path=str(artifacts / f"session-1366-header-{lang}.png"))


def test_the_region_list_is_two_tab_presses_away(laptop: BrowserContext, base_url: str,
                                                 world: World, artifacts: Path) -> None:
    page = laptop.new_page()
    open_session(page, base_url, charted_session(world))
    page.locator("body").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Naar de inhoud"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "skip-regions"
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement.id === 'region-q'")
    assert page.locator("#regions-box").evaluate("d => d.open")
    page.keyboard.type("slaap")
    expect(page.locator("#region-list li:visible").first).to_contain_text("laap")
    page.screenshot(path=str(artifacts / "session-region-list-by-keyboard.png"))
    page.reload()
    wait_for_update(page, -1)
    for _ in range(3):
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "skip-results"


def test_a_removed_treatment_can_be_put_back(laptop: BrowserContext, base_url: str,
                                             world: World, artifacts: Path) -> None:
    page = laptop.new_page()
    sid = charted_session(world)
    open_session(page, base_url, sid)
    page.click(".steps a[data-step='4']")
    rows = page.locator("#treatments-list li")
    expect(rows).to_have_count(2)
    rows.filter(has_text="Rekken").locator("button.remove").click()
    expect(rows).to_have_count(1)
    msg = page.locator("#treatment-msg")
    expect(msg).to_contain_text("Behandeling verwijderd.")
    page.screenshot(path=str(artifacts / "session-treatment-removed.png"))
    page.locator("#undo-remove").click()
    expect(rows).to_have_count(2)
    expect(msg).to_contain_text("Behandeling weer vastgelegd.")
    expect(rows.filter(has_text="Rekken")).to_contain_text("5 min, druktolerantie matig")
    back = [t for t in world.store.get_session(world.owner.actor, sid).treatments
            if t.technique == "stretching"]
    assert [(t.muscle, t.side, t.duration_min, t.pressure_tolerance) for t in back] == \
        [("trapezius", "left", 5, "moderate")]


def test_the_soap_note_is_complete_and_can_be_copied_and_printed_alone(
        laptop: BrowserContext, base_url: str, world: World, artifacts: Path) -> None:
    page = laptop.new_page()
    page.add_init_script("window.__printed = 0; window.print = () => { window.__printed++; };")
    open_session(page, base_url, charted_session(world))
    page.click(".steps a[data-step='5']")
    soap = page.locator("#soap-text").inner_text()
    assert re.search(r"Pijntekening: slaap links \(7/10\)", soap), soap
    assert "triggerpunt ‘" in soap and "geen strakke streng" in soap
    assert "Screening rode vlaggen: geen rode vlag." in soap and "na behandeling: 3/10" in soap
    page.click("#copy-soap")
    expect(page.locator("#soap-status")).to_have_text("Verslag gekopieerd.")
    assert page.evaluate("navigator.clipboard.readText()") == soap
    page.click("#print-soap")
    assert page.evaluate("window.__printed") == 1
    assert page.evaluate("document.body.dataset.printing") == "soap"
    page.emulate_media(media="print")
    assert page.locator("#soap-text").is_visible()
    for hidden in (".draw-chart", ".draw-results", "header.top", "#note-assessment"):
        assert not page.locator(hidden).first.is_visible(), hidden
    page.screenshot(path=str(artifacts / "session-soap-print.png"))
    page.emulate_media(media="screen")
    page.screenshot(path=str(artifacts / "session-soap.png"))


def test_a_finding_taken_back_can_be_put_back(laptop: BrowserContext, base_url: str,
                                              world: World, artifacts: Path) -> None:
    page = laptop.new_page()
    sid = charted_session(world)
    open_session(page, base_url, sid)
    page.locator(".cand[data-muscle=trapezius][data-side=left] .pick").click()
    page.wait_for_selector("#selected[data-muscle=trapezius]")
    page.locator("#selected button[data-result=active]").click()  # pressed again: taken back
    page.click(".steps a[data-step='4']")
    expect(page.locator("#finding-msg")).to_contain_text("Bevinding teruggenomen.")
    assert not world.store.get_session(world.owner.actor, sid).findings or all(
        f.muscle != "trapezius" for f in
        world.store.get_session(world.owner.actor, sid).findings if f.result != "not_examined")
    page.screenshot(path=str(artifacts / "session-finding-taken-back.png"))
    with page.expect_navigation():
        page.locator("#undo-finding").click()
    wait_for_update(page, -1)
    page.click(".steps a[data-step='4']")
    expect(page.locator("#findings-list")).to_contain_text("actief triggerpunt")
    from knoop.web.session_view import latestfindings

    s = world.store.get_session(world.owner.actor, sid)
    (f,) = [f for f in latestfindings(s).values() if f.muscle == "trapezius"]
    assert (f.result, f.trigger_point, f.pain_recognised, f.taut_band) == \
        ("active", "trapezius_upper_front", True, False)


@pytest.mark.parametrize("width", [1280, 1366])
def test_a_draft_intake_fits_the_laptop_window_with_its_take_over_button(
        browser: Browser, base_url: str, world: World, width: int) -> None:
    """A client's intake waiting to be taken over: the header (with "Intake overnemen") stays
    inside the window; nothing scrolls sideways."""
    draft = world.store.create_session(world.owner.actor, world.client.id, status="draft",
                                       painmap=HEADACHE).id
    ctx = browser.new_context(viewport={"width": width, "height": 800})
    try:
        page = ctx.new_page()
        open_session(page, base_url, draft)
        take_over = box(page, "#accept-draft")
        assert take_over["x"] + take_over["width"] <= width
        assert page.evaluate("document.documentElement.scrollWidth <= "
                             "document.documentElement.clientWidth")
    finally:
        ctx.close()
