"""The knowledge-base browser in real Chromium: search, a muscle page with its diagram, a region
page. Screenshots go to artifacts/ to be looked at."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect
from tests.browser import live_server

from knoop.web.app import create_app

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with live_server(create_app()) as url:
        yield url



def test_a_therapist_searches_a_muscle_and_sees_its_referral_diagram(
        browser: Browser, base_url: str, artifacts: Path) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{base_url}/kb")
    page.screenshot(path=str(artifacts / "kb-list.png"))
    page.fill("#q", "monnikskap")
    page.click("button[type=submit]")
    page.click("text=Monnikskapspier")
    assert page.url.endswith("/kb/spieren/trapezius")
    assert page.locator("svg path[data-region='temple'][data-side='right']").count() >= 1
    assert page.locator("text=Zo vind je het").count() >= 1
    page.screenshot(path=str(artifacts / "kb-muscle-trapezius.png"), full_page=False)
    page.click(".lang a[href='?lang=en']")
    assert page.locator("h1").inner_text() == "Trapezius"
    page.close()


def test_a_region_page_lists_the_muscles_that_refer_there(browser: Browser, base_url: str,
                                                          artifacts: Path) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{base_url}/kb/gebieden/heel?lang=nl")
    assert "Hoofdgebied van" in page.content()
    expect(page.locator("a[href^='/kb/spieren/soleus']")).to_have_count(1)
    page.screenshot(path=str(artifacts / "kb-region-heel.png"))
    page.close()


def test_the_muscle_page_works_on_a_phone(browser: Browser, base_url: str,
                                          artifacts: Path) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=2)
    page.goto(f"{base_url}/kb/spieren/soleus")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"page scrolls sideways: {width}px"
    page.screenshot(path=str(artifacts / "kb-muscle-soleus-phone.png"))
    page.close()


def test_on_a_phone_the_header_is_two_short_rows_and_its_menu_scrolls_sideways(
        browser: Browser, base_url: str, artifacts: Path) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844}, has_touch=True,
                            is_mobile=True)
    for path in ("/kb/spieren/temporalis", "/tekenen"):
        page.goto(f"{base_url}{path}")
        header = page.locator("header.top").bounding_box()
        assert header is not None and header["height"] <= 100, (path, header)
        # the page itself never scrolls sideways; the menu does, and every link stays reachable
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
        nav = page.locator("header.top nav")
        assert nav.evaluate("n => n.scrollWidth > n.clientWidth"), path
        last = nav.locator("a").last
        last.scroll_into_view_if_needed()
        box = last.bounding_box()
        assert box is not None and box["x"] + box["width"] <= 390 and box["height"] >= 24, box
    page.screenshot(path=str(artifacts / "header-phone.png"))
    page.close()
