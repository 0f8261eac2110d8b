"""Erasure reasons as a code (the free text stays out of the permanent log) and list views that
log every client they show."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from storekit import World

from knoop.errors import BadInput, Forbidden
from knoop.store.models import AccessLogRow, ErasureRow


def _details(world: World) -> list[str]:
    with world.store.engine.connect() as c:
        return list(c.scalars(select(AccessLogRow.detail)))


def test_the_erasure_log_entry_holds_the_code_and_the_register_the_free_text(
        world: World) -> None:
    world.store.erase_client(world.admin, world.client.id, reason="Anna de Vries, hernia L5")
    assert not any("hernia" in d or "Anna" in d for d in _details(world))
    assert any(d.startswith("reason=other") for d in _details(world))
    with world.store.engine.connect() as c:
        reg = c.execute(select(ErasureRow.client_id, ErasureRow.code, ErasureRow.note)).all()
    assert [tuple(r) for r in reg] == [(world.client.id, "other", "Anna de Vries, hernia L5")]


def test_a_known_code_and_a_note_are_kept_apart(world: World) -> None:
    world.store.erase_client(world.admin, world.client.id, reason="on_request",
                             note="telefonisch verzoek, diagnose migraine")
    assert any(d.startswith("reason=on_request") for d in _details(world))
    assert not any("migraine" in d for d in _details(world))


def test_a_refused_erasure_leaves_no_register_row(world: World) -> None:
    with pytest.raises(Forbidden):
        world.store.erase_client(world.owner, world.client.id, reason="on_request")
    with pytest.raises(BadInput):
        world.store.erase_client(world.admin, world.client.id, reason="")
    with world.store.engine.connect() as c:
        assert c.scalars(select(ErasureRow)).all() == []


def test_the_client_list_logs_every_client_it_shows(world: World) -> None:
    other = world.store.create_client(world.owner, first_name="Bram", last_name="Bakker")
    shown = world.store.search_clients(world.colleague, "", 50)
    assert {c.id for c in shown} == {world.client.id, other.id}
    for c in shown:
        got = [(e.user_email, e.action) for e in world.store.access_for_client(c.id)]
        assert ("colleague@knoop.test", "list") in got
