"""The workplace in-process (TestClient, a fresh SQLite file per test): personas on every
route that touches a client (owner and colleague may, an outsider gets 404), CSRF on every
POST, login with throttling and the second factor, session expiry, intake links, no 500 on bad
input, and one smoke run on PostgreSQL."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pyotp
import pytest
from fastapi.testclient import TestClient
from webkit import HEADACHE, PASSWORD, World, app_for, csrf_of, fresh_store, login, make_world

from knoop.store import Store, make_engine, upgrade


@pytest.fixture
def w(tmp_path: Path) -> World:
    return make_world(fresh_store(tmp_path))


def client_for(w: World, email: str | None = None, **kw: object) -> tuple[TestClient, str]:
    tc = TestClient(app_for(w.store), raise_server_exceptions=False, **kw)  # type: ignore[arg-type]
    token = login(tc, email) if email else csrf_of(tc.get("/inloggen").text)
    return tc, token


PERSONAS = {"owner": ("owner@knoop.test", True), "colleague": ("colleague@knoop.test", True),
            "outsider": ("outsider@elders.test", False)}

# every route that touches a client: (method, path template, body kind, body)
ROUTES: list[tuple[str, str, str, dict]] = [
    ("GET", "/clienten/{c}", "", {}),
    ("GET", "/clienten/{c}/verloop", "", {}),
    ("GET", "/clienten/{c}/verloop/{s}/front.svg", "", {}),
    ("GET", "/sessies/{s}", "", {}),
    ("POST", "/clienten/{c}/sessies", "form", {"request_id": "r-1"}),
    ("POST", "/clienten/{c}/toestemming", "form", {"kind": "photos", "given": "yes"}),
    ("POST", "/clienten/{c}/intakelink", "form", {"ttl_days": "1"}),
    ("POST", "/sessies/{s}/status", "form", {"status": "closed"}),
    ("POST", "/api/v1/sessions/{s}", "json", {"nrs_after": 3, "complaint": "nek"}),
    ("POST", "/api/v1/sessions/{s}/flags", "json", {"flags": []}),
    ("POST", "/api/v1/sessions/{s}/findings", "json",
     {"muscle": "trapezius", "side": "left", "result": "latent", "taut_band": True}),
    ("POST", "/api/v1/sessions/{s}/treatments", "json",
     {"muscle": "trapezius", "side": "left", "technique": "massage", "duration_min": 5}),
    ("POST", "/api/v1/sessions/{s}/note", "json", {"subjective": "hoofdpijn", "plan": "rek"}),
]


def call(tc: TestClient, token: str, method: str, path: str, kind: str, body: dict):  # type: ignore[no-untyped-def]
    if method == "GET":
        return tc.get(path, follow_redirects=False)
    if kind == "form":
        return tc.post(path, data={**body, "csrf": token}, follow_redirects=False)
    return tc.post(path, json=body, headers={"X-CSRF-Token": token})


@pytest.mark.parametrize("persona", list(PERSONAS))
@pytest.mark.parametrize("route", ROUTES, ids=[f"{m} {p}" for m, p, _k, _b in ROUTES])
def test_every_client_route_for_owner_colleague_and_outsider(w: World, persona: str,
                                                             route: tuple) -> None:
    email, allowed = PERSONAS[persona]
    method, template, kind, body = route
    tc, token = client_for(w, email)
    if allowed:
        path = template.format(c=w.client.id, s=w.session_id)
    else:  # the outsider tries the owner's practice's client and session
        path = template.format(c=w.client.id, s=w.session_id)
    r = call(tc, token, method, path, kind, body)
    if allowed:
        assert r.status_code in (200, 303), (r.status_code, r.text[:300])
    else:
        assert r.status_code == 404, (r.status_code, r.text[:300])
        assert "Anna" not in r.text and "Hoofdpijn" not in r.text
    # and every persona reaches their own practice's records
    if persona == "outsider":
        own = template.format(c=w.other_client.id, s=w.other_session_id)
        assert call(tc, token, method, own, kind, body).status_code in (200, 303)


def test_an_outsider_gets_the_same_404_as_for_a_record_that_does_not_exist(w: World) -> None:
    tc, _t = client_for(w, "outsider@elders.test")
    theirs = tc.get(f"/clienten/{w.client.id}")
    missing = tc.get("/clienten/987654")
    assert theirs.status_code == missing.status_code == 404
    assert re.sub(r"[0-9a-f]{64}|\d+", "N", theirs.text) == re.sub(r"[0-9a-f]{64}|\d+", "N",
                                                                  missing.text)


def test_every_read_is_in_the_access_log(w: World) -> None:
    tc, _t = client_for(w, "colleague@knoop.test")
    tc.get(f"/clienten/{w.client.id}")
    tc.get(f"/sessies/{w.session_id}")
    log = w.store.access_for_client(w.client.id)
    mine = [(e.action, e.object) for e in log if e.user_email == "colleague@knoop.test"]
    assert ("read", f"client:{w.client.id}") in mine
    assert ("read", f"session:{w.session_id}") in mine


# ---------------------------------------------------------------------------------- CSRF
def _routes(routes: list, prefix: str = "") -> Iterator[tuple[str, set]]:
    for r in routes:
        if hasattr(r, "original_router"):  # FastAPI's lazily included routers
            yield from _routes(r.original_router.routes, prefix + r.include_context.prefix)
        elif hasattr(r, "methods") and r.methods:
            yield prefix + r.path, set(r.methods)


def _post_routes(app) -> list[str]:  # type: ignore[no-untyped-def]
    return [p for p, methods in _routes(app.routes)
            if "POST" in methods and p not in ("/api/v1/drawing", "/api/v1/rank")]


def test_every_post_without_the_csrf_token_is_refused_with_a_friendly_page(w: World) -> None:
    tc, token = client_for(w, "owner@knoop.test")
    paths = _post_routes(app_for(w.store))
    assert len(paths) >= 12, paths
    for p in paths:
        path = re.sub(r"\{client_id\}", str(w.client.id), p)
        path = re.sub(r"\{session_id\}", str(w.session_id), path)
        path = re.sub(r"\{token\}", "x" * 43, path)
        path = re.sub(r"\{(link_id|treatment_id)\}", "1", path)
        for kw in ({"data": {"x": "1"}}, {"data": {"csrf": "forged"}},
                   {"json": {}, "headers": {"X-CSRF-Token": "forged"}}):
            r = tc.post(path, follow_redirects=False, **kw)  # type: ignore[arg-type]
            assert r.status_code == 403, (path, kw, r.status_code)
            if path.startswith("/api/"):
                assert r.json()["error"]["code"] == "csrf"
            else:
                assert "Niet toegestaan" in r.text and "<html" in r.text
    # and with the token the same request works
    r = tc.post(f"/api/v1/sessions/{w.session_id}/note", json={"plan": "rek"},
                headers={"X-CSRF-Token": token})
    assert r.status_code == 200


def test_a_token_from_another_session_does_not_work(w: World) -> None:
    _a, token_a = client_for(w, "owner@knoop.test")
    b, _token_b = client_for(w, "owner@knoop.test")
    r = b.post(f"/api/v1/sessions/{w.session_id}/note", json={"plan": "x"},
               headers={"X-CSRF-Token": token_a})
    assert r.status_code == 403


# ---------------------------------------------------------------------------------- login
def test_home_goes_to_login_then_to_the_client_list(w: World) -> None:
    tc = TestClient(app_for(w.store))
    r = tc.get("/", follow_redirects=False)
    assert r.headers["location"] == "/inloggen"
    assert tc.get("/kb").status_code == 200, "the knowledge base stays public"
    assert tc.get("/clienten", follow_redirects=False).headers["location"].startswith("/inloggen")
    login(tc, "owner@knoop.test")
    assert tc.get("/", follow_redirects=False).headers["location"] == "/clienten"


def test_the_session_cookie_is_httponly_lax_and_secure_over_https(w: World) -> None:
    for base, secure in (("http://testserver", False), ("https://testserver", True)):
        tc = TestClient(app_for(w.store), base_url=base)
        tc.app.state.knoop.cookie_secure = "auto"
        page = tc.get("/inloggen")
        r = tc.post("/inloggen", data={"email": "owner@knoop.test", "password": PASSWORD,
                                       "csrf": csrf_of(page.text)}, follow_redirects=False)
        cookie = next(h for h in r.headers.get_list("set-cookie")
                      if h.startswith("knoop_session="))
        low = cookie.lower()
        assert "httponly" in low and "samesite=lax" in low
        assert ("secure" in low.replace("samesite", "")) is secure, cookie


def test_wrong_password_then_throttled_in_dutch(w: World) -> None:
    tc = TestClient(app_for(w.store), raise_server_exceptions=False)
    token = csrf_of(tc.get("/inloggen").text)
    for _ in range(5):
        r = tc.post("/inloggen", data={"email": "owner@knoop.test", "password": "fout-fout-fout",
                                       "csrf": token})
        assert r.status_code == 401 and "Onjuist e-mailadres, wachtwoord of code" in r.text
    r = tc.post("/inloggen", data={"email": "owner@knoop.test", "password": PASSWORD,
                                   "csrf": token})
    assert r.status_code == 429
    assert "Te veel mislukte pogingen" in r.text and "15 minuten" in r.text


def test_login_with_the_second_factor(w: World) -> None:
    secret, _uri = w.store.enable_totp(None, w.owner.id)
    tc = TestClient(app_for(w.store), raise_server_exceptions=False)
    token = csrf_of(tc.get("/inloggen").text)
    r = tc.post("/inloggen", data={"email": "owner@knoop.test", "password": PASSWORD,
                                   "csrf": token})
    assert r.status_code == 200 and 'name="code"' in r.text and PASSWORD not in r.text
    assert tc.get("/clienten", follow_redirects=False).status_code == 303, "not logged in yet"
    r = tc.post("/inloggen/code", data={"code": "000000", "csrf": token})
    assert r.status_code == 401 and "Onjuist" in r.text
    r = tc.post("/inloggen/code", data={"code": "12", "csrf": token})
    assert r.status_code == 422 and "6 cijfers" in r.text
    r = tc.post("/inloggen/code", data={"code": pyotp.TOTP(secret).now(), "csrf": token},
                follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/clienten"
    assert tc.get("/clienten").status_code == 200
    # without the first step the code form does nothing
    fresh = TestClient(app_for(w.store), raise_server_exceptions=False)
    t2 = csrf_of(fresh.get("/inloggen").text)
    r = fresh.post("/inloggen/code", data={"code": pyotp.TOTP(secret).now(), "csrf": t2})
    assert r.status_code == 401 and "Begin opnieuw" in r.text


def test_a_login_session_expires_after_12_hours(tmp_path: Path) -> None:
    now = [dt.datetime(2026, 11, 25, 8, 0)]
    store = fresh_store(tmp_path, clock=lambda: now[0])
    w = make_world(store)
    tc = TestClient(app_for(w.store), raise_server_exceptions=False)
    login(tc, "owner@knoop.test")
    assert tc.get(f"/clienten/{w.client.id}").status_code == 200
    now[0] += dt.timedelta(hours=12, minutes=1)
    r = tc.get(f"/clienten/{w.client.id}", follow_redirects=False)
    assert r.status_code == 303 and "verlopen=1" in r.headers["location"]
    assert "Je sessie is verlopen" in tc.get(r.headers["location"]).text
    r = tc.post(f"/api/v1/sessions/{w.session_id}/note", json={},
                headers={"X-CSRF-Token": "whatever"})
    assert r.status_code in (401, 403)


def test_logout_ends_the_session(w: World) -> None:
    tc, token = client_for(w, "owner@knoop.test")
    old = tc.cookies.get("knoop_session")
    r = tc.post("/uitloggen", data={"csrf": token}, follow_redirects=False)
    assert r.headers["location"] == "/inloggen?uitgelogd=1"
    assert w.store.user_for_token(old or "") is None
    assert tc.get("/clienten", follow_redirects=False).status_code == 303


def test_no_open_redirect_after_login(w: World) -> None:
    tc = TestClient(app_for(w.store))
    page = tc.get("/inloggen?volgende=//evil.example/x")
    r = tc.post("/inloggen", data={"email": "owner@knoop.test", "password": PASSWORD,
                                   "csrf": csrf_of(page.text), "volgende": "//evil.example/x"},
                follow_redirects=False)
    assert r.headers["location"] == "/clienten"


# ---------------------------------------------------------------------------------- clients
def test_a_new_client_with_consents_and_a_dutch_message_for_a_missing_name(w: World) -> None:
    tc, token = client_for(w, "owner@knoop.test")
    r = tc.post("/clienten/nieuw", data={"csrf": token, "first_name": "Jan", "last_name": ""})
    assert r.status_code == 422 and "Achternaam: dit veld is verplicht" in r.text
    assert 'value="Jan"' in r.text, "what was typed stays"
    r = tc.post("/clienten/nieuw", data={"csrf": token, "first_name": "Jan", "last_name": "X",
                                         "date_of_birth": "2999-01-01"})
    assert r.status_code == 422 and "Geboortedatum ligt in de toekomst" in r.text
    before = len(w.store.search_clients(w.owner.actor, "", 100))
    r = tc.post("/clienten/nieuw", data={"csrf": token, "first_name": "Jan", "infix": "van",
                                         "last_name": "Dijk", "date_of_birth": "1970-05-06",
                                         "consent_treatment": "yes", "consent_research": "yes",
                                         "consent_date": "2026-01-10"}, follow_redirects=False)
    assert r.status_code == 303
    cid = int(r.headers["location"].split("?")[0].rsplit("/", 1)[1])
    kinds = {c.kind: (c.given, c.text_version, c.date.isoformat())
             for c in w.store.consents(w.owner.actor, cid)}
    assert kinds == {"treatment": (True, "2026-01", "2026-01-10"),
                     "research": (True, "2026-01", "2026-01-10")}
    assert len(w.store.search_clients(w.owner.actor, "", 100)) == before + 1
    page = tc.get("/clienten", params={"q": "van dij"}).text
    assert f"/clienten/{cid}" in page and "Jan van Dijk" in page


def test_starting_a_session_twice_with_one_form_opens_one_session(w: World) -> None:
    tc, token = client_for(w, "owner@knoop.test")
    n = len(w.store.client_history(w.owner.actor, w.client.id))
    a = tc.post(f"/clienten/{w.client.id}/sessies", data={"csrf": token, "request_id": "abc"},
                follow_redirects=False)
    b = tc.post(f"/clienten/{w.client.id}/sessies", data={"csrf": token, "request_id": "abc"},
                follow_redirects=False)
    assert a.headers["location"] == b.headers["location"]
    assert len(w.store.client_history(w.owner.actor, w.client.id)) == n + 1


def test_the_new_client_form_carries_a_uuid_so_a_double_submit_makes_one_client(
        w: World) -> None:
    tc, token = client_for(w, "owner@knoop.test")
    rid = re.search(r'name="request_id" value="([0-9a-f-]{36})"', tc.get("/clienten/nieuw").text)
    assert rid, "the form sends a UUID"
    form = {"csrf": token, "request_id": rid.group(1), "first_name": "Jan", "last_name": "Dijk",
            "consent_treatment": "yes", "consent_date": "2026-01-10"}
    a = tc.post("/clienten/nieuw", data=form, follow_redirects=False)
    b = tc.post("/clienten/nieuw", data=form, follow_redirects=False)
    assert a.status_code == b.status_code == 303
    assert a.headers["location"] == b.headers["location"]
    found = w.store.search_clients(w.owner.actor, "dijk")
    assert len(found) == 1
    assert len(w.store.consents(w.owner.actor, found[0].id)) == 1
    other = tc.get("/clienten/nieuw").text
    assert rid.group(1) not in other, "every form gets its own UUID"


def test_a_bad_consent_date_on_the_new_client_form_stores_nothing(w: World) -> None:
    tc, token = client_for(w, "owner@knoop.test")
    r = tc.post("/clienten/nieuw", data={"csrf": token, "request_id": "u-1", "first_name": "Jan",
                                         "last_name": "Dijk", "consent_treatment": "yes",
                                         "consent_date": "2999-01-01"})
    assert r.status_code == 422 and "Datum toestemming ligt in de toekomst" in r.text
    assert 'value="u-1"' in r.text, "the retry keeps the form's UUID"
    assert w.store.search_clients(w.owner.actor, "dijk") == []


def test_waiting_intakes_of_all_clients_show_at_the_top_of_the_client_list(w: World) -> None:
    tc, _t = client_for(w, "colleague@knoop.test")
    assert "Wachtende intakes" not in tc.get("/clienten").text
    jan = w.store.create_client(w.owner.actor, first_name="Jan", last_name="Dijk")
    d1 = w.store.create_session(w.owner.actor, w.client.id, status="draft").id
    d2 = w.store.create_session(w.owner.actor, jan.id, status="draft").id
    w.store.create_session(w.outsider.actor, w.other_client.id, status="draft")
    page = tc.get("/clienten").text
    waiting = page[page.index("Wachtende intakes"):page.index('role="search"')]
    assert f'href="/sessies/{d1}"' in waiting and f'href="/sessies/{d2}"' in waiting
    assert "Anna de Vries" in waiting and "Jan Dijk" in waiting and "Bert" not in waiting
    outsider, _t = client_for(w, "outsider@elders.test")
    theirs = outsider.get("/clienten").text
    assert "Wachtende intakes" in theirs and "Vries" not in theirs and "Dijk" not in theirs


def test_waiting_intakes_show_the_red_flags_the_client_ticked(w: World) -> None:
    tc, _t = client_for(w, "colleague@knoop.test")
    token = w.store.create_intake_token(w.owner.actor, w.client.id)
    w.store.use_intake_token(token, {"complaint": "rugpijn",
                                     "screening": ["anticoagulants", "saddle_numbness"]})
    page = tc.get("/clienten").text
    waiting = page[page.index("Wachtende intakes"):page.index('role="search"')]
    flags = re.findall(r'data-flag="([a-z_]+)" data-urgency="([a-z]+)"', waiting)
    assert flags == [("saddle_numbness", "emergency"), ("anticoagulants", "caution")]
    assert "rode vlag · spoed</span> Doof gevoel rond geslachtsdelen of anus" in waiting


def test_a_taken_over_intake_shows_when_the_client_sent_it(tmp_path: Path) -> None:
    now = [dt.datetime(2026, 11, 20, 20, 15)]
    w = make_world(fresh_store(tmp_path, clock=lambda: now[0]))
    grant = w.store.use_intake_token(w.store.create_intake_token(w.owner.actor, w.client.id),
                                     {"complaint": "rugpijn"})
    now[0] = dt.datetime(2026, 11, 24, 8, 30)
    tc, token = client_for(w, "owner@knoop.test")
    r = tc.post(f"/sessies/{grant.session_id}/status", data={"csrf": token, "status": "open"})
    assert r.status_code == 200 and r.url.path == f"/sessies/{grant.session_id}"
    sent = re.search(r'id="intake-sent">([^<]+)<', r.text)
    assert sent and "verstuurd op 20-11-2026 21:15" in sent.group(1)  # local time
    assert "24-11-2026 09:30" in r.text


# ---------------------------------------------------------------------------------- sessions
def test_autosave_and_charting_go_through_the_store(w: World) -> None:
    tc, token = client_for(w, "owner@knoop.test")
    h = {"X-CSRF-Token": token}
    strokes = [{"view": "front", "points": [[330, 80], [350, 92]], "width": 16, "intensity": 7}]
    r = tc.post(f"/api/v1/sessions/{w.session_id}", headers=h, json={
        "nrs_before": 6, "drawing": {"strokes": strokes, "regions": [
            {"region": "ear", "side": "left", "intensity": 4}], "exclude": [],
            "symptoms": ["dizziness"], "screening": []}})
    assert r.status_code == 200, r.text
    s = w.store.get_session(w.owner.actor, w.session_id)
    assert s.strokes and s.strokes[0]["view"] == "front"
    assert {"region": "ear", "side": "left", "intensity": 4} in s.painmap["regions"]
    assert s.symptoms == ["dizziness"] and s.ranking is not None
    assert s.intake["drawing"]["regions"][0]["region"] == "ear"
    # bad input names the field in Dutch; nothing of that request is saved
    r = tc.post(f"/api/v1/sessions/{w.session_id}", headers=h,
                json={"nrs_after": 11, "complaint": "niet opslaan"})
    assert r.status_code == 422
    assert r.json()["error"]["field"] == "nrs_after"
    assert r.json()["error"]["message"].startswith("Pijn na behandeling (NRS 0–10)")
    assert w.store.get_session(w.owner.actor, w.session_id).complaint == "Hoofdpijn links"
    r = tc.post(f"/api/v1/sessions/{w.session_id}", headers=h, json={"drawing": {
        "strokes": [{"view": "side", "points": [[1, 2]]}]}})
    assert r.status_code == 422 and r.json()["error"]["field"] == "drawing.strokes[0].view"
    assert r.json()["error"]["message"].startswith("Tekening")
    # a finding replaces the earlier one for that muscle and side
    for res in ("active", "none_found"):
        r = tc.post(f"/api/v1/sessions/{w.session_id}/findings", headers=h, json={
            "muscle": "trapezius", "side": "left", "result": res, "pain_recognised": True})
        assert r.status_code == 200, r.text
    s = w.store.get_session(w.owner.actor, w.session_id)
    assert [(f.muscle, f.result) for f in s.findings] == [("trapezius", "none_found")]
    trap = next(c for c in s.ranking["candidates"] if c["muscle"] == "trapezius"
                and c["side"] == "left")
    assert trap.get("finding") == "none_found"
    r = tc.post(f"/api/v1/sessions/{w.session_id}/findings", headers=h,
                json={"muscle": "trapezius", "side": "left", "result": None})
    assert r.json()["findings"] == []
    r = tc.post(f"/api/v1/sessions/{w.session_id}/treatments", headers=h, json={
        "muscle": "trapezius", "side": "left", "technique": "magic", "duration_min": 5})
    assert r.status_code == 422 and r.json()["error"]["message"].startswith("Techniek")
    r = tc.post(f"/api/v1/sessions/{w.session_id}/note", headers=h,
                json={"subjective": "Hoofdpijn", "assessment": "Myofasciaal", "plan": ""})
    soap = r.json()["soap_text"]
    assert soap.startswith("S: Hoofdpijn. Overige klachten: duizeligheid of evenwichtsstoornis. "
                           "Pijntekening: ") and "bij aanvang: 6/10." in soap
    page = tc.get(f"/sessies/{w.session_id}").text
    assert "Myofasciaal" in page and 'id="draw-init"' in page


def test_a_treatment_is_removed_with_its_button_in_the_charting_step(w: World) -> None:
    tc, token = client_for(w, "colleague@knoop.test")
    h = {"X-CSRF-Token": token}
    api = f"/api/v1/sessions/{w.session_id}"
    for technique in ("massage", "dry_needling"):
        r = tc.post(f"{api}/treatments", headers=h, json={
            "muscle": "trapezius", "side": "left", "technique": technique})
        assert r.status_code == 200, r.text
    tc.post(f"{api}/note", headers=h, json={"plan": "rek"})
    ids = [x["id"] for x in r.json()["treatments"]]
    page = tc.get(f"/sessies/{w.session_id}").text
    assert f'data-remove-treatment="{ids[1]}"' in page and "verwijderen" in page
    r = tc.post(f"{api}/treatments/{ids[1]}/remove", headers=h, json={})
    assert r.status_code == 200, r.text
    assert [x["id"] for x in r.json()["treatments"]] == ids[:1]
    assert "dry needling" not in r.json()["soap_text"] and "massage" in r.json()["soap_text"]
    assert [x.id for x in w.store.get_session(w.owner.actor, w.session_id).treatments] == ids[:1]
    # again, or a treatment of another session: 404 in the one error shape
    assert tc.post(f"{api}/treatments/{ids[1]}/remove", headers=h, json={}).status_code == 404
    other = w.store.create_session(w.owner.actor, w.client.id)
    tid = w.store.add_treatment(w.owner.actor, other.id, muscle="trapezius", side="left",
                                technique="heat").id
    r = tc.post(f"{api}/treatments/{tid}/remove", headers=h, json={})
    assert r.status_code == 404 and r.json()["error"]["code"]
    assert len(w.store.get_session(w.owner.actor, other.id).treatments) == 1
    # without the CSRF header: refused
    r = tc.post(f"{api}/treatments/{ids[0]}/remove", json={})
    assert r.status_code == 403
    # a closed session: refused, and the page has no remove buttons
    tc.post(f"/sessies/{w.session_id}/status", data={"csrf": token, "status": "closed"})
    r = tc.post(f"{api}/treatments/{ids[0]}/remove", headers=h, json={})
    assert r.status_code == 409 and "afgerond" in r.json()["error"]["message"]
    assert "data-remove-treatment" not in tc.get(f"/sessies/{w.session_id}").text


@pytest.mark.parametrize("persona", list(PERSONAS))
def test_removing_a_treatment_for_owner_colleague_and_outsider(w: World, persona: str) -> None:
    email, allowed = PERSONAS[persona]
    tid = w.store.add_treatment(w.owner.actor, w.session_id, muscle="trapezius", side="left",
                                technique="massage").id
    tc, token = client_for(w, email)
    r = tc.post(f"/api/v1/sessions/{w.session_id}/treatments/{tid}/remove",
                headers={"X-CSRF-Token": token}, json={})
    assert r.status_code == (200 if allowed else 404), r.text[:300]
    left = w.store.get_session(w.owner.actor, w.session_id).treatments
    assert [x.id for x in left] == ([] if allowed else [tid])


def test_the_soap_text_prints_the_next_appointment_in_dutch_local_time(w: World) -> None:
    tc, token = client_for(w, "owner@knoop.test")
    h = {"X-CSRF-Token": token}
    tc.post(f"/api/v1/sessions/{w.session_id}/note", headers=h, json={"plan": "rek"})
    r = tc.post(f"/api/v1/sessions/{w.session_id}", headers=h,
                json={"next_appointment": "2026-12-01T10:00"})  # as typed, Amsterdam time
    assert r.status_code == 200
    assert w.store.get_session(w.owner.actor, w.session_id).next_appointment == \
        dt.datetime(2026, 12, 1, 9, 0), "stored in UTC"
    assert "Volgende afspraak: 01-12-2026 10:00." in r.json()["soap_text"]
    tc.post(f"/api/v1/sessions/{w.session_id}", headers=h,
            json={"next_appointment": "2026-07-01T10:00"})  # summer time, UTC+2
    assert "Volgende afspraak: 01-07-2026 10:00." in \
        w.store.get_session(w.owner.actor, w.session_id).note.soap_text


def test_red_flags_must_be_acknowledged_before_charting_and_the_ack_is_stored(w: World) -> None:
    tc, token = client_for(w, "owner@knoop.test")
    h = {"X-CSRF-Token": token}
    tc.post(f"/api/v1/sessions/{w.session_id}", headers=h, json={"drawing": {
        "regions": HEADACHE["regions"], "screening": ["chest_pain_exertion"]}})
    r = tc.post(f"/api/v1/sessions/{w.session_id}/treatments", headers=h, json={
        "muscle": "trapezius", "side": "left", "technique": "massage"})
    assert r.status_code == 409 and "rode vlaggen" in r.json()["error"]["message"]
    # an emergency flag is not just clicked away: it needs a written reason
    r = tc.post(f"/api/v1/sessions/{w.session_id}/flags", headers=h,
                json={"flags": ["chest_pain_exertion"]})
    assert r.status_code == 422
    assert r.json()["error"]["field"] == "override.chest_pain_exertion"
    why = "Cardioloog sloot hartklachten uit; brief van 1 december in het dossier"
    r = tc.post(f"/api/v1/sessions/{w.session_id}/flags", headers=h,
                json={"override": {"chest_pain_exertion": why}})
    assert r.status_code == 200 and r.json()["open_flags"] == []
    (d,) = w.store.get_session(w.owner.actor, w.session_id).flag_decisions
    assert (d.flag, d.decision, d.reason, d.decided_by) == \
        ("chest_pain_exertion", "overridden", why, w.owner.id)
    page = tc.get(f"/sessies/{w.session_id}").text
    assert why in page
    acked = page.split('id="acked-note"')[1].split("</ul>")[0]
    from knoop.ranking.redflags import flag_title

    assert flag_title("chest_pain_exertion", "nl") in acked
    assert ": chest_pain_exertion," not in acked  # the flag in words, never its ID
    r = tc.post(f"/api/v1/sessions/{w.session_id}/treatments", headers=h, json={
        "muscle": "trapezius", "side": "left", "technique": "massage"})
    assert r.status_code == 200


def test_a_closed_session_refuses_changes_until_reopened(w: World) -> None:
    tc, token = client_for(w, "owner@knoop.test")
    tc.post(f"/sessies/{w.session_id}/status", data={"csrf": token, "status": "closed"})
    r = tc.post(f"/api/v1/sessions/{w.session_id}", headers={"X-CSRF-Token": token},
                json={"complaint": "x"})
    assert r.status_code == 409 and "afgerond" in r.json()["error"]["message"]
    assert "Heropenen" in tc.get(f"/sessies/{w.session_id}").text


# ---------------------------------------------------------------------------------- intake
def _intake_url(w: World, tc: TestClient, token: str) -> str:
    r = tc.post(f"/clienten/{w.client.id}/intakelink", data={"csrf": token, "ttl_days": "3"})
    url = re.search(r'id="intake-url" readonly value="([^"]+)"', r.text)
    assert url
    return url.group(1).replace("http://testserver", "")


def test_an_intake_link_works_once_and_lands_as_a_draft(w: World) -> None:
    tc, token = client_for(w, "owner@knoop.test")
    path = _intake_url(w, tc, token)
    anon = TestClient(app_for(w.store), raise_server_exceptions=False)
    page = anon.get(path)
    assert page.status_code == 200 and "Je intake" in page.text and "Anna" not in page.text
    assert 'value="chart"' not in page.text and "Vastleggen" not in page.text  # no charting
    assert 'name="tool" value="chart"' in tc.get(f"/sessies/{w.session_id}").text
    form = {"csrf": csrf_of(page.text), "complaint": "Nekpijn", "nrs_before": "12"}
    r = anon.post(path, data=form)
    assert r.status_code == 422 and "Pijn nu (NRS 0–10)" in r.text
    assert "vul een heel getal in van 0 tot en met 10" in r.text  # says what is allowed
    assert 'value="Nekpijn"' not in r.text or "Nekpijn" in r.text
    form.update(nrs_before="6", symptoms=["dizziness"], screening=["fever_or_unwell"],
                drawing='{"strokes": [{"view": "back", "points": [[300, 170], [330, 175]], '
                        '"width": 20, "intensity": 6}], "regions": [], "exclude": []}')
    r = anon.post(path, data=form)
    assert r.status_code == 200 and "Bedankt" in r.text
    again = anon.get(path)
    assert again.status_code == 404 and "niet meer geldig" in again.text
    assert anon.post(path, data=form).status_code == 404
    drafts = [s for s in w.store.client_history(w.owner.actor, w.client.id)
              if s.status == "draft"]
    assert len(drafts) == 1
    s = w.store.get_session(w.owner.actor, drafts[0].id)
    assert s.nrs_before == 6 and s.symptoms == ["dizziness"] and s.strokes
    assert s.painmap["regions"] and s.intake["source"] == "intake_link"
    assert "Nekpijn" in tc.get(f"/clienten/{w.client.id}").text


def test_an_empty_intake_is_refused_kindly_and_the_link_still_works(w: World) -> None:
    tc, token = client_for(w, "owner@knoop.test")
    path = _intake_url(w, tc, token)
    anon = TestClient(app_for(w.store), raise_server_exceptions=False)
    csrf = csrf_of(anon.get(path).text)
    empty = '{"strokes": [], "regions": [], "exclude": []}'
    r = anon.post(path, data={"csrf": csrf, "complaint": "  ", "drawing": empty})
    assert r.status_code == 422 and "er is nog niets ingevuld" in r.text
    assert "je link werkt nog" in r.text
    assert anon.get(path).status_code == 200, "the link is not used up"
    r = anon.post(path, data={"csrf": csrf, "complaint": "Nekpijn"})
    assert r.status_code == 200 and "Bedankt" in r.text


def test_the_thank_you_page_words_the_warning_signs_as_the_questions_do(w: World) -> None:
    tc, token = client_for(w, "owner@knoop.test")
    path = _intake_url(w, tc, token)
    anon = TestClient(app_for(w.store), raise_server_exceptions=False)
    page = anon.get(path).text
    r = anon.post(path, data={"csrf": csrf_of(page), "complaint": "Rugpijn"})
    signs = r.text[r.text.index('id="warning-signs"'):]
    for text in ("Doof gevoel rond geslachtsdelen of anus", "Koorts of algemeen ziek voelen"):
        assert text in signs and f"> {text}</label>" in page
    assert "liezen" not in r.text


def test_a_new_intake_link_comes_with_a_qr_code_and_a_ready_message(w: World) -> None:
    tc, token = client_for(w, "owner@knoop.test")
    r = tc.post(f"/clienten/{w.client.id}/intakelink", data={"csrf": token, "ttl_days": "3"})
    url = re.search(r'id="intake-url" readonly value="([^"]+)"', r.text).group(1)  # type: ignore[union-attr]
    qr = r.text[r.text.index('id="intake-qr"'):]
    assert qr.split(">", 1)[1].lstrip().startswith("<svg") and 'class="qr"' in qr
    text = r.text[r.text.index('id="invite-text"'):r.text.index("</textarea>")]
    assert "Beste Anna," in text and url in text and "werkt één keer" in text
    mail = re.search(r'id="invite-mail" href="([^"]+)"', r.text).group(1)  # type: ignore[union-attr]
    wa = re.search(r'id="invite-whatsapp" href="([^"]+)"', r.text).group(1)  # type: ignore[union-attr]
    from urllib.parse import unquote
    assert mail.startswith("mailto:") and url in unquote(mail.replace("&amp;", "&"))
    assert wa.startswith("https://wa.me/") and url in unquote(wa.replace("&amp;", "&"))
    assert 'data-copy="intake-url"' in r.text and 'data-copy="invite-text"' in r.text


def test_intake_links_are_listed_on_the_client_page_and_can_be_revoked(w: World) -> None:
    tc, token = client_for(w, "owner@knoop.test")
    path = _intake_url(w, tc, token)
    secret = path.rsplit("/", 1)[1]
    page = tc.get(f"/clienten/{w.client.id}").text
    links = page[page.index('id="intake-links"'):]
    assert "open" in links and "geldig tot" in links and secret not in page
    link = w.store.intake_links(w.owner.actor, w.client.id)[0]
    colleague, ctoken = client_for(w, "colleague@knoop.test")
    r = colleague.post(f"/clienten/{w.client.id}/intakelink/{link.id}/intrekken",
                       data={"csrf": ctoken}, follow_redirects=False)
    assert r.status_code == 303
    page = tc.get(f"/clienten/{w.client.id}").text
    assert "ingetrokken" in page and f"revoke-link-{link.id}" not in page
    anon = TestClient(app_for(w.store), raise_server_exceptions=False)
    for r in (anon.get(path), anon.post(path, data={"csrf": csrf_of(anon.get("/inloggen").text),
                                                    "complaint": "x"})):
        assert r.status_code == 404 and "Deze link is niet meer geldig" in r.text
    assert not any(s.status == "draft"
                   for s in w.store.client_history(w.owner.actor, w.client.id))


@pytest.mark.parametrize("persona", list(PERSONAS))
def test_revoking_an_intake_link_for_owner_colleague_and_outsider(w: World,
                                                                  persona: str) -> None:
    email, allowed = PERSONAS[persona]
    w.store.create_intake_token(w.owner.actor, w.client.id)
    link = w.store.intake_links(w.owner.actor, w.client.id)[0]
    tc, token = client_for(w, email)
    r = tc.post(f"/clienten/{w.client.id}/intakelink/{link.id}/intrekken",
                data={"csrf": token}, follow_redirects=False)
    assert r.status_code == (303 if allowed else 404)
    state = w.store.intake_links(w.owner.actor, w.client.id)[0].state
    assert state == ("revoked" if allowed else "open")
    if not allowed:  # nor through a client of their own practice
        r = tc.post(f"/clienten/{w.other_client.id}/intakelink/{link.id}/intrekken",
                    data={"csrf": token}, follow_redirects=False)
        assert r.status_code == 404
        assert w.store.intake_links(w.owner.actor, w.client.id)[0].state == "open"


def test_unknown_and_expired_intake_links_get_the_same_message(tmp_path: Path) -> None:
    now = [dt.datetime(2026, 11, 25, 8, 0)]
    w = make_world(fresh_store(tmp_path, clock=lambda: now[0]))
    tc, token = client_for(w, "owner@knoop.test")
    path = _intake_url(w, tc, token)
    anon = TestClient(app_for(w.store), raise_server_exceptions=False)
    assert anon.get(path).status_code == 200
    now[0] += dt.timedelta(days=4)
    for p in (path, "/intake/onzin", "/intake/" + "a" * 500):
        r = anon.get(p)
        assert r.status_code == 404 and "Deze link is niet meer geldig" in r.text


# ---------------------------------------------------------------------------------- bad input
@pytest.mark.parametrize("path", [
    "/clienten/abc", "/clienten/0", "/clienten/99999999999999999999999", "/sessies/-1",
    "/sessies/1e9", "/clienten/1/verloop/1/left.svg", "/clienten?q=" + "x" * 500,
    "/kb?regio=nergens&klacht=%00", "/intake/%00%ff", "/sessies/999999",
])
def test_no_500_on_bad_input(w: World, path: str) -> None:
    tc, _t = client_for(w, "owner@knoop.test")
    r = tc.get(path)
    assert r.status_code < 500, (path, r.status_code)
    assert "<html" in r.text


def test_junk_json_gets_the_one_error_shape(w: World) -> None:
    tc, token = client_for(w, "owner@knoop.test")
    h = {"X-CSRF-Token": token, "Content-Type": "application/json"}
    for body in ("nonsense", "[1, 2]", '{"drawing": 5}', '{"nope": 1}', "[" * 5000,
                 '{"nrs_before": true}', '{"causes": ["gravity"]}'):
        r = tc.post(f"/api/v1/sessions/{w.session_id}", content=body, headers=h)
        assert r.status_code == 422, (body[:20], r.status_code, r.text[:200])
        assert set(r.json()["error"]) >= {"code", "message"}


def test_the_knowledge_base_searches_by_region_and_symptom(w: World) -> None:
    tc = TestClient(app_for(w.store))
    heel = tc.get("/kb", params={"regio": "heel"}).text
    assert "/kb/spieren/soleus" in heel and "/kb/spieren/trapezius" not in heel
    dizzy = tc.get("/kb", params={"klacht": "dizziness"}).text
    assert "/kb/spieren/sternocleidomastoid" in dizzy and "/kb/spieren/soleus" not in dizzy
    both = tc.get("/kb", params={"regio": "heel", "klacht": "dizziness"}).text
    assert both.count("/kb/spieren/") < min(heel.count("/kb/spieren/"),
                                            dizzy.count("/kb/spieren/"))
    bad = tc.get("/kb", params={"regio": "nergens"})
    assert bad.status_code == 200 and "Onbekend gebied" in bad.text


# ---------------------------------------------------------------------------------- PostgreSQL
@pytest.fixture
def pg_url(pg_server) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """A fresh database on the session's throwaway PostgreSQL server (tests/conftest.py)."""
    yield pg_server.create_db("web_smoke")
    pg_server.drop_db("web_smoke")


def test_smoke_on_postgresql(pg_url: str) -> None:
    from webkit import FAST_HASHER

    eng = make_engine(pg_url)
    upgrade(eng)
    w = make_world(Store(eng, password_hasher=FAST_HASHER))
    tc, token = client_for(w, "colleague@knoop.test")
    assert "Anna de Vries" in tc.get("/clienten", params={"q": "vri"}).text
    assert tc.get(f"/sessies/{w.session_id}").status_code == 200
    r = tc.post(f"/api/v1/sessions/{w.session_id}/findings", headers={"X-CSRF-Token": token},
                json={"muscle": "trapezius", "side": "left", "result": "none_found"})
    assert r.status_code == 200
    out, _t = client_for(w, "outsider@elders.test")
    assert out.get(f"/sessies/{w.session_id}").status_code == 404
    path = _intake_url(w, tc, token)
    anon = TestClient(app_for(w.store))
    page = anon.get(path)
    assert anon.post(path, data={"csrf": csrf_of(page.text), "complaint": "pg"}).status_code == 200
    assert anon.get(path).status_code == 404
    eng.dispose()



def test_every_detail_of_a_client_is_edited_versioned_and_confirmed(w: World) -> None:
    tc, token = client_for(w, "owner@knoop.test")
    page = tc.get(f"/clienten/{w.client.id}/bewerken")
    assert page.status_code == 200 and 'value="Anna"' in page.text
    form = {"first_name": "Anna", "infix": "de", "last_name": "Vries-Smit",
            "date_of_birth": "1978-04-12", "email": "anna@voorbeeld.nl", "phone": "06-12345678",
            "gp_name": "Dr. Berg", "version": str(w.client.version), "csrf": token}
    r = tc.post(f"/clienten/{w.client.id}/bewerken", data=form)
    assert r.status_code == 200 and "Opgeslagen." in r.text and "Anna de Vries-Smit" in r.text
    c = w.store.get_client(w.owner.actor, w.client.id)
    assert (c.last_name, c.email, c.gp_name, c.version) == (
        "Vries-Smit", "anna@voorbeeld.nl", "Dr. Berg", w.client.version + 1)
    # the same form again is stale: nothing is overwritten, the typed values stay
    r = tc.post(f"/clienten/{w.client.id}/bewerken", data={**form, "phone": "06-99999999"})
    assert r.status_code == 409 and "intussen gewijzigd" in r.text and "06-99999999" in r.text
    assert w.store.get_client(w.owner.actor, w.client.id).phone == "06-12345678"


def test_a_future_birth_date_on_the_edit_form_says_so_in_dutch(w: World) -> None:
    tc, token = client_for(w, "owner@knoop.test")
    r = tc.post(f"/clienten/{w.client.id}/bewerken", data={
        "first_name": "Anna", "last_name": "Vries", "date_of_birth": "2999-01-01",
        "csrf": token})
    assert r.status_code == 422 and "Geboortedatum ligt in de toekomst" in r.text
    assert w.store.get_client(w.owner.actor, w.client.id).date_of_birth.year == 1978


def test_an_outsider_cannot_open_or_edit_a_client(w: World) -> None:
    tc, token = client_for(w, "outsider@elders.test")
    assert tc.get(f"/clienten/{w.client.id}/bewerken").status_code == 404
    r = tc.post(f"/clienten/{w.client.id}/bewerken", data={
        "first_name": "X", "last_name": "Y", "csrf": token})
    assert r.status_code == 404
    assert w.store.get_client(w.owner.actor, w.client.id).first_name == "Anna"


def test_the_same_name_and_birth_date_warns_and_the_therapist_may_continue(w: World) -> None:
    tc, token = client_for(w, "owner@knoop.test")
    form = {"first_name": "anna", "infix": "de", "last_name": "vries",
            "date_of_birth": "1978-04-12", "request_id": "dup-1", "csrf": token}
    before = len(w.store.search_clients(w.owner.actor, "vries"))
    r = tc.post("/clienten/nieuw", data=form)
    assert r.status_code == 409 and "Deze cliënt bestaat misschien al" in r.text
    assert f'href="/clienten/{w.client.id}"' in r.text
    assert len(w.store.search_clients(w.owner.actor, "vries")) == before
    r = tc.post("/clienten/nieuw", data={**form, "confirm_duplicate": "yes"},
                follow_redirects=False)
    assert r.status_code == 303
    assert len(w.store.search_clients(w.owner.actor, "vries")) == before + 1


def test_without_treatment_consent_no_session_starts_until_it_is_recorded(w: World) -> None:
    tc, token = client_for(w, "owner@knoop.test")
    c = w.store.create_client(w.owner.actor, first_name="Zonder", last_name="Toestemming")
    listing = tc.get("/clienten", params={"q": "toestemming"}).text
    assert 'data-consent="none"' in listing
    r = tc.post(f"/clienten/{c.id}/sessies", data={"csrf": token, "request_id": "g-1"},
                follow_redirects=False)
    assert r.status_code == 303 and "toestemming=nodig" in r.headers["location"]
    assert w.store.client_history(w.owner.actor, c.id) == []
    page = tc.get(r.headers["location"]).text
    assert "De sessie is niet gestart" in page and 'id="record-consent-start"' in page
    r = tc.post(f"/clienten/{c.id}/toestemming", data={
        "csrf": token, "kind": "treatment", "given": "yes", "then": "session",
        "request_id": "g-2"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/sessies/")
    assert [s.status for s in w.store.client_history(w.owner.actor, c.id)] == ["open"]
    assert 'data-consent="given"' in tc.get("/clienten", params={"q": "toestemming"}).text


def test_the_session_page_gates_treatment_and_taking_over_on_consent(w: World) -> None:
    tc, token = client_for(w, "owner@knoop.test")
    c = w.store.create_client(w.owner.actor, first_name="Zonder", last_name="Toestemming")
    draft = w.store.create_session(w.owner.actor, c.id, status="draft", painmap=HEADACHE)
    page = tc.get(f"/sessies/{draft.id}").text
    assert 'id="consent-gate"' in page and "Geen behandeling zonder behandeltoestemming" in page
    r = tc.post(f"/sessies/{draft.id}/status", data={"status": "open", "csrf": token},
                follow_redirects=False)
    assert r.status_code == 303 and "toestemming=nodig" in r.headers["location"]
    assert "De intake is niet overgenomen" in tc.get(r.headers["location"]).text
    assert w.store.get_session(w.owner.actor, draft.id).status == "draft"
    r = tc.post(f"/api/v1/sessions/{draft.id}/treatments", headers={"X-CSRF-Token": token},
                json={"muscle": "trapezius", "side": "left", "technique": "massage"})
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "consent_missing"
    assert "behandeltoestemming" in r.json()["error"]["message"]
    r = tc.post(f"/clienten/{c.id}/toestemming", data={
        "csrf": token, "kind": "treatment", "given": "yes", "then": f"/sessies/{draft.id}"},
        follow_redirects=False)
    assert r.headers["location"] == f"/sessies/{draft.id}"
    assert 'id="consent-gate"' not in tc.get(f"/sessies/{draft.id}").text
    r = tc.post(f"/sessies/{draft.id}/status", data={"status": "open", "csrf": token},
                follow_redirects=False)
    assert r.headers["location"] == f"/sessies/{draft.id}"
    assert w.store.get_session(w.owner.actor, draft.id).status == "open"
