"""Clients in the store: new (with consents, idempotent), search, history, dossier, intake drafts."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from storekit import HEADACHE, TREATMENT_CONSENT, World, count_rows

from knoop.errors import BadInput, DuplicateClient
from knoop.store import Store
from knoop.store.models import AccessLogRow, ClientRow, ConsentRow


@pytest.mark.parametrize("kwargs, field", [
    ({"first_name": "", "last_name": "Jansen"}, "first_name"),
    ({"first_name": "Jan", "last_name": "Jansen", "email": "geen-mail"}, "email"),
    ({"first_name": "Jan", "last_name": "Jansen", "date_of_birth": "2999-01-01"},
     "date_of_birth"),
    ({"first_name": "Jan", "last_name": "x" * 101}, "last_name"),
])
def test_a_bad_client_field_is_named(world: World, kwargs: dict, field: str) -> None:
    with pytest.raises(BadInput) as info:
        world.store.create_client(world.owner, **kwargs)
    assert info.value.field == field


def test_name_search_is_a_prefix_search_ignoring_case_accents_and_infix(world: World) -> None:
    st, me = world.store, world.owner
    st.create_client(me, first_name="Zoë", last_name="Öztürk")
    st.create_client(me, first_name="Henk", infix="van den", last_name="Berg")
    st.create_client(me, first_name="Bert", last_name="Bergman")

    def names(q: str) -> list[str]:
        return [c.display_name for c in st.search_clients(me, q)]
    assert names("ozt") == ["Zoë Öztürk"]
    assert names("ZOE") == ["Zoë Öztürk"]
    assert names("berg") == ["Henk van den Berg", "Bert Bergman"]
    assert names("van den b") == ["Henk van den Berg"]
    assert names("henk van") == ["Henk van den Berg"]
    assert names("xyz") == []
    assert len(names("")) == 4


def test_history_lists_a_clients_sessions_newest_first(world: World) -> None:
    st = world.store
    for day in (3, 1, 2):
        st.create_session(world.owner, world.client.id, started_at=dt.datetime(2026, 5, day))
    hist = st.client_history(world.colleague, world.client.id)
    assert [h.started_at.day for h in hist] == [3, 2, 1]


def test_the_dossier_export_holds_everything_about_the_client(world: World) -> None:
    st = world.store
    s = st.create_session(world.owner, world.client.id, painmap=HEADACHE)
    st.add_finding(world.owner, s.id, muscle="trapezius", side="right", result="latent")
    d = st.client_dossier(world.owner, world.client.id)
    assert d["client"]["last_name"] == "Vries"
    assert d["sessions"][0]["findings"][0]["result"] == "latent"


def test_store_results_are_plain_dataclasses(store: Store, world: World) -> None:
    import dataclasses
    c = store.get_client(world.owner, world.client.id)
    assert dataclasses.is_dataclass(c) and type(c).__module__ == "knoop.store.types"


def test_a_new_client_and_the_consents_are_stored_in_one_go(world: World) -> None:
    st = world.store
    c = st.create_client(world.owner, first_name="Jan", last_name="Dijk", consents=[
        {"kind": "treatment", "text_version": "2026-01", "date": "2026-01-10"},
        {"kind": "photos", "given": False, "text_version": "2026-01"}])
    got = st.consents(world.colleague, c.id)
    assert [(x.kind, x.given, x.date.isoformat() if x.kind == "treatment" else "", x.taken_by)
            for x in got] == [("treatment", True, "2026-01-10", world.owner.user_id),
                              ("photos", False, "", world.owner.user_id)]
    objects = [e.object for e in st.access_for_client(c.id)]
    assert objects[0] == f"client:{c.id}" and [o.split(":")[0] for o in objects[1:3]] == \
        ["consent", "consent"]


@pytest.mark.parametrize("consents, field", [
    ([{"kind": "treatment", "text_version": "2026-01"}, {"kind": "marketing",
                                                         "text_version": "2026-01"}],
     "consents[1].kind"),
    ([{"kind": "treatment", "text_version": ""}], "consents[0].text_version"),
    ([{"kind": "treatment", "text_version": "v", "date": "gisteren"}], "consents[0].date"),
    ([{"kind": "treatment", "text_version": "v", "given": "ja"}], "consents[0].given"),
    ([{"kind": "treatment", "text_version": "v", "colour": "red"}], "consents[0].colour"),
    ("treatment", "consents"),
])
def test_a_bad_consent_leaves_no_client_behind(world: World, consents: object,
                                               field: str) -> None:
    st = world.store
    clients, cons = count_rows(st, ClientRow), count_rows(st, ConsentRow)
    with pytest.raises(BadInput) as info:
        st.create_client(world.owner, first_name="Jan", last_name="Dijk",
                         consents=consents)  # type: ignore[arg-type]
    assert info.value.field == field
    assert (count_rows(st, ClientRow), count_rows(st, ConsentRow)) == (clients, cons)
    assert st.search_clients(world.owner, "dijk") == []


def test_a_failure_while_storing_a_consent_leaves_no_client_behind(
        world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    from knoop.store import audit

    st = world.store
    real = audit.append
    before = count_rows(st, ConsentRow)

    def failing_on_consents(*a: object, **k: object) -> object:
        if str(k.get("obj", "")).startswith("consent:"):
            raise RuntimeError("disk full")
        return real(*a, **k)  # type: ignore[arg-type]
    monkeypatch.setattr(audit, "append", failing_on_consents)
    with pytest.raises(RuntimeError):
        st.create_client(world.owner, first_name="Jan", last_name="Dijk",
                         consents=[{"kind": "treatment", "text_version": "2026-01"}])
    monkeypatch.undo()
    assert st.search_clients(world.owner, "dijk") == []
    assert count_rows(st, ConsentRow) == before
    assert st.verify_access_log().ok


def test_a_retried_new_client_request_id_does_not_duplicate_the_client(world: World) -> None:
    st = world.store
    kw = {"first_name": "Jan", "last_name": "Dijk",
          "consents": [{"kind": "treatment", "text_version": "2026-01"}]}
    a = st.create_client(world.owner, request_id="form-1", **kw)  # type: ignore[arg-type]
    b = st.create_client(world.colleague, request_id="form-1", **kw)  # type: ignore[arg-type]
    assert a.id == b.id
    assert len(st.search_clients(world.owner, "dijk")) == 1
    assert len(st.consents(world.owner, a.id)) == 1
    other = st.create_client(world.outsider, request_id="form-1", **kw)  # type: ignore[arg-type]
    assert other.id != a.id and other.practice_id == world.practice_b
    c = st.create_client(world.owner, request_id="form-2", **kw)  # type: ignore[arg-type]
    assert c.id not in (a.id, other.id)


def test_waiting_intakes_list_the_practices_drafts_oldest_first(world: World) -> None:
    st = world.store
    other = st.create_client(world.owner, first_name="Bert", infix="van", last_name="Berg",
                             consents=[TREATMENT_CONSENT])
    st.create_session(world.owner, world.client.id, status="draft",
                      started_at=dt.datetime(2026, 11, 3, 9), complaint="nek")
    first = st.create_session(world.owner, other.id, status="draft",
                              started_at=dt.datetime(2026, 11, 1, 9), nrs_before=5)
    st.create_session(world.owner, other.id, status="open")
    theirs = st.create_client(world.outsider, first_name="Els", last_name="Elders")
    st.create_session(world.outsider, theirs.id, status="draft")
    got = st.waiting_intakes(world.colleague)
    assert [(w.client_name, w.session_id == first.id) for w in got] == [
        ("Bert van Berg", True), ("Anna de Vries", False)]
    assert got[0].nrs_before == 5 and got[1].complaint == "nek"
    assert [w.client_name for w in st.waiting_intakes(world.outsider)] == ["Els Elders"]
    st.set_status(world.owner, first.id, "open")
    assert [w.client_name for w in st.waiting_intakes(world.owner)] == ["Anna de Vries"]
    with st.engine.connect() as c:
        last = c.execute(select(AccessLogRow.action, AccessLogRow.object, AccessLogRow.client_id)
                         .order_by(AccessLogRow.id.desc()).limit(1)).one()
    assert tuple(last) == ("search", "sessions:draft", None)


def test_a_birth_date_after_the_stores_today_is_refused_as_in_the_future(world: World) -> None:
    st = world.store
    st.clock = lambda: dt.datetime(2026, 12, 3, 10, 0)
    with pytest.raises(BadInput) as info:
        st.create_client(world.owner, first_name="Jan", last_name="Later",
                         date_of_birth="2026-12-04")
    assert (info.value.field, info.value.kind) == ("date_of_birth", "future")
    with pytest.raises(BadInput) as info:
        st.update_client(world.owner, world.client.id, date_of_birth="1899-12-31")
    assert info.value.kind == "date_range"
    assert st.create_client(world.owner, first_name="Jan", last_name="Vandaag",
                            date_of_birth="2026-12-03").date_of_birth == dt.date(2026, 12, 3)


def test_the_same_name_and_birth_date_is_refused_unless_the_therapist_continues_knowingly(
        world: World) -> None:
    st = world.store
    with pytest.raises(DuplicateClient) as info:
        st.create_client(world.owner, first_name="anna", infix="De", last_name="VRIES",
                         date_of_birth="1978-04-12", allow_duplicate=False)
    assert info.value.allowed == [str(world.client.id)]
    assert len(st.search_clients(world.owner, "vries")) == 1
    other = st.create_client(world.owner, first_name="Anna", infix="de", last_name="Vries",
                             date_of_birth="1980-01-01", allow_duplicate=False)
    with pytest.raises(DuplicateClient):
        st.update_client(world.owner, other.id, date_of_birth="1978-04-12",
                         allow_duplicate=False)
    assert st.get_client(world.owner, other.id).date_of_birth == dt.date(1980, 1, 1)
    st.update_client(world.owner, other.id, date_of_birth="1978-04-12", allow_duplicate=True)
    # a change of something else does not warn again about the name it already had
    st.update_client(world.owner, other.id, phone="06-12345678", allow_duplicate=False)
    assert len(st.search_clients(world.owner, "vries")) == 2


def test_the_same_name_in_another_practice_is_no_duplicate(world: World) -> None:
    world.store.create_client(world.outsider, first_name="Anna", infix="de", last_name="Vries",
                              date_of_birth="1978-04-12", allow_duplicate=False)


def test_the_client_list_shows_the_treatment_consent_in_force(world: World) -> None:
    st = world.store
    none = st.create_client(world.owner, first_name="Nog", last_name="Niets")
    gone = st.create_client(world.owner, first_name="Trok", last_name="Terug")
    st.record_consent(world.owner, gone.id, "treatment", True, "2026-01")
    st.record_consent(world.owner, gone.id, "treatment", False, "2026-01")
    got = {c.id: c.treatment_consent for c in st.search_clients(world.owner)}
    assert got == {world.client.id: True, none.id: None, gone.id: False}


def test_every_change_of_a_client_is_versioned_and_logged_with_the_fields(world: World) -> None:
    st = world.store
    c = st.update_client(world.owner, world.client.id, expected_version=world.client.version,
                         phone="06-11112222", gp_name="Dr. Berg")
    assert c.version == world.client.version + 1
    with st.engine.connect() as conn:
        detail = conn.execute(select(AccessLogRow.detail).where(
            AccessLogRow.action == "update", AccessLogRow.object == f"client:{c.id}")).scalar()
    assert detail == "fields=gp_name,phone"
