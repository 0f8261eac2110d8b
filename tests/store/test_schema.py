"""Migrations: an empty database reaches head on both backends, and repeating is harmless."""

from __future__ import annotations

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
