"""Practice administration in-process (TestClient, a fresh SQLite file per test): an admin
keeps the practice details and logo and manages colleagues (invite with an initial password,
role, deactivate); a therapist is not allowed; another practice's user is a 404; bad input
gives a Dutch message naming the field, never a 500."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from webkit import PASSWORD, World, app_for, csrf_of, fresh_store, login, make_world

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


@pytest.fixture
def w(tmp_path: Path) -> World:
    world = make_world(fresh_store(tmp_path))
    world.store.set_role(None, world.owner.id, "admin")
    return world


def admin_client(w: World) -> tuple[TestClient, str]:
    tc = TestClient(app_for(w.store), raise_server_exceptions=False)
    return tc, login(tc, "owner@knoop.test")


DETAILS = {"name": "Praktijk De Knoop", "address": "Oudegracht 12", "postcode": "3511ab",
           "city": "Utrecht", "phone": "030-1234567", "email": "info@deknoop.nl",
           "website": "www.deknoop.nl", "agb_code": "90123456",
           "registration": "KvK 12345678"}


def test_an_admin_saves_the_practice_details_and_sees_them_confirmed(w: World) -> None:
    tc, token = admin_client(w)
    page = tc.get("/praktijk")
    assert page.status_code == 200 and 'id="nav-practice"' in page.text
    r = tc.post("/praktijk", data={**DETAILS, "version": "1", "csrf": token})
    assert r.status_code == 200 and "Praktijkgegevens opgeslagen." in r.text
    p = w.store.practice(w.owner.practice_id)
    assert (p.postcode, p.agb_code, p.website) == ("3511 AB", "90123456", "www.deknoop.nl")


def test_a_bad_agb_code_is_named_in_dutch_and_nothing_is_saved(w: World) -> None:
    tc, token = admin_client(w)
    r = tc.post("/praktijk", data={**DETAILS, "agb_code": "1234", "version": "1",
                                   "csrf": token})
    assert r.status_code == 422
    assert "AGB-code: een AGB-code bestaat uit 8 cijfers" in r.text
    assert 'value="Oudegracht 12"' in r.text, "what was typed stays"
    assert w.store.practice(w.owner.practice_id).address == ""


def test_a_stale_practice_form_does_not_overwrite_a_newer_change(w: World) -> None:
    tc, token = admin_client(w)
    w.store.update_practice(w.store.user_by_email("owner@knoop.test").actor,
                            phone="030-0000000")
    r = tc.post("/praktijk", data={**DETAILS, "version": "1", "csrf": token})
    assert r.status_code == 409 and "intussen gewijzigd" in r.text
    assert w.store.practice(w.owner.practice_id).phone == "030-0000000"


def test_a_logo_is_uploaded_shown_and_a_non_image_refused(w: World) -> None:
    tc, token = admin_client(w)
    r = tc.post("/praktijk/logo", data={"csrf": token},
                files={"logo": ("logo.png", PNG, "image/png")})
    assert r.status_code == 200 and "Logo opgeslagen." in r.text
    img = tc.get("/praktijk/logo")
    assert img.content == PNG and img.headers["content-type"] == "image/png"
    r = tc.post("/praktijk/logo", data={"csrf": token},
                files={"logo": ("logo.png", b"<svg/>", "image/png")})
    assert r.status_code == 422 and "Logo: alleen een PNG- of JPEG-afbeelding" in r.text
    r = tc.post("/praktijk/logo", data={"csrf": token},
                files={"logo": ("big.png", PNG + b"\0" * 600_000, "image/png")})
    assert r.status_code == 422 and "Logo: hoogstens 512 kB" in r.text


def test_an_admin_invites_a_colleague_changes_the_role_and_deactivates(w: World) -> None:
    tc, token = admin_client(w)
    r = tc.post("/praktijk/collegas", data={"invite_name": "Nina Nieuw", "invite_email":
                                            "nina@knoop.test", "invite_role": "therapist",
                                            "invite_password": "welkom123", "csrf": token})
    assert r.status_code == 422 and "Wachtwoord:" in r.text
    r = tc.post("/praktijk/collegas", data={"invite_name": "Nina Nieuw", "invite_email":
                                            "colleague@knoop.test", "invite_role": "therapist",
                                            "invite_password": PASSWORD, "csrf": token})
    assert r.status_code == 409 and "al in gebruik" in r.text
    r = tc.post("/praktijk/collegas", data={"invite_name": "Nina Nieuw", "invite_email":
                                            "nina@knoop.test", "invite_role": "therapist",
                                            "invite_password": PASSWORD, "csrf": token})
    assert r.status_code == 200 and "Account gemaakt voor Nina Nieuw" in r.text
    assert [h.status_code for h in r.history] == [303]  # a reload does not post again
    assert r.url.query == b"collega=" + str(w.store.user_by_email("nina@knoop.test").id).encode()
    nina = w.store.user_by_email("nina@knoop.test")
    r = tc.post(f"/praktijk/collegas/{nina.id}/rol", data={"role": "admin", "csrf": token})
    assert r.status_code == 200 and "Rol gewijzigd." in r.text
    r = tc.post(f"/praktijk/collegas/{nina.id}/actief", data={"active": "no", "csrf": token})
    assert r.status_code == 200 and "Account gedeactiveerd." in r.text
    other = TestClient(app_for(w.store), raise_server_exceptions=False)
    page = other.get("/inloggen")
    r = other.post("/inloggen", data={"email": "nina@knoop.test", "password": PASSWORD,
                                      "csrf": csrf_of(page.text)}, follow_redirects=False)
    assert r.status_code == 401


def test_the_last_admin_cannot_demote_themselves(w: World) -> None:
    tc, token = admin_client(w)
    r = tc.post(f"/praktijk/collegas/{w.owner.id}/rol", data={"role": "therapist",
                                                              "csrf": token})
    assert r.status_code == 409 and "Rol: de praktijk heeft minstens één actieve beheerder" in r.text


def test_the_last_admin_cannot_deactivate_themselves_and_is_told_so_about_the_account(
        w: World) -> None:
    tc, token = admin_client(w)
    r = tc.post(f"/praktijk/collegas/{w.owner.id}/actief", data={"active": "no", "csrf": token})
    assert r.status_code == 409
    error = r.text.split('id="team-error">')[1].split("</p>")[0]
    assert error == "Account: de praktijk heeft minstens één actieve beheerder nodig"
    assert w.store.user_by_email(w.owner.email).active


def test_a_therapist_may_not_manage_the_practice(w: World) -> None:
    tc = TestClient(app_for(w.store), raise_server_exceptions=False)
    token = login(tc, "colleague@knoop.test")
    assert 'id="nav-practice"' not in tc.get("/clienten").text
    page = tc.get("/praktijk")
    assert page.status_code == 403
    assert "Alleen een beheerder van je praktijk" in page.text
    assert "verlopen" not in page.text and "only an admin" not in page.text  # not the CSRF text
    r = tc.post("/praktijk", data={**DETAILS, "csrf": token})
    assert r.status_code == 403
    r = tc.post(f"/praktijk/collegas/{w.colleague.id}/rol", data={"role": "admin",
                                                                  "csrf": token})
    assert r.status_code == 403 and w.store.user_by_email("colleague@knoop.test").role == \
        "therapist"


def test_another_practices_user_is_a_404_and_their_logo_is_not_reachable(w: World) -> None:
    tc, token = admin_client(w)
    for path, body in ((f"/praktijk/collegas/{w.outsider.id}/rol", {"role": "therapist"}),
                       (f"/praktijk/collegas/{w.outsider.id}/actief", {"active": "no"})):
        r = tc.post(path, data={**body, "csrf": token})
        assert r.status_code == 404, path
    assert w.store.user_by_email("outsider@elders.test").active
    w.store.set_role(None, w.outsider.id, "admin")
    w.store.set_logo(w.store.user_by_email("outsider@elders.test").actor, PNG)
    assert tc.get("/praktijk/logo").status_code == 404, "only the own practice's logo"


def test_practice_forms_need_the_csrf_token(w: World) -> None:
    tc, _token = admin_client(w)
    assert tc.post("/praktijk", data=DETAILS).status_code == 403
    assert tc.post("/praktijk/collegas", data={"invite_email": "x@y.nl"}).status_code == 403
