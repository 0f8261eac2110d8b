"""Helpers for the web-app tests: a migrated SQLite database per test (copied from a template),
two practices with the owner therapist, a colleague and an outsider, and logging in through the
real login form (so every test also walks the CSRF path)."""

from __future__ import annotations

import re
import shutil
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from fastapi.testclient import TestClient

from knoop.store import Client, Store, User, make_engine, upgrade
from knoop.web.app import create_app

FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
PASSWORD = "correct horse battery"
SECRET = b"test-secret-key-0123456789abcdef0123456789"
HEADACHE = {"regions": [{"region": "temple", "side": "left", "intensity": 7},
                        {"region": "neck_back_upper", "side": "left", "intensity": 6}]}


@cache
def sqlite_template() -> Path:
    path = Path(tempfile.mkdtemp(prefix="knoop-web-tpl-")) / "template.sqlite3"
    eng = make_engine(f"sqlite:///{path}")
    upgrade(eng)
    eng.dispose()
    return path


def fresh_store(directory: Path, name: str = "knoop.sqlite3", **kw: object) -> Store:
    path = directory / name
    shutil.copy(sqlite_template(), path)
    return Store(make_engine(f"sqlite:///{path}"), password_hasher=FAST_HASHER, **kw)  # type: ignore[arg-type]

#: The client's treatment consent (no treatment without it).
TREATMENT_CONSENT = {"kind": "treatment", "text_version": "2026-01", "date": "2026-01-05"}


@dataclass
class World:
    store: Store
    owner: User
    colleague: User
    outsider: User
    client: Client
    other_client: Client  # of the outsider's practice
    session_id: int
    other_session_id: int


def make_world(store: Store) -> World:
    a = store.create_practice("Praktijk De Knoop", "Utrecht")
    b = store.create_practice("Praktijk Elders", "Zwolle")
    owner = store.create_user(a.id, "owner@knoop.test", "therapist", PASSWORD, name="Olga Eigenaar")
    colleague = store.create_user(a.id, "colleague@knoop.test", "therapist", PASSWORD)
    outsider = store.create_user(b.id, "outsider@elders.test", "therapist", PASSWORD)
    client = store.create_client(owner.actor, first_name="Anna", infix="de", last_name="Vries",
                                 date_of_birth="1978-04-12",
                                 consents=[TREATMENT_CONSENT])
    other = store.create_client(outsider.actor, first_name="Bert", last_name="Elders",
                                consents=[TREATMENT_CONSENT])
    sid = store.create_session(owner.actor, client.id, painmap=HEADACHE, nrs_before=6,
                               complaint="Hoofdpijn links").id
    osid = store.create_session(outsider.actor, other.id, painmap=HEADACHE).id
    return World(store, owner, colleague, outsider, client, other, sid, osid)


def app_for(store: Store):  # type: ignore[no-untyped-def]
    return create_app(store, secret_key=SECRET, cookie_secure="off")


CSRF_RE = re.compile(r'name="csrf" value="([^"]+)"|name="csrf-token" content="([^"]+)"')


def csrf_of(html: str) -> str:
    m = CSRF_RE.search(html)
    assert m, "no CSRF token in the page"
    return m.group(1) or m.group(2)


def login(tc: TestClient, email: str, password: str = PASSWORD) -> str:
    """Log in through the form; returns the CSRF token of the logged-in session."""
    page = tc.get("/inloggen")
    r = tc.post("/inloggen", data={"email": email, "password": password,
                                   "csrf": csrf_of(page.text)}, follow_redirects=False)
    assert r.status_code == 303, r.text[:500]
    return csrf_of(tc.get("/clienten").text)
