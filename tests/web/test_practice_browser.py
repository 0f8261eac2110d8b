"""Daily practice in real Chromium on live servers, each with its own SQLite database: a fresh
installation goes from the first-start screen to a practice with its admin, who fills in the
practice details, invites a colleague, makes them admin and deactivates them (who then cannot
log in); on a practice with clients a therapist edits a client ("Opgeslagen."), is warned about
a duplicate and knowingly continues, and meets the consent gate when starting a session for a
client without treatment consent. axe-core checks each new page; screenshots go to
artifacts/."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from a11y import assert_accessible
from playwright.sync_api import Browser, BrowserContext, Page, expect
from tests.browser import live_server
from webkit import PASSWORD, app_for, fresh_store, make_world

pytestmark = pytest.mark.browser
LAPTOP = {"width": 1366, "height": 800}


@pytest.fixture
def laptop(browser: Browser) -> Iterator[BrowserContext]:
    ctx = browser.new_context(viewport=LAPTOP)
    yield ctx
    ctx.close()


def log_in(page: Page, url: str, email: str, password: str = PASSWORD) -> None:
    page.goto(f"{url}/inloggen")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("form.stack button[type=submit]")


def test_a_fresh_installation_becomes_a_practice_with_two_colleagues_in_the_browser(
        laptop: BrowserContext, browser: Browser, tmp_path: Path, artifacts: Path) -> None:
    store = fresh_store(tmp_path)
    with live_server(app_for(store)) as url:
        page = laptop.new_page()
        page.goto(f"{url}/")
        page.wait_for_url(f"{url}/start")
        expect(page.locator("h1")).to_have_text("Start je praktijk")
        assert_accessible(page, "first start")
        page.fill("#s-practice_name", "Praktijk Zuid")
        page.fill("#s-city", "Breda")
        page.fill("#s-admin_name", "Eva Zuid")
        page.fill("#s-email", "eva@zuid.nl")
        page.fill("#s-password", PASSWORD)
        page.fill("#s-password_again", PASSWORD)
        page.screenshot(path=str(artifacts / "practice-1-first-start.png"), full_page=True)
        page.click("#start-practice")
        page.wait_for_url(re.compile(r"/praktijk\?opgeslagen=welkom$"))
        expect(page.locator("#saved")).to_contain_text("Je praktijk staat klaar")

        # the practice's details
        page.fill("#p-address", "Ginnekenweg 10")
        page.fill("#p-postcode", "4818jc")
        page.fill("#p-phone", "076-1234567")
        page.fill("#p-agb_code", "1234")
        page.click("#save-practice")
        expect(page.locator("#form-error")).to_contain_text("AGB-code: een AGB-code bestaat "
                                                            "uit 8 cijfers")
        expect(page.locator("#p-address")).to_have_value("Ginnekenweg 10")
        page.fill("#p-agb_code", "90123456")
        page.click("#save-practice")
        expect(page.locator("#saved")).to_have_text("Praktijkgegevens opgeslagen.")
        expect(page.locator("#p-postcode")).to_have_value("4818 JC")
        assert_accessible(page, "practice page")

        # invite a colleague, make her admin, deactivate her
        page.fill("#i-name", "Nina Nieuw")
        page.fill("#i-email", "nina@zuid.nl")
        page.fill("#i-password", "welkom123")
        page.click("#invite-colleague")
        expect(page.locator("#team-error")).to_contain_text("Wachtwoord")
        page.fill("#i-password", "groene fiets in de regen")
        page.click("#invite-colleague")
        expect(page.locator("#invited")).to_contain_text("Account gemaakt voor Nina Nieuw")
        row = page.locator("tr[data-user='nina@zuid.nl']")
        expect(row).to_have_attribute("data-role", "therapist")
        page.screenshot(path=str(artifacts / "practice-2-invited.png"), full_page=True)

        # the colleague logs in in her own browser
        other = browser.new_context(viewport=LAPTOP)
        nina = other.new_page()
        log_in(nina, url, "nina@zuid.nl", "groene fiets in de regen")
        nina.wait_for_url(f"{url}/clienten")
        expect(nina.locator("#nav-practice")).to_have_count(0)

        row.locator("select").select_option("admin")
        row.locator("button[id^=set-role]").click()
        expect(page.locator("#saved")).to_have_text("Rol gewijzigd.")
        expect(row).to_have_attribute("data-role", "admin")
        row.locator("button[id^=toggle-active]").click()
        expect(page.locator("#saved")).to_have_text("Account gedeactiveerd.")
        expect(row).to_have_attribute("data-active", "no")
        page.locator("#team").scroll_into_view_if_needed()
        page.screenshot(path=str(artifacts / "practice-3-team.png"), full_page=True)

        # deactivated: her open session ends and she cannot log in again
        nina.goto(f"{url}/clienten")
        nina.wait_for_url(re.compile(r"/inloggen"))
        log_in(nina, url, "nina@zuid.nl", "groene fiets in de regen")
        expect(nina.locator("#login-error")).to_be_visible()
        other.close()
        assert store.user_by_email("nina@zuid.nl").active is False

        # the first start is gone
        assert page.goto(f"{url}/start").status == 404  # type: ignore[union-attr]


def test_a_client_is_edited_warned_about_a_duplicate_and_gated_on_consent(
        laptop: BrowserContext, tmp_path: Path, artifacts: Path) -> None:
    w = make_world(fresh_store(tmp_path))
    bare = w.store.create_client(w.owner.actor, first_name="Kees", last_name="Zonder",
                                 date_of_birth="1990-02-03")
    with live_server(app_for(w.store)) as url:
        page = laptop.new_page()
        log_in(page, url, "owner@knoop.test")
        page.wait_for_url(f"{url}/clienten")
        expect(page.locator("#client-list td[data-consent='none']")).to_have_count(1)
        page.screenshot(path=str(artifacts / "client-1-list-consent.png"), full_page=True)

        # edit a client: a future birth date is named, then the change is saved
        page.goto(f"{url}/clienten/{w.client.id}")
        page.click("#edit-client")
        page.wait_for_url(re.compile(r"/bewerken$"))
        assert_accessible(page, "edit client")
        page.fill("#f-date_of_birth", "2999-01-01")
        page.fill("#f-phone", "06-12345678")
        page.click("#save-client")
        expect(page.locator("#form-error")).to_have_text("Geboortedatum ligt in de toekomst")
        page.fill("#f-date_of_birth", "1978-04-12")
        page.fill("#f-gp_name", "Dr. Berg")
        page.click("#save-client")
        page.wait_for_url(re.compile(rf"/clienten/{w.client.id}\?opgeslagen=ja$"))
        expect(page.locator("#saved")).to_have_text("Opgeslagen.")
        expect(page.locator(".page-head p.muted").first).to_contain_text("Dr. Berg")
        page.screenshot(path=str(artifacts / "client-2-edited.png"), full_page=True)

        # a duplicate: warned, then knowingly saved
        page.goto(f"{url}/clienten/nieuw")
        page.fill("#f-first_name", "Anna")
        page.fill("#f-infix", "de")
        page.fill("#f-last_name", "Vries")
        page.fill("#f-date_of_birth", "1978-04-12")
        page.check("input[name=consent_treatment]")
        page.click("button:has-text('Cliënt opslaan')")
        expect(page.locator("#duplicate-warning")).to_contain_text(
            "Deze cliënt bestaat misschien al")
        expect(page.locator(f"#duplicate-warning a[href='/clienten/{w.client.id}']")) \
            .to_have_count(1)
        expect(page.locator("input[name=consent_treatment]")).to_be_checked()
        assert_accessible(page, "duplicate warning")
        page.screenshot(path=str(artifacts / "client-3-duplicate.png"), full_page=True)
        page.check("#confirm-duplicate")
        page.click("button:has-text('Cliënt opslaan')")
        page.wait_for_url(re.compile(r"/clienten/\d+\?opgeslagen=nieuw$"))
        expect(page.locator("#saved")).to_have_text("Cliënt opgeslagen.")
        assert len(w.store.search_clients(w.owner.actor, "vries")) == 2

        # the consent gate: no session without treatment consent, recorded right there
        page.goto(f"{url}/clienten/{bare.id}")
        expect(page.locator("#consent-status")).to_have_text("niet gevraagd")
        page.click("#new-session")
        page.wait_for_url(re.compile(r"toestemming=nodig"))
        gate = page.locator("#toestemming-nodig")
        expect(gate).to_contain_text("De sessie is niet gestart")
        assert w.store.client_history(w.owner.actor, bare.id) == []
        assert_accessible(page, "consent gate")
        page.screenshot(path=str(artifacts / "client-4-consent-gate.png"), full_page=True)
        page.click("#record-consent-start")
        page.wait_for_url(re.compile(r"/sessies/\d+$"))
        expect(page.locator("#consent-gate")).to_have_count(0)
        assert [s.status for s in w.store.client_history(w.owner.actor, bare.id)] == ["open"]
