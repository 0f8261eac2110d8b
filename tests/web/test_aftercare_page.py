"""The client's aftercare page and pain diary in-process (TestClient, a fresh SQLite file per
test): the therapist's link with its QR code and message (consent first), the phone page
without JavaScript, diary entries and bad input, "much worse", revocation, the access log,
personas, and the handout with the QR code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from webkit import PASSWORD, World, app_for, csrf_of, fresh_store, login, make_world


@pytest.fixture
def w(tmp_path: Path) -> World:
    w = make_world(fresh_store(tmp_path))
    st, me = w.store, w.owner.actor
    st.add_treatment(me, w.session_id, muscle="trapezius", side="right",
                     technique="ischemic_compression", duration_min=10)
    st.update_session(me, w.session_id, nrs_after=3)
    return w


def therapist(w: World, email: str = "owner@knoop.test") -> tuple[TestClient, str]:
    tc = TestClient(app_for(w.store), raise_server_exceptions=False)
    return tc, login(tc, email, PASSWORD)


def make_link(w: World, consent: bool = True) -> tuple[TestClient, str, str]:
    """The owner records the consent and makes a link; returns (client, csrf, the page URL)."""
    tc, token = therapist(w)
    if consent:
        r = tc.post(f"/clienten/{w.client.id}/toestemming",
                    data={"kind": "aftercare", "given": "yes", "csrf": token},
                    follow_redirects=False)
        assert r.status_code == 303
    r = tc.post(f"/clienten/{w.client.id}/nazorglink", data={"idle_days": "28", "csrf": token})
    if not consent:
        return tc, token, r.text
    assert r.status_code == 200, r.text[:300]
    m = re.search(r'id="aftercare-url" readonly value="([^"]+)"', r.text)
    assert m, "no link shown"
    return tc, token, m.group(1)


def client_of(w: World) -> TestClient:
    return TestClient(app_for(w.store), raise_server_exceptions=False)


def test_a_link_needs_the_aftercare_consent_first_with_a_dutch_message(w: World) -> None:
    _tc, _t, html = make_link(w, consent=False)
    assert "toestemming" in html.lower() and 'id="aftercare-url"' not in html


def test_the_therapist_gets_the_link_once_with_a_qr_code_and_a_ready_message(w: World) -> None:
    tc, _t, url = make_link(w)
    page = tc.get(f"/clienten/{w.client.id}").text
    assert url not in page  # shown only once
    assert 'id="aftercare-links"' in page and 'data-state="open"' in page
    tc2, token = therapist(w)
    r = tc2.post(f"/clienten/{w.client.id}/nazorglink", data={"idle_days": "14", "csrf": token})
    assert '<svg' in r.text.split('id="aftercare-qr"')[1][:400]
    assert "Hallo Anna" in r.text and "/nazorg/" in r.text


def test_the_phone_page_shows_the_aftercare_and_the_treated_muscles_exercises(w: World) -> None:
    _tc, _t, url = make_link(w)
    r = client_of(w).get(url)
    assert r.status_code == 200 and r.headers["cache-control"] == "no-store"
    assert "noindex" in r.text
    html = r.text
    assert "Je nazorg, Anna" in html and "Vries" not in html and "1978" not in html
    assert 'data-muscle="trapezius"' in html and "Zelfmassage" in html and "Rekken" in html
    assert "Wat kun je verwachten?" in html and "Direct 112" in html  # the handout's texts
    assert "<svg" in html.split('class="ac-diagram"')[1][:200]  # where the trigger point lies
    assert "knoop-chart:" not in html  # no print-only background image on the web page
    assert "<li>Bovenste deel, voorrand (schouderrand)</li>" in html  # in plain words
    assert "Hoofdpijn links" not in html  # the complaint is not the client page's business
    en = client_of(w).get(url + "?lang=en").text
    assert "Your aftercare, Anna" in en and "Self-massage" in en


def test_diary_entries_are_saved_and_much_worse_shows_the_contact_advice(w: World) -> None:
    _tc, _t, url = make_link(w)
    c = client_of(w)
    token = csrf_of(c.get(url).text)
    r = c.post(url, data={"nrs": "4", "exercises": "yes", "csrf": token}, follow_redirects=False)
    assert r.status_code == 303 and "opgeslagen=1" in r.headers["location"]
    r = c.post(url, data={"much_worse": "1", "csrf": token})  # one tap, no score
    assert r.status_code == 200 and 'id="worse-advice"' in r.text
    assert "Bel de praktijk" in r.text
    entries = w.store.diary_entries(w.owner.actor, w.client.id)
    assert [(e.nrs, e.exercises_done, e.much_worse) for e in entries] == [
        (4, True, False), (None, None, True)]


@pytest.mark.parametrize(("data", "words"), [
    ({"nrs": "11"}, "Pijn nu"), ({"nrs": "x"}, "Pijn nu"), ({}, "Pijn nu"),
    ({"nrs": "3", "exercises": "misschien"}, "Oefeningen"),
    ({"nrs": "3", "drawing": "{not json"}, "Tekening"),
    ({"nrs": "3", "drawing": '{"strokes": [{"view": "top", "points": [[1, 1]]}]}'}, "Tekening"),
    ({"nrs": "3", "drawing": "[1, 2]"}, "Tekening"),
    ({"nrs": "3", "drawing": '{"strokes": "abc"}'}, "Tekening"),
    ({"nrs": "3", "drawing": '{"regions": [1]}'}, "Tekening"),
    ({"nrs": "3", "drawing": '{"exclude": [{"region": "temple"}]}'}, "Tekening"),
    ({"nrs": "3", "drawing": '{"strokes": [{"view": "front", "points": "x"}]}'}, "Tekening"),
    ({"nrs": "3", "drawing": "[" * 5000 + "]" * 5000}, "Tekening"),
    ({"nrs": "99999999999999999999999"}, "Pijn nu"),
])
def test_bad_diary_input_gets_a_dutch_message_naming_the_field_and_stores_nothing(
        w: World, data: dict, words: str) -> None:
    _tc, _t, url = make_link(w)
    c = client_of(w)
    token = csrf_of(c.get(url).text)
    r = c.post(url, data={**data, "csrf": token})
    assert r.status_code == 422, r.text[:300]
    assert words in r.text.split('id="form-error"')[1][:300]
    assert w.store.diary_entries(w.owner.actor, w.client.id) == []


def test_a_revoked_or_unknown_link_shows_the_same_page_and_404(w: World) -> None:
    tc, token, url = make_link(w)
    link = w.store.aftercare_links(w.owner.actor, w.client.id)[0]
    r = tc.post(f"/clienten/{w.client.id}/nazorglink/{link.id}/intrekken",
                data={"csrf": token}, follow_redirects=False)
    assert r.status_code == 303
    for u in (url, "/nazorg/bestaat-niet", "/nazorg/" + "x" * 300):
        r = client_of(w).get(u)
        assert r.status_code == 404 and "niet meer geldig" in r.text


def test_an_outsider_cannot_make_list_or_revoke_links_of_another_practice(w: World) -> None:
    _tc, _t, _url = make_link(w)
    link = w.store.aftercare_links(w.owner.actor, w.client.id)[0]
    tc, token = therapist(w, "outsider@elders.test")
    assert tc.post(f"/clienten/{w.client.id}/nazorglink",
                   data={"idle_days": "28", "csrf": token}).status_code == 404
    assert tc.post(f"/clienten/{w.client.id}/nazorglink/{link.id}/intrekken",
                   data={"csrf": token}).status_code == 404
    assert tc.post(f"/clienten/{w.other_client.id}/nazorglink/{link.id}/intrekken",
                   data={"csrf": token}).status_code == 404
    assert w.store.aftercare_links(w.owner.actor, w.client.id)[0].state == "open"


def test_the_diary_form_needs_its_csrf_token(w: World) -> None:
    _tc, _t, url = make_link(w)
    r = client_of(w).post(url, data={"nrs": "3"})
    assert r.status_code == 403
    assert w.store.diary_entries(w.owner.actor, w.client.id) == []


def test_the_handout_with_the_qr_code_names_the_page_and_refuses_a_foreign_token(
        w: World, tmp_path: Path) -> None:
    import subprocess

    tc, token, url = make_link(w)
    secret = url.rsplit("/", 1)[1]
    r = tc.post(f"/clienten/{w.client.id}/nazorglink/folder.pdf",
                data={"token": secret, "csrf": token})
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    pdf = tmp_path / "nazorg.pdf"
    pdf.write_bytes(r.content)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "Je eigen nazorgpagina" in text and "/nazorg/" in text
    assert tc.post(f"/clienten/{w.client.id}/nazorglink/folder.pdf",
                   data={"token": "geraden", "csrf": token}).status_code == 404


def test_the_token_never_reaches_the_server_log(w: World) -> None:
    from knoop.web.middleware import redact

    assert redact("GET /nazorg/abc123 HTTP/1.1") == "GET /nazorg/[redacted] HTTP/1.1"
    assert redact("POST /clienten/1/nazorglink") == "POST /clienten/1/nazorglink"


def test_every_page_view_is_access_logged_on_behalf_of_the_client(w: World) -> None:
    _tc, _t, url = make_link(w)
    before = len(w.store.access_for_client(w.client.id))
    client_of(w).get(url)
    client_of(w).get(url)
    log = w.store.access_for_client(w.client.id)[before:]
    assert [e.object for e in log if "aftercare link" in e.on_behalf_of] == [
        f"client:{w.client.id}/aftercare"] * 2


def test_the_page_follows_the_latest_session(w: World) -> None:
    _tc, _t, url = make_link(w)
    st, me = w.store, w.owner.actor
    st.set_status(me, w.session_id, "closed")
    nxt = st.create_session(me, w.client.id, status="open")
    st.add_treatment(me, nxt.id, muscle="infraspinatus", side="left", technique="massage")
    html = client_of(w).get(url).text
    assert 'data-muscle="infraspinatus"' in html and 'data-muscle="trapezius"' not in html


def test_a_link_used_too_often_answers_429_with_a_dutch_page(
        w: World, monkeypatch: pytest.MonkeyPatch) -> None:
    from knoop.store import aftercare_links

    _tc, _t, url = make_link(w)
    monkeypatch.setattr(aftercare_links, "LINK_LIMIT", 2)
    c = client_of(w)
    assert [c.get(url).status_code for _ in range(2)] == [200, 200]
    r = c.get(url)
    assert r.status_code == 429 and "Even geduld" in r.text and "Anna" not in r.text


def test_a_client_without_a_treated_session_reads_when_the_aftercare_comes(w: World) -> None:
    st, me = w.store, w.owner.actor
    other = st.create_client(me, first_name="Carla", last_name="Nieuw")
    st.record_consent(me, other.id, "aftercare", True, "2026-12")
    token = st.create_aftercare_link(me, other.id)
    r = client_of(w).get(f"/nazorg/{token}")
    assert r.status_code == 200 and "Je nazorg verschijnt hier" in r.text
    assert "Monnikskapspier" not in r.text
