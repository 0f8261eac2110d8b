"""The demo practice on a real SQLite file, for handout and export tests (fixtures used by
tests/handouts and tests/fhir), and helpers to read PDFs as text and PNG pages."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from knoop.store import Actor, Store, make_engine, upgrade
from knoop.store.demo import ADMIN, THERAPIST, load

FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
#: The demo practice is laid out backwards from this moment (UTC), never from today's date.
DEMO_NOW = dt.datetime(2026, 11, 25, 9, 0)


@dataclass
class Demo:
    store: Store
    path: Path
    therapist: Actor
    admin: Actor
    outsider: Actor
    outsider_admin: Actor


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    store = Store(make_engine(f"sqlite:///{path}"), password_hasher=FAST_HASHER)
    upgrade(store.engine)
    load(store, now=DEMO_NOW)
    other = store.create_practice("Praktijk Elders", "Zwolle")
    store.create_user(other.id, "outsider@elders.test", "therapist", "correct horse battery")
    store.create_user(other.id, "admin@elders.test", "admin", "correct horse battery")
    store.close()
    return path


@pytest.fixture
def demo(demo_template: Path, tmp_path: Path) -> Iterator[Demo]:
    path = tmp_path / "knoop.sqlite3"
    shutil.copy(demo_template, path)
    store = Store(make_engine(f"sqlite:///{path}"), password_hasher=FAST_HASHER)
    yield Demo(store, path, store.user_by_email(THERAPIST[0]).actor,
               store.user_by_email(ADMIN[0]).actor,
               store.user_by_email("outsider@elders.test").actor,
               store.user_by_email("admin@elders.test").actor)
    store.close()


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    f = tmp_path / "doc.pdf"
    f.write_bytes(pdf)
    out = subprocess.run(["pdftotext", str(f), "-"], check=True,
                         capture_output=True, text=True).stdout
    return " ".join(out.split())


def pdf_pages_to_png(pdf: bytes, artifacts: Path, name: str) -> list[Path]:
    """Render every page (pdftoppm -png -r 80) into artifacts/ for a human to look at."""
    for old in artifacts.glob(f"{name}-*.png"):
        old.unlink()
    f = artifacts / f"{name}.pdf"
    f.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "80", str(f), str(artifacts / name)], check=True)
    pages = sorted(artifacts.glob(f"{name}-*.png"))
    assert pages, "pdftoppm rendered no page"
    return pages
