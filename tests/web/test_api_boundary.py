"""The API boundary: typed bodies, odd text refused before it is stored, bounded bodies,
honest errors with a request ID, and a health check that knows about the database."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from webkit import World, app_for, csrf_of, fresh_store, login, make_world

from knoop.web.app import create_app


@pytest.fixture
def w(tmp_path: Path) -> World:
    return make_world(fresh_store(tmp_path))


def _client(w: World) -> tuple[TestClient, dict[str, str]]:
    tc = TestClient(app_for(w.store), raise_server_exceptions=False)
    token = login(tc, "owner@knoop.test")
    return tc, {"X-CSRF-Token": token, "Content-Type": "application/json"}


@pytest.mark.parametrize("path, body, field", [
    ("", {"complaint": "pijn\ud800"}, "complaint"),
    ("", {"complaint": "pijn\u0000"}, "complaint"),
    ("", {"symptoms": [{}]}, "symptoms[0]"),
    ("", {"causes": [{}]}, "causes[0]"),
    ("", {"screening": [[]]}, "screening[0]"),
    ("", {"next_appointment": "0001-01-01T00:00"}, "next_appointment"),
    ("", {"drawing": {"regions": [{"region": "\ud800", "side": "left"}]}},
     "drawing.regions[0].region"),
    ("/flags", {"flags": ["\ud800"]}, "flags[0]"),
    ("/flags", {"flags": ["fever\u0000"]}, "flags[0]"),
    ("/findings", {"muscle": "trapezius", "side": "left", "result": "active",
                   "note": "x\ud800"}, "note"),
    ("/treatments", {"muscle": [], "side": "left", "technique": "massage"}, "muscle"),
    ("/note", {"subjective": "\ud800"}, "subjective"),
])
def test_odd_values_on_the_session_api_are_a_422_and_nothing_is_stored(
        w: World, path: str, body: dict, field: str) -> None:
    tc, h = _client(w)
    before = w.store.get_session(w.owner.actor, w.session_id)
    raw = json.dumps(body).encode()  # lone surrogates travel as \u escapes, as a browser sends
    r = tc.post(f"/api/v1/sessions/{w.session_id}{path}", content=raw, headers=h)
    assert r.status_code == 422, r.text[:300]
    err = r.json()["error"]
    assert err["field"] == field and err["message"] and err["request_id"]
    after = w.store.get_session(w.owner.actor, w.session_id)
    assert (after.intake, after.complaint, after.next_appointment) == \
        (before.intake, before.complaint, before.next_appointment)
    assert tc.get(f"/sessies/{w.session_id}").status_code == 200


def test_a_flag_acknowledgement_keeps_only_flags_of_the_session(w: World) -> None:
    tc, h = _client(w)
    sid = w.store.create_session(w.owner.actor, w.client.id, screening=["fever_or_unwell"]).id
    r = tc.post(f"/api/v1/sessions/{sid}/flags", headers=h,
                json={"flags": ["fever_or_unwell", "not_a_flag_here"]})
    assert r.status_code == 200 and r.json()["open_flags"] == []
    (d,) = w.store.get_session(w.owner.actor, sid).flag_decisions
    assert (d.flag, d.decision, d.urgency) == ("fever_or_unwell", "acknowledged", "urgent")
    assert tc.get(f"/sessies/{sid}").status_code == 200


def test_the_session_api_refuses_a_body_over_4_mib_before_login_work(w: World) -> None:
    tc = TestClient(app_for(w.store), raise_server_exceptions=False)
    r = tc.post(f"/api/v1/sessions/{w.session_id}", content=b" " * (4 * 1024 * 1024 + 1),
                headers={"content-type": "application/json"})
    assert r.status_code == 413  # not 401 or 403: the limit comes first


def test_an_unexpected_error_is_logged_with_its_traceback_and_request_id(
        w: World, caplog: pytest.LogCaptureFixture) -> None:
    app = app_for(w.store)

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("kapot")

    tc = TestClient(app, raise_server_exceptions=False)
    with caplog.at_level(logging.ERROR, logger="knoop.web"):
        page = tc.get("/boom")
    rid = page.headers["x-request-id"]
    assert page.status_code == 500 and rid in page.text and "Traceback" not in page.text
    record = next(r for r in caplog.records if rid in r.getMessage())
    assert record.exc_info and "kapot" in str(record.exc_info[1])


def test_health_and_pages_say_503_when_the_database_does_not_answer(tmp_path: Path) -> None:
    unusable = tmp_path / "a-directory"  # SQLite cannot open a directory as a database
    unusable.mkdir()
    tc = TestClient(create_app(f"sqlite:///{unusable}", secret_key=b"k" * 32),
                    raise_server_exceptions=False)
    r = tc.get("/healthz")
    assert r.status_code == 503 and r.json()["database"] == "unavailable"
    tc.cookies.set("knoop_session", "x" * 43)
    page = tc.get("/clienten")
    assert page.status_code == 503 and "database" in page.text.lower()


def test_health_is_ok_with_a_database(w: World) -> None:
    r = TestClient(app_for(w.store)).get("/healthz")
    assert r.status_code == 200 and r.json()["database"] == "ok"


def test_the_openapi_document_lists_every_api_operation_with_schemas(w: World) -> None:
    tc = TestClient(app_for(w.store))
    assert tc.get("/api/openapi.json", follow_redirects=False).status_code == 308
    spec = tc.get("/openapi.json").json()
    ops = [(m, p) for p, item in spec["paths"].items() for m in item if p.startswith("/api/v1")]
    assert len(ops) == 11  # rank, drawing, overlay, region, 7 session
    for method, p in ops:
        op = spec["paths"][p][method]
        ok = op["responses"]["200"]["content"]["application/json"]["schema"]
        assert ok, (method, p)
        assert {"422", "500"} <= set(op["responses"]), (method, p)
        for status in set(op["responses"]) - {"200"}:
            ref = op["responses"][status]["content"]["application/json"]["schema"]["$ref"]
            assert ref.endswith("/ErrorBody") or (status, ref.rsplit("/", 1)[1]) == \
                ("412", "StaleBody"), (method, p, status)
        if method == "post" and not p.endswith("/remove"):
            assert op["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert "ErrorBody" in spec["components"]["schemas"]


def test_a_login_form_does_not_get_csrf_from_the_api(w: World) -> None:
    tc = TestClient(app_for(w.store))
    assert csrf_of(tc.get("/inloggen").text)
