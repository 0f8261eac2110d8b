"""The first start in-process: a fresh installation sends every visitor to /start, which makes
the first practice and its admin (logged in at once) and is a 404 from then on; bad input is
named in Dutch and leaves nothing behind."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from webkit import PASSWORD, app_for, csrf_of, fresh_store, make_world

FORM = {"practice_name": "Praktijk Zuid", "city": "Breda", "admin_name": "Eva Zuid",
        "email": "eva@zuid.nl", "password": PASSWORD, "password_again": PASSWORD}


def test_a_fresh_installation_asks_for_the_first_practice_and_admin(tmp_path: Path) -> None:
    store = fresh_store(tmp_path)
    tc = TestClient(app_for(store), raise_server_exceptions=False)
    assert tc.get("/", follow_redirects=False).headers["location"] == "/start"
    assert tc.get("/inloggen", follow_redirects=False).headers["location"] == "/start"
    page = tc.get("/start")
    assert page.status_code == 200 and "Start je praktijk" in page.text
    token = csrf_of(page.text)
    r = tc.post("/start", data={**FORM, "password_again": "iets anders helemaal", "csrf": token})
    assert r.status_code == 422 and "niet gelijk" in r.text and store.needs_setup()
    r = tc.post("/start", data={**FORM, "practice_name": "", "csrf": token})
    assert r.status_code == 422 and "Naam van de praktijk: dit veld is verplicht" in r.text
    r = tc.post("/start", data={**FORM, "csrf": token}, follow_redirects=False)
    assert (r.status_code, r.headers["location"]) == (303, "/praktijk?opgeslagen=welkom")
    page = tc.get(r.headers["location"])
    assert page.status_code == 200 and "Je praktijk staat klaar" in page.text
    assert "Praktijk Zuid" in page.text and "eva@zuid.nl" in page.text
    assert store.user_by_email("eva@zuid.nl").role == "admin"
    # from now on the first start does not exist
    assert tc.get("/start").status_code == 404
    other = TestClient(app_for(store), raise_server_exceptions=False)
    assert other.get("/start").status_code == 404
    r = other.post("/start", data={**FORM, "email": "dief@x.nl",
                                   "csrf": csrf_of(other.get("/inloggen").text)})
    assert r.status_code == 404 and len(store.all_users()) == 1


def test_an_installation_with_users_never_shows_the_first_start(tmp_path: Path) -> None:
    w = make_world(fresh_store(tmp_path))
    tc = TestClient(app_for(w.store), raise_server_exceptions=False)
    assert tc.get("/start").status_code == 404
    assert tc.get("/", follow_redirects=False).headers["location"] == "/inloggen"
