"""SQL statements per page, counted on the real engine (an SQLAlchemy event listener): the
client page, the history page and the session page make as many statements for a client with
many sessions as for one with two, so an N+1 comes back as a failure; and each
request writes one access-log entry."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, func, select
from webkit import (
    HEADACHE,
    TREATMENT_CONSENT,
    World,
    app_for,
    fresh_store,
    login,
    make_world,
)

from knoop.store import Store

START = dt.datetime(2026, 3, 2, 9, 0)


@pytest.fixture
def w(tmp_path: Path) -> World:
    return make_world(fresh_store(tmp_path))


def add_sessions(w: World, client_id: int, n: int) -> list[int]:
    """``n`` closed sessions with findings, treatments and a note, a week apart."""
    me = w.owner.actor
    st = w.store
    ids = []
    for i in range(n):
        s = st.create_session(me, client_id, painmap=HEADACHE, nrs_before=6,
                              started_at=START + dt.timedelta(weeks=i))
        st.add_finding(me, s.id, muscle="trapezius", side="left", result="active",
                       pain_recognised=True)
        st.add_finding(me, s.id, muscle="temporalis", side="left", result="latent")
        st.add_treatment(me, s.id, muscle="trapezius", side="left",
                         technique="ischemic_compression", duration_min=5)
        st.set_note(me, s.id, subjective="hoofdpijn", plan="rek")
        ids.append(s.id)
    return ids


@contextmanager
def counted(store: Store) -> Iterator[list[str]]:
    """Every SQL statement sent on the store's engine while the block runs."""
    seen: list[str] = []

    def on_execute(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    event.listen(store.engine, "before_cursor_execute", on_execute)
    try:
        yield seen
    finally:
        event.remove(store.engine, "before_cursor_execute", on_execute)


def log_rows(store: Store) -> int:
    from knoop.store.models import AccessLogRow

    with store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(AccessLogRow)).scalar_one())


def statements(w: World, tc: TestClient, path: str) -> tuple[int, int]:
    """(SQL statements, access-log entries) of one GET of ``path``."""
    assert tc.get(path).status_code == 200  # warm: the login session's last-seen stamp
    before = log_rows(w.store)
    with counted(w.store) as seen:
        r = tc.get(path)
    assert r.status_code == 200, r.text[:300]
    return len(seen), log_rows(w.store) - before


PAGES = {"client page": "/clienten/{c}", "history page": "/clienten/{c}/verloop",
         "session page": "/sessies/{s}"}


@pytest.mark.parametrize("page", sorted(PAGES))
def test_a_page_makes_as_many_statements_for_30_sessions_as_for_two(w: World,
                                                                    page: str) -> None:
    few = w.store.create_client(w.owner.actor, first_name="Eva", last_name="Enkel",
                                consents=[TREATMENT_CONSENT]).id
    many = w.store.create_client(w.owner.actor, first_name="Vera", last_name="Veel",
                                 consents=[TREATMENT_CONSENT]).id
    one = add_sessions(w, few, 2)[-1]  # two: the session page also reads the one before
    last = add_sessions(w, many, 30)[-1]
    tc = TestClient(app_for(w.store))
    login(tc, "owner@knoop.test")
    small = statements(w, tc, PAGES[page].format(c=few, s=one))
    large = statements(w, tc, PAGES[page].format(c=many, s=last))
    assert large == small, f"{page}: {small} for 2 sessions, {large} for 30"
    assert small[1] == 1  # one access-log entry per request


def test_the_client_page_shows_50_sessions_per_page_newest_first(w: World) -> None:
    me = w.owner.actor  # the world's client has one session already (today)
    ids = [w.store.create_session(me, w.client.id, rank=False, nrs_before=i % 11,
                                  started_at=START + dt.timedelta(days=i)).id
           for i in range(54)]
    tc = TestClient(app_for(w.store))
    login(tc, "owner@knoop.test")
    first = tc.get(f"/clienten/{w.client.id}")
    assert first.text.count('data-session="') == 50
    assert "Pagina 1 van 2 (55 sessies)" in first.text
    assert f'href="/clienten/{w.client.id}?pagina=2"' in first.text
    second = tc.get(f"/clienten/{w.client.id}?pagina=2")
    assert second.text.count('data-session="') == 5
    shown = [int(x) for x in re.findall(r'data-session="(\d+)"', second.text)]
    assert shown == ids[4::-1]  # the five oldest, newest first
    assert "Geen sessies op deze pagina" in tc.get(f"/clienten/{w.client.id}?pagina=9").text
    bad = tc.get(f"/clienten/{w.client.id}?pagina=nul")
    assert bad.status_code == 422 and "pagina" in bad.text


@pytest.mark.parametrize("page", sorted(PAGES))
def test_a_page_never_reads_the_ranking_snapshots(w: World, page: str) -> None:
    """The snapshots (6-35 kB of JSON each) are read where they are used (the session API,
    the dossier); the client, history and session pages do without them."""
    last = add_sessions(w, w.client.id, 3)[-1]
    tc = TestClient(app_for(w.store))
    login(tc, "owner@knoop.test")
    path = PAGES[page].format(c=w.client.id, s=last)
    assert tc.get(path).status_code == 200
    with counted(w.store) as seen:
        assert tc.get(path).status_code == 200
    assert seen and not [s for s in seen if "session_rankings" in s]
    with counted(w.store) as seen:  # the session itself still has its snapshot
        assert tc.get(f"/api/v1/sessions/{last}").status_code == 200
    assert [s for s in seen if "session_rankings" in s]
