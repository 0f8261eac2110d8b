"""The practice's details on documents come from the database first (what the admin keeps on
/praktijk); the ``KNOOP_PRACTICE_*`` settings only fill a detail the practice left empty."""

from __future__ import annotations

from knoop.handouts.practice import practice_details
from knoop.settings import Settings
from tests.demo_practice import Demo

FALLBACK = Settings(practice_address="Instellingstraat 1", practice_phone="010-0000000",
                    practice_email="installatie@x.nl", practice_website="www.installatie.nl")


def test_the_practices_own_details_win_over_the_installation_settings(demo: Demo) -> None:
    demo.store.update_practice(demo.admin, address="Oudegracht 12", postcode="3511 AB",
                               phone="030-1234567", agb_code="90123456", email="",
                               website="", registration="KvK 12345678")
    d = practice_details(demo.store, demo.therapist, settings=FALLBACK)
    assert (d.address, d.phone) == ("Oudegracht 12, 3511 AB Utrecht", "030-1234567")
    assert (d.email, d.website) == ("installatie@x.nl", "www.installatie.nl"), "gaps filled"
    assert "AGB 90123456" in d.contact_lines and "KvK 12345678" in d.contact_lines


def test_an_empty_practice_record_falls_back_to_the_settings(demo: Demo) -> None:
    demo.store.update_practice(demo.admin, address="", phone="", email="", website="")
    d = practice_details(demo.store, demo.therapist, settings=FALLBACK)
    assert d.contact_lines == ["Instellingstraat 1", "010-0000000", "installatie@x.nl",
                               "www.installatie.nl"]
