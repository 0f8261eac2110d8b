"""Migrations: an empty database reaches head on both backends, and repeating is harmless."""

from __future__ import annotations

from typing import Any

from sqlalchemy import inspect

from knoop.store import current_revision, head_revision, make_engine, upgrade


def test_an_empty_database_is_migrated_to_head(empty_url: str) -> None:
    eng = make_engine(empty_url)
    assert current_revision(eng) is None
    before, after = upgrade(eng)
    assert (before, after) == (None, head_revision())
    tables = set(inspect(eng).get_table_names())
    assert {"practices", "users", "clients", "consents", "sessions", "findings", "treatments",
            "notes", "handouts", "access_log", "access_log_head", "login_sessions",
            "login_attempts", "intake_tokens"} <= tables
    eng.dispose()


def test_upgrading_twice_changes_nothing(empty_url: str) -> None:
    eng = make_engine(empty_url)
    upgrade(eng)
    assert upgrade(eng) == (head_revision(), head_revision())
    eng.dispose()


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path) -> None:  # type: ignore[no-untyped-def]
    eng = make_engine(f"sqlite:///{tmp_path / 'k.sqlite3'}")
    with eng.connect() as c:
        assert c.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert c.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert c.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
    eng.dispose()


def _practice_user_client(c: Any, now: Any) -> None:
    """Practice 1, therapist 1 and client 1 (Anna Vries), written with SQL as an old schema
    holds them (no model of today)."""
    from sqlalchemy import text

    c.execute(text("INSERT INTO practices (id, name, city, created_at) "
                   "VALUES (1, 'P', 'Utrecht', :now)"), {"now": now})
    c.execute(text("INSERT INTO users (id, practice_id, email, name, role, password_hash, "
                   "active, created_at) VALUES (1, 1, 'a@b.nl', '', 'therapist', 'x', "
                   ":t, :now)"), {"now": now, "t": True})
    c.execute(text("INSERT INTO clients (id, practice_id, first_name, infix, last_name, "
                   "email, phone, gp_name, search_last, search_first, search_full, "
                   "created_at, last_change, retention_until) VALUES (1, 1, 'Anna', '', "
                   "'Vries', '', '', '', 'vries anna', 'anna vries', 'vries anna', :now, "
                   ":now, '2046-11-25')"), {"now": now})


def test_migrating_from_0001_keeps_the_dossier_and_the_intake_links(empty_url: str) -> None:
    """0002 rebuilds ``intake_tokens`` (an ``id`` key) and adds ``clients.request_id``: the
    clients, their consents and sessions stay, and a link made before still works once."""
    import datetime as dt

    from sqlalchemy import text

    from knoop.store import Store
    from knoop.store.authentication import token_hash

    eng = make_engine(empty_url)
    upgrade(eng, "0001")
    now = dt.datetime(2026, 11, 25, 9, 0)
    with eng.begin() as c:
        _practice_user_client(c, now)
        c.execute(text("INSERT INTO consents (client_id, kind, given, date, text_version, "
                       "taken_by, created_at) VALUES (1, 'treatment', :t, '2026-11-25', "
                       "'2026-01', 1, :now)"), {"now": now, "t": True})
        c.execute(text("INSERT INTO sessions (practice_id, client_id, started_at, status, "
                       "complaint, symptoms, causes, screening, intake, regions, created_at, "
                       "updated_at) VALUES (1, 1, :now, 'open', 'nek', '[]', '[]', '[]', "
                       "'{}', '[]', :now, :now)"), {"now": now})
        for tok, used in (("old-used-token", now), ("old-open-token", None)):
            c.execute(text("INSERT INTO intake_tokens (token_hash, practice_id, client_id, "
                           "created_by, created_at, expires_at, used_at) VALUES (:h, 1, 1, 1, "
                           ":now, :exp, :used)"),
                      {"h": token_hash(tok), "now": now, "exp": now + dt.timedelta(days=3),
                       "used": used})
    assert upgrade(eng) == ("0001", head_revision())
    with eng.connect() as c:
        assert [c.scalar(text(f"SELECT count(*) FROM {t}"))
                for t in ("clients", "consents", "sessions", "intake_tokens")] == [1, 1, 1, 2]
    st = Store(eng, clock=lambda: now + dt.timedelta(hours=1))
    me = st.actor_for(1)
    assert sorted(ln.state for ln in st.intake_links(me, 1)) == ["open", "used"]
    assert st.use_intake_token("old-open-token", {"complaint": "hoofdpijn"}).session_id
    assert st.create_intake_token(me, 1)  # new rows get the next id
    assert len({ln.id for ln in st.intake_links(me, 1)}) == 3
    eng.dispose()


def test_migration_0003_repairs_stored_text_that_broke_the_session_page(empty_url: str) -> None:
    """A lone surrogate in an acknowledged red-flag ID (stored before the input rules) made
    every read of the session fail; 0003 drops such IDs and replaces bad characters."""
    import datetime as dt
    import json

    from sqlalchemy import text

    from knoop.store import Store

    eng = make_engine(empty_url)
    upgrade(eng, "0002")
    now = dt.datetime(2026, 11, 25, 9, 0)
    intake = {"red_flags_ack": {"flags": ["fever", "\ud800", "x\u0000", "bad id"], "by": 1},
              "medication": "para\ud800cetamol"}
    with eng.begin() as c:
        _practice_user_client(c, now)
        c.execute(text("INSERT INTO sessions (practice_id, client_id, started_at, status, "
                       "complaint, symptoms, causes, screening, intake, regions, created_at, "
                       "updated_at) VALUES (1, 1, :now, 'open', 'nek', '[]', '[]', '[]', "
                       ":intake, '[]', :now, :now)"), {"now": now, "intake": json.dumps(intake)})
    assert upgrade(eng) == ("0002", head_revision())
    st = Store(eng, clock=lambda: now + dt.timedelta(hours=1))
    s = st.get_session(st.actor_for(1), 1)
    # 0004 then moves the (repaired) acknowledgement into flag_decisions
    assert [d.flag for d in s.flag_decisions] == ["fever"] and "red_flags_ack" not in s.intake
    assert s.flag_decisions[0].decision == "acknowledged" and s.flag_decisions[0].decided_by == 1
    assert s.intake["medication"] == "para\ufffdcetamol"
    json.dumps(s.intake, ensure_ascii=False).encode("utf-8")  # renders as UTF-8 again
    eng.dispose()


def test_0005_keeps_the_unkeyed_log_of_before_and_seals_new_rows_with_the_key(
        empty_url: str) -> None:
    """Rows written before 0005 keep their unkeyed sha256 and still verify; every row after it
    is keyed, and the log refuses UPDATE from then on."""
    import datetime as dt

    import pytest
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    from knoop.store import Store
    from knoop.store.audit import GENESIS, row_hash

    eng = make_engine(empty_url)
    upgrade(eng, "0003")
    prev = GENESIS
    with eng.begin() as c:
        for i in (1, 2):
            row = {"id": i, "at": dt.datetime(2026, 11, 1, 9, i), "practice_id": None,
                   "user_id": None, "user_email": "", "on_behalf_of": "system",
                   "client_id": None, "action": "practice_create", "object": f"practice:{i}",
                   "detail": "", "prev_hash": prev}
            row["hash"] = row_hash(row)
            c.execute(text("INSERT INTO access_log (id, at, practice_id, user_id, user_email, "
                           "on_behalf_of, client_id, action, object, detail, prev_hash, hash) "
                           "VALUES (:id, :at, :practice_id, :user_id, :user_email, "
                           ":on_behalf_of, :client_id, :action, :object, :detail, :prev_hash, "
                           ":hash)"), row)
            prev = row["hash"]
        c.execute(text("UPDATE access_log_head SET last_id = 2, last_hash = :h"), {"h": prev})
    upgrade(eng)
    st = Store(eng, audit_key=b"the instance key of this test, 32+ bytes")
    st.create_practice("Na de upgrade")
    report = st.verify_access_log()
    assert report.ok and report.rows == 3
    with pytest.raises(DBAPIError, match="append-only"), eng.begin() as c:
        c.execute(text("UPDATE access_log SET detail = 'x' WHERE id = 1"))
    eng.dispose()


def test_sqlite_overwrites_erased_text_and_keeps_its_files_private(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Issue 13: the database was created 0644 and erased text stayed in free pages."""
    import os

    from storekit import PASSWORD

    from knoop.store import Store

    os.umask(old := os.umask(0o022))  # what a default shell has
    path = tmp_path / "data" / "k.sqlite3"
    eng = make_engine(f"sqlite:///{path}")
    upgrade(eng)
    with eng.connect() as c:
        assert c.exec_driver_sql("PRAGMA secure_delete").scalar() == 1
    st = Store(eng)
    p = st.create_practice("P")
    admin = st.create_user(p.id, "a@b.nl", "admin", PASSWORD).actor
    c = st.create_client(admin, first_name="Geheimnaam", last_name="Wisbaar")
    st.erase_client(admin, c.id)
    eng.dispose()
    import sqlite3
    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    assert b"Geheimnaam" not in path.read_bytes()
    for f in path.parent.iterdir():
        if f.is_file():
            assert oct(f.stat().st_mode & 0o777) == "0o600", f
    assert oct(path.parent.stat().st_mode & 0o777) == "0o700"
    assert old is not None


def test_0009_keeps_the_consents_and_allows_the_aftercare_consent(empty_url: str) -> None:
    """0009 widens ``consents.kind`` (on SQLite by copying the table): the consents of before
    stay with their ids, ``aftercare`` is allowed, an unknown kind is still refused by the
    database; the diary tables are there, and going back to 0005 works."""
    import datetime as dt

    import pytest
    from sqlalchemy import text
    from sqlalchemy.exc import IntegrityError

    eng = make_engine(empty_url)
    upgrade(eng, "0005")
    now = dt.datetime(2026, 11, 25, 9, 0)
    with eng.begin() as c:
        _practice_user_client(c, now)
        for kind in ("treatment", "photos"):
            c.execute(text("INSERT INTO consents (client_id, kind, given, date, text_version, "
                           "taken_by, created_at) VALUES (1, :k, :t, '2026-11-25', '2026-01', "
                           "1, :now)"), {"now": now, "t": True, "k": kind})
    upgrade(eng, "0009")
    insert = ("INSERT INTO consents (client_id, kind, given, date, text_version, taken_by, "
              "created_at) VALUES (1, :k, :t, '2026-11-25', '2026-12', 1, :now)")
    with eng.begin() as c:
        assert c.execute(text("SELECT id, kind FROM consents ORDER BY id")).all() == [
            (1, "treatment"), (2, "photos")]
        c.execute(text(insert), {"k": "aftercare", "t": True, "now": now})
    with pytest.raises(IntegrityError), eng.begin() as c:
        c.execute(text(insert), {"k": "newsletter", "t": True, "now": now})
    assert {"aftercare_links", "diary_entries"} <= set(inspect(eng).get_table_names())
    assert "ix_consents_client_id" in {i["name"] for i in inspect(eng).get_indexes("consents")}
    from alembic import command

    from knoop.store.migrate import _config

    cfg = _config()
    with eng.begin() as c:
        cfg.attributes["connection"] = c
        command.downgrade(cfg, "0005")
    with eng.connect() as c:
        assert c.execute(text("SELECT kind FROM consents ORDER BY id")).scalars().all() == [
            "treatment", "photos"]
    assert "diary_entries" not in set(inspect(eng).get_table_names())
    eng.dispose()


def test_0010_moves_the_ranking_snapshots_apart_and_back_exactly(empty_url: str) -> None:
    """0010 copies every stored ranking snapshot into ``session_rankings`` (packed) and drops
    ``sessions.ranking``: the store reads each snapshot back exactly, a session without one
    has none, the sessions keep their ids; erasing a session removes its snapshot, and going
    back to 0009 puts the snapshots into the column again."""
    import datetime as dt
    import json

    from alembic import command
    from sqlalchemy import text

    from knoop.store import Store
    from knoop.store.migrate import _config

    eng = make_engine(empty_url)
    upgrade(eng, "0009")
    now = dt.datetime(2026, 11, 25, 9, 0)
    snapshot = {"kb_version": "2026.11", "red_flags": [{"id": "fever", "urgency": "urgent"}],
                "candidates": [{"muscle": "trapezius", "side": "right", "score": 0.1 + 0.2,
                                "reasons": ["pijn in de slaap — ‘typisch’ ☺"]}] * 3,
                "notes": [], "together": None}
    insert = ("INSERT INTO sessions (id, practice_id, client_id, started_at, status, "
              "complaint, symptoms, causes, screening, intake, regions, ranking, kb_version, "
              "created_at, updated_at) VALUES (:id, 1, 1, :now, 'open', 'nek', '[]', '[]', "
              "'[]', '{}', '[]', :r, '2026.11', :now, :now)")
    with eng.begin() as c:
        _practice_user_client(c, now)
        for sid, stored in ((1, json.dumps(snapshot)), (2, None), (3, "null"),
                            (7, json.dumps({**snapshot, "red_flags": []}))):
            c.execute(text(insert), {"id": sid, "now": now, "r": stored})
    assert upgrade(eng) == ("0009", head_revision())
    assert "ranking" not in {col["name"] for col in inspect(eng).get_columns("sessions")}
    with eng.connect() as c:
        assert c.execute(text("SELECT session_id FROM session_rankings ORDER BY 1")
                         ).scalars().all() == [1, 7]
        packed = c.execute(text("SELECT ranking FROM session_rankings WHERE session_id = 1")
                           ).scalar_one()
        assert len(packed) < len(json.dumps(snapshot)) / 2
    st = Store(eng, clock=lambda: now + dt.timedelta(hours=1))
    me = st.actor_for(1)
    assert [st.get_session(me, i).ranking for i in (1, 2, 3, 7)] == [
        snapshot, None, None, {**snapshot, "red_flags": []}]
    assert st.get_session(me, 1).open_flags == ["fever"]
    st.delete_session(me, 7)
    with eng.connect() as c:
        assert c.execute(text("SELECT count(*) FROM session_rankings")).scalar_one() == 1
    cfg = _config()
    with eng.begin() as c:
        cfg.attributes["connection"] = c
        command.downgrade(cfg, "0009")
    assert "session_rankings" not in set(inspect(eng).get_table_names())
    with eng.connect() as c:
        back = c.execute(text("SELECT id, ranking FROM sessions ORDER BY id")).all()
    assert [(i, json.loads(r) if isinstance(r, str) else r) for i, r in back] == [
        (1, snapshot), (2, None), (3, None)]
    eng.dispose()
