"""The workplace in-process (TestClient, a fresh SQLite file per test): personas on every
route that touches a client (owner and colleague may, an outsider gets 404), CSRF on every
POST, login with throttling and the second factor, session expiry, intake links, no 500 on bad
input, and one smoke run on PostgreSQL."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import socket
import subprocess
import tempfile
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
    assert r.status_code == 422 and "Geboortedatum" in r.text
    before = len(w.store.search_clients(w.owner.actor, "", 100))
    r = tc.post("/clienten/nieuw", data={"csrf": token, "first_name": "Jan", "infix": "van",
                                         "last_name": "Dijk", "date_of_birth": "1970-05-06",
                                         "consent_treatment": "yes", "consent_research": "yes",
                                         "consent_date": "2026-01-10"}, follow_redirects=False)
    assert r.status_code == 303
    cid = int(r.headers["location"].rsplit("/", 1)[1])
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
    assert r.status_code == 422 and r.json()["error"]["field"] == "strokes[0].view"
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
    assert "S: Hoofdpijn. Pijn (NRS) bij aanvang: 6/10." in r.json()["soap_text"]
    page = tc.get(f"/sessies/{w.session_id}").text
    assert "Myofasciaal" in page and 'id="draw-init"' in page


def test_red_flags_must_be_acknowledged_before_charting_and_the_ack_is_stored(w: World) -> None:
    tc, token = client_for(w, "owner@knoop.test")
    h = {"X-CSRF-Token": token}
    tc.post(f"/api/v1/sessions/{w.session_id}", headers=h, json={"drawing": {
        "regions": HEADACHE["regions"], "screening": ["chest_pain_exertion"]}})
    r = tc.post(f"/api/v1/sessions/{w.session_id}/treatments", headers=h, json={
        "muscle": "trapezius", "side": "left", "technique": "massage"})
    assert r.status_code == 409 and "rode vlaggen" in r.json()["error"]["message"]
    r = tc.post(f"/api/v1/sessions/{w.session_id}/flags", headers=h,
                json={"flags": ["chest_pain_exertion"]})
    assert r.status_code == 200 and r.json()["open_flags"] == []
    ack = w.store.get_session(w.owner.actor, w.session_id).intake["red_flags_ack"]
    assert ack["flags"] == ["chest_pain_exertion"] and ack["by"] == w.owner.id
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
    form = {"csrf": csrf_of(page.text), "complaint": "Nekpijn", "nrs_before": "12"}
    r = anon.post(path, data=form)
    assert r.status_code == 422 and "Pijn nu (NRS 0–10)" in r.text
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
PG_BIN = Path(os.environ.get("KNOOP_PG_BIN", "/usr/lib/postgresql/15/bin"))


@pytest.fixture(scope="module")
def pg_url() -> Iterator[str]:
    if not (PG_BIN / "initdb").exists():
        pytest.fail(f"PostgreSQL binaries not found in {PG_BIN}")
    root = Path(tempfile.mkdtemp(prefix="knoop-web-pg-"))
    root.chmod(0o755)
    data = root / "data"
    data.mkdir()

    def as_pg(cmd: list[str]) -> list[str]:
        return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
        shutil.chown(data, "postgres")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    subprocess.run(as_pg([str(PG_BIN / "initdb"), "-D", str(data), "-U", "postgres", "-A",
                          "trust", "-E", "UTF8", "--locale=C.UTF-8"]), check=True,
                   capture_output=True)
    subprocess.run(as_pg([str(PG_BIN / "pg_ctl"), "-D", str(data), "-w", "-l",
                          str(root / "log"), "-o",
                          (f"-k {root} -p {port} -c listen_addresses=127.0.0.1 "
                           "-c fsync=off"), "start"]),
                   check=True, capture_output=True)
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(as_pg([str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"]),
                       capture_output=True, check=False)
        shutil.rmtree(root, ignore_errors=True)


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

