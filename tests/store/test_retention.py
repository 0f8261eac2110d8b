"""Retention: 20 years after the last change; erasure on request keeps only a log entry."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from storekit import HEADACHE, World

from knoop.errors import Forbidden, NotFound
from knoop.store import Store
from knoop.store.models import ConsentRow, FindingRow, SessionRow


def test_every_change_moves_the_retention_date_to_twenty_years_after_it(world: World) -> None:
    st = world.store
    before = st.get_client(world.owner, world.client.id)
    assert before.retention_until == before.last_change.date().replace(
        year=before.last_change.year + 20)
    s = st.create_session(world.owner, world.client.id)
    st.add_finding(world.owner, s.id, muscle="trapezius", side="left", result="latent")
    after = st.get_client(world.owner, world.client.id)
    assert after.last_change > before.last_change


def test_the_report_lists_dossiers_past_their_retention_date(world: World) -> None:
    st = world.store
    assert st.retention_report() == []
    future = dt.date.today() + dt.timedelta(days=365 * 20 + 10)
    rows = st.retention_report(today=future)
    assert [r.client_id for r in rows] == [world.client.id] and rows[0].expired
    soon = st.retention_report(today=future - dt.timedelta(days=30), within_days=60)
    assert soon and not soon[0].expired


def test_erasure_removes_the_client_data_and_logs_only_that_it_happened(world: World) -> None:
    st = world.store
    s = st.create_session(world.owner, world.client.id, painmap=HEADACHE,
                          complaint="hoofdpijn")
    st.add_finding(world.owner, s.id, muscle="trapezius", side="right", result="active")
    st.record_consent(world.owner, world.client.id, "treatment", True, "2026-01")
    with pytest.raises(Forbidden):
        st.erase_client(world.owner, world.client.id)
    st.erase_client(world.admin, world.client.id, reason="verzoek cliënt")
    with pytest.raises(NotFound):
        st.get_client(world.admin, world.client.id)
    with st.engine.connect() as c:
        for table in (SessionRow, FindingRow, ConsentRow):
            assert c.scalar(select(func.count()).select_from(table)) == 0
    log = st.access_for_client(world.client.id)
    erase = [e for e in log if e.action == "erase"]
    assert len(erase) == 1 and erase[0].user_email == "admin@knoop.test"
    assert "hoofdpijn" not in erase[0].detail and "Vries" not in erase[0].detail
    assert st.verify_access_log().ok


def test_an_erased_client_is_not_in_the_search(world: World, store: Store) -> None:
    store.erase_client(world.admin, world.client.id)
    assert store.search_clients(world.owner, "vries") == []
