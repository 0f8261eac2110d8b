"""The records commands as a new user runs them (SQLite in a fresh data directory)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from knoop.cli import main


@pytest.fixture
def run(tmp_path: Path):  # type: ignore[no-untyped-def]
    env = {"KNOOP_DATA_DIR": str(tmp_path / "data"), "DATABASE_URL": ""}

    def invoke(*args: str, input: str | None = None, code: int = 0) -> str:
        res = CliRunner().invoke(main, list(args), input=input, env=env)
        assert res.exit_code == code, (res.output, res.exception)
        return res.output
    return invoke


def test_a_new_user_sets_up_a_practice_from_scratch(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert "upgraded from empty" in run("db", "upgrade")
    assert "up to date" in run("db", "upgrade")
    assert "practice 1 created" in run("practice", "create", "Praktijk Noord", "--city",
                                       "Groningen")
    out = run("user", "create", "--practice", "1", "--email", "Eva@Noord.nl", "--role", "admin",
              "--password-stdin", input="een goed wachtwoord\n")
    assert "eva@noord.nl (admin)" in out
    assert "eva@noord.nl" in run("user", "list")
    assert (tmp_path / "data" / "knoop.sqlite3").exists()


def test_commands_before_the_schema_exists_say_to_upgrade(run) -> None:  # type: ignore[no-untyped-def]
    assert "knoop db upgrade" in run("practice", "list", code=1)


def test_demo_load_is_idempotent_and_prints_the_logins_once(run) -> None:  # type: ignore[no-untyped-def]
    run("db", "upgrade")
    first = run("demo", "load")
    assert "therapeut@praktijkdeknoop.nl" in first and "5 clients" in first
    second = run("demo", "load")
    assert "already loaded" in second and "demo-" not in second
    assert "access log ok" in run("audit", "verify")
    out = run("audit", "client", "1")
    assert "therapeut@praktijkdeknoop.nl" in out and "create" in out


def test_audit_verify_exits_1_naming_an_edited_row(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    run("db", "upgrade")
    run("demo", "load")
    con = sqlite3.connect(tmp_path / "data" / "knoop.sqlite3")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        con.execute("UPDATE access_log SET user_email = 'nobody' WHERE id = 12")
    con.execute("DROP TRIGGER access_log_no_update")  # an attacker with the file
    con.execute("UPDATE access_log SET user_email = 'nobody' WHERE id = 12")
    con.commit()
    con.close()
    res = CliRunner().invoke(main, ["audit", "verify"],
                             env={"KNOOP_DATA_DIR": str(tmp_path / "data"), "DATABASE_URL": ""})
    assert res.exit_code == 1
    assert "row 12" in res.output


def test_audit_verify_finds_a_cut_off_log_with_a_reset_head_by_the_anchor(
        run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    run("db", "upgrade")
    run("demo", "load")
    con = sqlite3.connect(tmp_path / "data" / "knoop.sqlite3")
    con.execute("DROP TRIGGER access_log_no_delete")
    con.execute("DELETE FROM access_log WHERE id > 10")
    con.execute("UPDATE access_log_head SET last_id = 10, last_hash = "
                "(SELECT hash FROM access_log WHERE id = 10)")
    con.commit()
    con.close()
    res = CliRunner().invoke(main, ["audit", "verify"],
                             env={"KNOOP_DATA_DIR": str(tmp_path / "data"), "DATABASE_URL": ""})
    assert res.exit_code == 1 and "anchor" in res.output


def test_the_audit_key_stays_outside_the_database_and_the_backup(
        run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    run("db", "upgrade")
    run("demo", "load")
    key = (tmp_path / "data" / "audit.key").read_bytes().strip()
    assert key not in (tmp_path / "data" / "knoop.sqlite3").read_bytes()
    assert oct((tmp_path / "data" / "audit.key").stat().st_mode & 0o777) == "0o600"


def test_retention_report_and_erasure(run) -> None:  # type: ignore[no-untyped-def]
    run("db", "upgrade")
    run("demo", "load")
    assert "dossiers: 5" in run("retention", "report")
    run("retention", "erase", "2", "--admin", "admin@praktijkdeknoop.nl", "--yes")
    assert "dossiers: 4" in run("retention", "report")
    assert "erase" in run("audit", "client", "2")
    assert "not found" in run("retention", "erase", "2", "--admin", "admin@praktijkdeknoop.nl",
                              "--yes", code=2)


def test_backup_and_restore_with_a_passphrase_file(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    run("db", "upgrade")
    run("demo", "load")
    key = tmp_path / "key.txt"
    key.write_text("correct horse battery staple\n")
    bad = tmp_path / "bad.txt"
    bad.write_text("something else entirely\n")
    out = run("backup", str(tmp_path / "b.knoop"), "--passphrase-file", str(key))
    assert "backup written" in out
    run("retention", "erase", "1", "--admin", "admin@praktijkdeknoop.nl", "--yes",
        "--note", "belde zelf")
    assert "wrong passphrase" in run("restore", str(tmp_path / "b.knoop"), "--passphrase-file",
                                     str(bad), "--yes", code=1)
    assert "--archive-log" in run("restore", str(tmp_path / "b.knoop"), "--passphrase-file",
                                  str(key), "--yes", code=1)
    assert "restored" in run("restore", str(tmp_path / "b.knoop"), "--passphrase-file",
                             str(key), "--yes", "--archive-log", str(tmp_path / "log.jsonl"))
    assert "dossiers: 4" in run("retention", "report")  # the erasure was re-applied
    assert "access log ok" in run("audit", "verify")
    assert "log archive" in run("audit", "verify", "--archive", str(tmp_path / "log.jsonl"))


def test_demo_seed_shows_progress_and_adds_clients(run) -> None:  # type: ignore[no-untyped-def]
    run("db", "upgrade")
    assert "200 clients, 600 sessions" in run("demo", "seed", "--clients", "200",
                                              "--sessions-per-client", "3")
    assert "access log ok" in run("audit", "verify")  # the seed entry carries the instance key


def test_an_invalid_database_url_names_the_variable_and_the_schemes(tmp_path: Path) -> None:
    res = CliRunner().invoke(main, ["db", "status"], env={"DATABASE_URL": "mysql://x/y"})
    assert res.exit_code == 2
    assert "DATABASE_URL" in res.output and "postgresql+psycopg://" in res.output
