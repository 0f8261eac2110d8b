"""Every store function that takes a client (or a session): the owner therapist and a colleague
in the same practice may; an outsider from another practice gets the same NotFound as for a
client that does not exist."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from storekit import HEADACHE, World

from knoop.errors import NotFound
from knoop.store import Actor, Store


def _session(w: World) -> int:
    return w.store.create_session(w.owner, w.client.id, painmap=HEADACHE, nrs_before=6).id


CLIENT_CALLS: dict[str, Callable[[Store, Actor, int], Any]] = {
    "get_client": lambda s, a, c: s.get_client(a, c),
    "update_client": lambda s, a, c: s.update_client(a, c, phone="06-11112222"),
    "client_history": lambda s, a, c: s.client_history(a, c),
    "record_consent": lambda s, a, c: s.record_consent(a, c, "treatment", True, "2026-01"),
    "consents": lambda s, a, c: s.consents(a, c),
    "create_session": lambda s, a, c: s.create_session(a, c, complaint="nekpijn"),
    "client_dossier": lambda s, a, c: s.client_dossier(a, c),
    "create_intake_token": lambda s, a, c: s.create_intake_token(a, c, dt.timedelta(hours=1)),
    "intake_links": lambda s, a, c: s.intake_links(a, c),
    "client_overview": lambda s, a, c: s.client_overview(a, c),
    "session_history": lambda s, a, c: s.session_history(a, c),
}

SESSION_CALLS: dict[str, Callable[[Store, Actor, int], Any]] = {
    "get_session": lambda s, a, sid: s.get_session(a, sid),
    "session_with_client": lambda s, a, sid: s.session_with_client(a, sid),
    "update_session": lambda s, a, sid: s.update_session(a, sid, nrs_after=3),
    "add_finding": lambda s, a, sid: s.add_finding(a, sid, muscle="trapezius", side="right",
                                                   result="active", pain_recognised=True),
    "add_treatment": lambda s, a, sid: s.add_treatment(a, sid, muscle="trapezius",
                                                       side="right",
                                                       technique="ischemic_compression",
                                                       duration_min=5),
    "set_note": lambda s, a, sid: s.set_note(a, sid, subjective="beter"),
    "issue_handout": lambda s, a, sid: s.issue_handout(a, sid),
    "set_status": lambda s, a, sid: s.set_status(a, sid, "closed"),
    "delete_session": lambda s, a, sid: s.delete_session(a, sid),
}


def _treatment(w: World) -> int:
    return w.store.add_treatment(w.owner, _session(w), muscle="trapezius", side="right",
                                 technique="massage").id


def _intake_link(w: World) -> int:
    w.store.create_intake_token(w.owner, w.client.id, dt.timedelta(hours=1))
    return w.store.intake_links(w.owner, w.client.id)[0].id


#: Calls on a record inside a client's dossier named by its own id: (make one, use it, noun).
OBJECT_CALLS: dict[str, tuple[Callable[[World], int], Callable[[Store, Actor, int], Any], str]] = {
    "remove_treatment": (_treatment, lambda s, a, i: s.remove_treatment(a, i), "treatment"),
    "remove_finding": (lambda w: w.store.add_finding(w.owner, _session(w), muscle="trapezius",
                                                     side="left", result="latent").id,
                       lambda s, a, i: s.remove_finding(a, i), "finding"),
    "revoke_intake_token": (_intake_link, lambda s, a, i: s.revoke_intake_token(a, i),
                            "intake link"),
}


@pytest.mark.parametrize("name", sorted(OBJECT_CALLS))
def test_owner_and_colleague_may_change_a_record_of_the_dossier_but_an_outsider_cannot_see_it(
        world: World, name: str) -> None:
    make, call, noun = OBJECT_CALLS[name]
    call(world.store, world.owner, make(world))
    call(world.store, world.colleague, make(world))
    oid = make(world)
    with pytest.raises(NotFound) as other:
        call(world.store, world.outsider, oid)
    with pytest.raises(NotFound) as missing:
        call(world.store, world.outsider, 999_999)
    assert other.value.message == f"{noun} {oid} not found"
    assert missing.value.message == f"{noun} 999999 not found"
    call(world.store, world.owner, oid)  # untouched by the outsider's try


def test_waiting_intakes_only_show_drafts_of_the_own_practice(world: World) -> None:
    sid = world.store.create_session(world.owner, world.client.id, status="draft").id
    assert [w.session_id for w in world.store.waiting_intakes(world.owner)] == [sid]
    assert [w.session_id for w in world.store.waiting_intakes(world.colleague)] == [sid]
    assert world.store.waiting_intakes(world.outsider) == []


def test_a_new_client_request_id_of_another_practice_is_not_returned(world: World) -> None:
    mine = world.store.create_client(world.owner, first_name="Jan", last_name="Dijk",
                                     request_id="same-uuid")
    theirs = world.store.create_client(world.outsider, first_name="Els", last_name="Elders",
                                       request_id="same-uuid")
    assert theirs.id != mine.id and theirs.last_name == "Elders"


@pytest.mark.parametrize("name", sorted(CLIENT_CALLS))
def test_owner_and_colleague_may_use_a_client_but_an_outsider_cannot_see_it(
        world: World, name: str) -> None:
    call = CLIENT_CALLS[name]
    call(world.store, world.owner, world.client.id)
    call(world.store, world.colleague, world.client.id)
    with pytest.raises(NotFound) as other:
        call(world.store, world.outsider, world.client.id)
    with pytest.raises(NotFound) as missing:
        call(world.store, world.outsider, 999_999)
    assert other.value.message.replace(str(world.client.id), "N") == \
        missing.value.message.replace("999999", "N")


@pytest.mark.parametrize("name", sorted(SESSION_CALLS))
def test_owner_and_colleague_may_use_a_session_but_an_outsider_cannot_see_it(
        world: World, name: str) -> None:
    call = SESSION_CALLS[name]
    call(world.store, world.owner, _session(world))
    call(world.store, world.colleague, _session(world))
    sid = _session(world)
    with pytest.raises(NotFound) as other:
        call(world.store, world.outsider, sid)
    assert other.value.message == f"session {sid} not found"


def test_an_outsider_cannot_erase_or_read_the_access_log_of_another_practices_client(
        world: World, store: Store) -> None:
    boss = store.create_user(world.practice_b, "boss@elders.test", "admin",
                             "correct horse battery").actor
    with pytest.raises(NotFound):
        store.erase_client(boss, world.client.id)
    assert store.access_for_client(world.client.id, actor=boss) == []
    assert store.get_client(world.owner, world.client.id).last_name == "Vries"


def test_search_only_finds_clients_of_the_own_practice(world: World) -> None:
    assert [c.id for c in world.store.search_clients(world.colleague, "vries")] == \
        [world.client.id]
    assert world.store.search_clients(world.outsider, "vries") == []
