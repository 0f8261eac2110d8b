"""The download routes, with the web app's own login (``knoop.web.deps``)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from knoop.store.demo import ADMIN, THERAPIST
from knoop.web import downloads
from knoop.web.app import create_app
from knoop.web.deps import SESSION_COOKIE
from tests.demo_practice import Demo


@pytest.fixture
def client(demo: Demo):  # type: ignore[no-untyped-def]
    app = create_app(demo.store, secret_key=b"k" * 32)
    if not any(getattr(r, "path", "") == "/sessies/{session_id}/nazorg.pdf"
               for r in app.routes):
        app.include_router(downloads.router)

    def login(email: str, password: str) -> TestClient:
        token, _user = demo.store.login(email, password, None, "127.0.0.1")
        c = TestClient(app)
        c.cookies.set(SESSION_COOKIE, token)
        return c
    return login


def test_therapist_downloads_handout_and_fhir(client, demo: Demo) -> None:  # type: ignore[no-untyped-def]
    c = client(THERAPIST[0], THERAPIST[2])
    r = c.get("/sessies/1/nazorg.pdf")
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    assert r.content.startswith(b"%PDF") and r.headers["cache-control"] == "no-store"
    r = c.get("/sessies/1/nazorg.pdf?lang=en")
    assert 'filename="aftercare-1.pdf"' in r.headers["content-disposition"]
    assert c.get("/sessies/2/fhir.json").json()["type"] == "collection"
    assert c.get("/clienten/1/dossier.pdf").status_code == 403  # admins only
    assert c.get("/clienten/1/fhir.json").status_code == 403  # the same rule (issue 13)


def test_admin_downloads_the_dossier(client) -> None:  # type: ignore[no-untyped-def]
    c = client(ADMIN[0], ADMIN[2])
    assert c.get("/clienten/2/dossier.pdf").content.startswith(b"%PDF")
    assert c.get("/clienten/2/dossier.json").json()["client"]["last_name"] == "Bakker"
    r = c.get("/clienten/1/fhir.json")
    assert r.status_code == 200 and r.json()["resourceType"] == "Bundle"


def test_outsider_and_anonymous_get_nothing(client, demo: Demo) -> None:  # type: ignore[no-untyped-def]
    c = client("outsider@elders.test", "correct horse battery")
    for url in ("/sessies/1/nazorg.pdf", "/clienten/1/fhir.json", "/sessies/1/fhir.json"):
        assert c.get(url).status_code == 404
    app = create_app(demo.store, secret_key=b"k" * 32)
    app.include_router(downloads.router)
    r = TestClient(app).get("/sessies/1/nazorg.pdf", follow_redirects=False)
    assert r.status_code in (302, 303, 401)


def test_leaflet_needs_no_login(client, demo: Demo) -> None:  # type: ignore[no-untyped-def]
    app = create_app(demo.store, secret_key=b"k" * 32)
    app.include_router(downloads.router)
    r = TestClient(app).get("/uitleg/folder.pdf")
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
