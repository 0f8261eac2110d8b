"""The client education page: our own words, Dutch first, covering the whole leaflet."""

from __future__ import annotations

from fastapi.testclient import TestClient

from knoop.web.app import create_app


def test_the_education_page_explains_trigger_points_in_dutch() -> None:
    r = TestClient(create_app()).get("/uitleg")
    assert r.status_code == 200
    for words in ("Triggerpunten: wat zijn het?", "knoop in het touw", "uitstralende pijn",
                  "Hoe ontstaan triggerpunten", "Na de behandeling", "één tot twee dagen",
                  "Warmte helpt", "huisarts"):
        assert words in r.text, words


def test_the_education_page_is_available_in_english() -> None:
    r = TestClient(create_app()).get("/uitleg", params={"lang": "en"})
    assert "Trigger points: what are they?" in r.text and "referred pain" in r.text
