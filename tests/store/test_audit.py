"""The access log: every read and write is recorded; any edit or deletion breaks the chain."""

from __future__ import annotations

from sqlalchemy import delete, select, update
from storekit import HEADACHE, World

from knoop.store.models import AccessLogRow


def test_every_read_and_write_of_client_data_is_logged_with_who_and_what(world: World) -> None:
    st = world.store
    s = st.create_session(world.owner, world.client.id, painmap=HEADACHE)
    st.get_session(world.colleague, s.id)
    st.get_client(world.colleague, world.client.id)
    st.client_history(world.owner, world.client.id)
    log = st.access_for_client(world.client.id)
    got = [(e.user_email, e.action, e.object) for e in log]
    assert ("owner@knoop.test", "create", f"client:{world.client.id}") in got
    assert ("owner@knoop.test", "create", f"session:{s.id}") in got
    assert ("colleague@knoop.test", "read", f"session:{s.id}") in got
    assert ("colleague@knoop.test", "read", f"client:{world.client.id}") in got
    assert all(e.on_behalf_of == f"practice {world.practice_a}" for e in log)
    assert all("temple" not in e.detail for e in log)


def test_the_chain_verifies_when_untouched(world: World) -> None:
    report = world.store.verify_access_log()
    assert report.ok and report.rows >= 7 and len(report.head_hash) == 64


def _break(world: World, stmt) -> tuple[int | None, str]:  # type: ignore[no-untyped-def]
    with world.store.engine.begin() as c:
        c.execute(stmt)
    r = world.store.verify_access_log()
    assert not r.ok
    return r.bad_id, r.problem


def test_an_edited_row_is_found(world: World) -> None:
    bad, problem = _break(world, update(AccessLogRow).where(AccessLogRow.id == 3)
                          .values(user_email="someone@else.test"))
    assert bad == 3 and "edited" in problem


def test_a_deleted_row_in_the_middle_is_found(world: World) -> None:
    bad, problem = _break(world, delete(AccessLogRow).where(AccessLogRow.id == 4))
    assert bad == 4 and "missing" in problem


def test_a_deleted_last_row_is_found(world: World) -> None:
    with world.store.engine.connect() as c:
        last = c.scalar(select(AccessLogRow.id).order_by(AccessLogRow.id.desc()).limit(1))
    bad, problem = _break(world, delete(AccessLogRow).where(AccessLogRow.id == last))
    assert bad == last and "deleted" in problem


def test_a_rewritten_row_with_a_recomputed_hash_breaks_the_next_link(world: World) -> None:
    from knoop.store.audit import row_hash
    with world.store.engine.connect() as c:
        row = dict(c.execute(select(AccessLogRow).where(AccessLogRow.id == 2)).mappings().one())
    row["action"] = "read"
    new_hash = row_hash(row)
    bad, problem = _break(world, update(AccessLogRow).where(AccessLogRow.id == 2)
                          .values(action="read", hash=new_hash))
    assert bad == 3 and "previous hash" in problem
