"""The practice at scale, on SQLite and PostgreSQL: the keyset export (the dossier's rows, the
practice only, one access-log entry), import batches (all of a batch or none, retried by
request ID), the name look-up of an import, the page overviews, and the seeded practice."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import delete
from sqlalchemy.exc import DBAPIError
from storekit import HEADACHE, TREATMENT_CONSENT, World, count_rows

from knoop.errors import BadInput
from knoop.store.exports import PageReader
from knoop.store.models import AccessLogRow, ClientRow, FindingRow, SessionRow
from knoop.store.seed import seed

START = dt.datetime(2026, 2, 2, 9, 15, 30, 250000)


def _sessions(w: World, client_id: int, n: int) -> list[int]:
    ids = []
    for i in range(n):
        s = w.store.create_session(w.owner, client_id, painmap=HEADACHE, nrs_before=5,
                                   symptoms=["stiff_neck"] if i % 2 else [],
                                   started_at=START + dt.timedelta(days=7 * i),
                                   complaint="=1+1" if i == 0 else "nek")
        w.store.add_finding(w.owner, s.id, muscle="trapezius", side="right", result="active",
                            pain_recognised=True, note="strak")
        w.store.add_treatment(w.owner, s.id, muscle="trapezius", side="right",
                              technique="massage", duration_min=5)
        ids.append(s.id)
    return ids


def test_export_pages_hold_the_dossiers_rows_of_the_practice_only(world: World) -> None:
    st = world.store
    other = st.create_client(world.outsider, first_name="Bert", last_name="Elders")
    _sessions(world, world.client.id, 3)
    second = st.create_client(world.owner, first_name="Eva", last_name="Bos",
                              consents=[TREATMENT_CONSENT])
    _sessions(world, second.id, 2)
    st.create_session(world.outsider, other.id, painmap=HEADACHE)
    log = count_rows(st, AccessLogRow)
    pages = list(st.practice_export(world.owner, page=1))
    assert count_rows(st, AccessLogRow) == log + 1  # one entry for the whole export
    assert [p.clients for p in pages] == [1, 1]
    rows = [r for p in pages for r in p.sessions]
    want = [s for c in (world.client.id, second.id)
            for s in st.client_dossier(world.owner, c)["sessions"]]
    assert [(r[1], r[2], r[3], r[6], r[11], r[12]) for r in rows] == [
        (s["client_id"], s["id"], s["started_at"], s["symptoms"], len(s["findings"]),
         len(s["treatments"])) for s in want]
    assert rows[0][3] == "2026-02-02T09:15:30.250000" and rows[0][5] == "=1+1"
    assert [r[10][0]["region"] for r in rows] == ["temple"] * 5
    findings = [f for p in pages for f in p.findings]
    assert [(f[0], f[1], f[4], f[8], f[13]) for f in findings] == [
        (s["client_id"], s["id"], "trapezius", True, "strak") for s in want]
    assert all(p.sessions[0][0] == world.practice_a for p in pages)


def test_a_batch_of_clients_is_stored_whole_or_not_at_all(world: World) -> None:
    st = world.store
    before = count_rows(st, ClientRow)
    with pytest.raises(BadInput) as bad:
        st.create_clients(world.owner, [{"first_name": "Jan", "last_name": "Dijk"},
                                        {"first_name": "Piet", "last_name": ""}])
    assert bad.value.field == "1.last_name" and count_rows(st, ClientRow) == before
    made = st.create_clients(world.owner, [{"first_name": "Jan", "last_name": "Dijk"},
                                           {"first_name": "Piet", "last_name": "Bos"}],
                             request_ids=["r-1", "r-2"])
    again = st.create_clients(world.owner, [{"first_name": "Jan", "last_name": "Dijk"},
                                            {"first_name": "Kees", "last_name": "Vos"}],
                              request_ids=["r-1", "r-3"])
    assert again[0].id == made[0].id and count_rows(st, ClientRow) == before + 3
    assert st.verify_access_log().ok


def test_an_import_finds_stored_clients_by_name_in_its_own_practice_only(world: World) -> None:
    st = world.store
    st.create_client(world.outsider, first_name="Anna", infix="de", last_name="Vries")
    found = st.clients_named(world.owner, ["ANNA DE VRIES", "Nobody Here"])
    assert [(m.id, m.display_name) for m in found] == [(world.client.id, "Anna de Vries")]


def test_the_overviews_read_the_page_in_one_go(world: World) -> None:
    st = world.store
    ids = _sessions(world, world.client.id, 5)
    st.create_intake_token(world.owner, world.client.id, dt.timedelta(days=1))
    o = st.client_overview(world.colleague, world.client.id, page=2, per_page=2)
    assert (o.total, o.drafts, len(o.links)) == (5, 0, 1)
    assert [s.id for s in o.sessions] == ids[2:0:-1]
    h = st.session_history(world.owner, world.client.id, last=3)
    assert [s.id for s in h.sessions] == ids[2:] and h.total == 5
    assert all(s.ranking is None and s.findings and s.treatments for s in h.sessions)
    page = st.session_with_client(world.owner, ids[1])  # the page ranks live: no snapshot
    assert page.session.ranking is None and page.session.findings
    assert page.client.id == world.client.id
    assert page.previous is not None and page.previous.id == ids[0]
    assert page.treatment_consent is True and page.diary == []


def test_a_seeded_practice_looks_real_and_keeps_the_log_sound(world: World) -> None:
    st = world.store
    res = seed(st, 30, sessions_per_client=4, practice_name="Schaal", heavy_sessions=12,
               batch=7)
    assert (res.clients, res.sessions) == (31, 132)
    assert count_rows(st, SessionRow) == 132 and count_rows(st, FindingRow) >= 132 * 2
    ther = st.create_user(res.practice_id, "t@schaal.test", "therapist",
                          "correct horse battery").actor
    heavy = st.search_clients(ther, "henk van der zwaar")[0]
    h = st.session_history(ther, heavy.id, last=12)
    assert h.total == 12
    full = st.get_session(ther, h.sessions[-1].id)
    assert full.ranking and full.ranking["candidates"] and full.regions and full.findings
    assert full.treatments and full.note and full.nrs_after is not None
    assert st.create_client(ther, first_name="Na", last_name="Seed").id > heavy.id
    assert st.verify_access_log().ok


def test_a_page_reader_on_its_own_connection_reads_what_the_store_reads(world: World) -> None:
    """The reader a worker process of a parallel export opens (read-only, one snapshot a page)
    returns the same rows as the store's own page, on both databases, and cannot write."""
    st = world.store
    _sessions(world, world.client.id, 2)
    plan = st.export_plan(world.owner, page=1)
    url = st.reader_url()
    assert url is not None and len(plan.pages) == 1
    reader = PageReader(url)
    try:
        assert reader(plan.practice_id, *plan.pages[0]) == st.export_page(plan, 0)
        with reader.engine.connect() as conn, pytest.raises(DBAPIError), conn.begin():
            conn.execute(delete(FindingRow))
    finally:
        reader.close()
    assert count_rows(st, FindingRow) == 2


def test_an_export_plan_covers_the_practices_clients_once_in_pages_by_id(world: World) -> None:
    st = world.store
    st.create_client(world.outsider, first_name="Bert", last_name="Elders")
    made = [st.create_client(world.owner, first_name=f"K{i}", last_name="Bos").id
            for i in range(4)]
    log = count_rows(st, AccessLogRow)
    plan = st.export_plan(world.owner, page=2)
    assert count_rows(st, AccessLogRow) == log + 1
    ids = sorted([world.client.id, *made])
    assert plan.pages == [(ids[0], ids[1], 2), (ids[2], ids[3], 2), (ids[4], ids[4], 1)]
    assert plan.scope.clients == 5 and plan.scope.last_client_id == ids[-1]
