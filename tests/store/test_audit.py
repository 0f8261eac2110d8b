"""The access log: every read and write is recorded; any edit or deletion breaks the chain."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, select, text, update
from sqlalchemy.exc import DBAPIError
from storekit import HEADACHE, World

from knoop.store.models import AccessLogHeadRow, AccessLogRow


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


def _drop_guards(world: World) -> None:
    """What an attacker with the database owner's rights can do: drop the append-only
    triggers (verify then still finds the tampering through the keyed chain and the anchor)."""
    eng = world.store.engine
    with eng.begin() as c:
        if eng.dialect.name == "sqlite":
            c.execute(text("DROP TRIGGER access_log_no_update"))
            c.execute(text("DROP TRIGGER access_log_no_delete"))
        else:
            c.execute(text("DROP TRIGGER access_log_no_update ON access_log"))
            c.execute(text("DROP TRIGGER access_log_no_truncate ON access_log"))


def _break(world: World, *stmts) -> tuple[int | None, str]:  # type: ignore[no-untyped-def]
    _drop_guards(world)
    with world.store.engine.begin() as c:
        for stmt in stmts:
            c.execute(stmt)
    r = world.store.verify_access_log()
    assert not r.ok
    return r.bad_id, r.problem


def _last(world: World) -> int:
    with world.store.engine.connect() as c:
        return int(c.scalar(select(AccessLogRow.id).order_by(AccessLogRow.id.desc()).limit(1)))


def test_an_edited_row_is_found(world: World) -> None:
    bad, problem = _break(world, update(AccessLogRow).where(AccessLogRow.id == 3)
                          .values(user_email="someone@else.test"))
    assert bad == 3 and "edited" in problem


def test_a_deleted_row_in_the_middle_is_found(world: World) -> None:
    bad, problem = _break(world, delete(AccessLogRow).where(AccessLogRow.id == 4))
    assert bad == 4 and "missing" in problem


def test_a_deleted_last_row_is_found(world: World) -> None:
    last = _last(world)
    bad, problem = _break(world, delete(AccessLogRow).where(AccessLogRow.id == last))
    assert bad == last and "deleted" in problem


def test_deleting_the_last_rows_and_resetting_the_head_is_found_by_the_anchor(
        world: World) -> None:
    last = _last(world)
    with world.store.engine.connect() as c:
        keep = c.execute(select(AccessLogRow.id, AccessLogRow.hash)
                         .where(AccessLogRow.id == last - 3)).one()
    bad, problem = _break(world, delete(AccessLogRow).where(AccessLogRow.id > keep.id),
                          update(AccessLogHeadRow).values(last_id=keep.id, last_hash=keep.hash))
    assert bad == keep.id + 1 and "anchor" in problem


def test_a_rewritten_row_with_a_recomputed_hash_breaks_the_next_link(world: World) -> None:
    """The attacker does not have the key: a re-hash with any other key is found at once."""
    from knoop.store.audit import row_hash
    with world.store.engine.connect() as c:
        row = dict(c.execute(select(AccessLogRow).where(AccessLogRow.id == 2)).mappings().one())
    row["action"] = "read"
    bad, problem = _break(world, update(AccessLogRow).where(AccessLogRow.id == 2)
                          .values(action="read", hash=row_hash(row, b"a guessed key")))
    assert bad == 2 and "edited" in problem


def test_a_whole_log_rehashed_without_the_key_is_found(world: World) -> None:
    """Every row re-sealed the old unkeyed way (or with another key) and the head reset."""
    import hashlib

    from knoop.store.audit import GENESIS, canonical
    eng = world.store.engine
    with eng.connect() as c:
        rows = [dict(r) for r in c.execute(select(AccessLogRow).order_by(AccessLogRow.id))
                .mappings()]
    stmts = []
    prev = GENESIS
    for r in rows:
        r["prev_hash"] = prev
        if r["id"] == 2:
            r["detail"] = "nothing to see"
        r["hash"] = hashlib.sha256((prev + canonical(r)).encode()).hexdigest()
        stmts.append(update(AccessLogRow).where(AccessLogRow.id == r["id"])
                     .values(prev_hash=prev, hash=r["hash"], detail=r["detail"], key_id=None))
        prev = r["hash"]
    stmts.append(update(AccessLogHeadRow).values(last_hash=prev))
    bad, problem = _break(world, *stmts)
    assert "anchor" in problem or "another key" in problem


def test_the_log_refuses_update_delete_and_truncate(world: World) -> None:
    eng = world.store.engine
    attacks = [update(AccessLogRow).where(AccessLogRow.id == 1).values(detail="x"),
               delete(AccessLogRow).where(AccessLogRow.id == 1),
               delete(AccessLogRow)]
    if eng.dialect.name == "postgresql":
        attacks.append(text("TRUNCATE access_log"))
    for attack in attacks:
        with pytest.raises(DBAPIError, match="append-only"), eng.begin() as c:
            c.execute(attack)
    assert world.store.verify_access_log().ok


def test_verify_reports_missing_append_only_triggers(world: World) -> None:
    _drop_guards(world)
    r = world.store.verify_access_log()
    assert not r.ok and "trigger" in r.problem


def test_verify_with_another_key_fails(world: World) -> None:
    from knoop.store import Store
    other = Store(world.store.engine, audit_key=b"another key, e.g. of another instance")
    r = other.verify_access_log()
    assert not r.ok and "another key" in r.problem


def test_the_anchor_outside_the_database_follows_every_append(world: World) -> None:
    from knoop.store.audit import read_anchor
    st = world.store
    assert st.audit_anchor is not None
    st.get_client(world.owner, world.client.id)
    got = read_anchor(st.audit_anchor)
    assert got is not None and got[0] == _last(world)
    assert oct(st.audit_anchor.stat().st_mode & 0o777) == "0o600"


def test_a_database_copied_back_by_hand_is_found_by_the_anchor(world: World, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A restore that bypasses ``knoop restore`` (an old copy of the file, or pg_restore of an
    old dump) loses the rows after it: the anchor outside the database still names them."""
    eng = world.store.engine
    old_last = _last(world)
    world.store.get_client(world.owner, world.client.id)
    world.store.get_client(world.colleague, world.client.id)
    _drop_guards(world)  # the copy has no later rows: as if the tail had been removed
    with eng.begin() as c:
        old_hash = c.scalar(select(AccessLogRow.hash).where(AccessLogRow.id == old_last))
        c.execute(delete(AccessLogRow).where(AccessLogRow.id > old_last))
        c.execute(update(AccessLogHeadRow).values(last_id=old_last, last_hash=old_hash))
    r = world.store.verify_access_log()
    assert not r.ok and "anchor" in r.problem and r.bad_id == old_last + 1
