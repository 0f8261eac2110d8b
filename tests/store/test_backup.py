"""Encrypted backup and restore: identical data after a round trip; wrong key and tampering
are refused with a clear message."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import insert, select
from storekit import AUDIT_KEY, HEADACHE, World

from knoop.errors import BackupError, NotFound
from knoop.store.backup import backup, restore
from knoop.store.models import AccessLogRow, Base, ErasureRow

PASS = "een lange wachtwoordzin"
SKIP = {"access_log", "access_log_head"}  # backup/restore append their own entries


def snapshot(world: World) -> dict[str, list]:
    out = {}
    with world.store.engine.connect() as c:
        for t in Base.metadata.sorted_tables:
            if t.name in SKIP:
                continue
            out[t.name] = sorted(tuple(r) for r in c.execute(select(t)).all())
    return out


@pytest.fixture
def filled(world: World) -> World:
    st = world.store
    s = st.create_session(world.owner, world.client.id, painmap=HEADACHE, nrs_before=6)
    st.add_finding(world.owner, s.id, muscle="trapezius", side="right", result="active",
                   pain_recognised=True)
    st.add_treatment(world.owner, s.id, muscle="trapezius", side="right", technique="massage",
                     duration_min=10)
    st.set_note(world.owner, s.id, subjective="Hoofdpijn.", plan="Oefenen.")
    st.record_consent(world.owner, world.client.id, "treatment", True, "2026-01")
    return world


def test_a_restored_backup_holds_exactly_the_same_data(filled: World, tmp_path: Path) -> None:
    w = filled
    before = snapshot(w)
    backup(w.store, tmp_path / "b.knoop", PASS)
    assert b"Vries" not in (tmp_path / "b.knoop").read_bytes()
    w.store.create_client(w.owner, first_name="Later", last_name="Toegevoegd")
    restore(w.store, tmp_path / "b.knoop", PASS, archive_log=tmp_path / "log.jsonl")
    assert snapshot(w) == before
    assert w.store.verify_access_log().ok
    assert w.store.get_client(w.owner, w.client.id).last_name == "Vries"


def test_a_wrong_passphrase_is_refused_and_nothing_changes(filled: World,
                                                            tmp_path: Path) -> None:
    backup(filled.store, tmp_path / "b.knoop", PASS)
    filled.store.create_client(filled.owner, first_name="Na", last_name="Backup")
    before = snapshot(filled)
    with pytest.raises(BackupError, match="wrong passphrase"):
        restore(filled.store, tmp_path / "b.knoop", "verkeerde zin")
    assert snapshot(filled) == before


@pytest.mark.parametrize("where", ["body", "header", "cut", "appended"])
def test_a_tampered_backup_is_refused(filled: World, tmp_path: Path, where: str) -> None:
    f = tmp_path / "b.knoop"
    backup(filled.store, f, PASS)
    data = bytearray(f.read_bytes())
    if where == "body":
        data[-40] ^= 0x01
    elif where == "header":
        i = data.index(b'"created"') + 14
        data[i] = ord("1") if data[i] != ord("1") else ord("2")
    elif where == "cut":
        data = data[:-100]
    else:
        data += data[-200:]
    f.write_bytes(bytes(data))
    with pytest.raises(BackupError) as info:
        restore(filled.store, f, PASS)
    assert any(w in info.value.message for w in ("altered", "damaged", "cut off"))


def test_a_file_that_is_no_backup_is_refused(filled: World, tmp_path: Path) -> None:
    f = tmp_path / "x.knoop"
    f.write_bytes(b"hello world")
    with pytest.raises(BackupError, match="not a knoop backup"):
        restore(filled.store, f, PASS)


# ---- issue 13: the log survives a restore, erasures are re-applied, no plaintext on the target
def _log(world: World) -> list[tuple[int, str]]:
    with world.store.engine.connect() as c:
        return [tuple(r) for r in c.execute(select(AccessLogRow.id, AccessLogRow.hash)
                                            .order_by(AccessLogRow.id))]


def test_a_restore_that_would_lose_log_rows_is_refused_and_nothing_changes(
        filled: World, tmp_path: Path) -> None:
    backup(filled.store, tmp_path / "b.knoop", PASS)
    filled.store.get_client(filled.owner, filled.client.id)  # a read after the backup
    before, log = snapshot(filled), _log(filled)
    with pytest.raises(BackupError, match="archive-log"):
        restore(filled.store, tmp_path / "b.knoop", PASS)
    assert snapshot(filled) == before and _log(filled) == log


def test_a_restore_keeps_every_log_row_with_its_id_and_hash_and_archives_them(
        filled: World, tmp_path: Path) -> None:
    from knoop.store.audit import verify_archive

    backup(filled.store, tmp_path / "b.knoop", PASS)
    for _ in range(3):
        filled.store.get_client(filled.colleague, filled.client.id)
    log = _log(filled)
    restore(filled.store, tmp_path / "b.knoop", PASS, archive_log=tmp_path / "log.jsonl")
    after = _log(filled)
    assert after[:len(log)] == log and len(after) == len(log) + 1  # + the restore entry
    assert filled.store.verify_access_log().ok
    report = verify_archive(tmp_path / "log.jsonl", AUDIT_KEY)
    assert report.ok and report.rows == 3
    assert oct((tmp_path / "log.jsonl").stat().st_mode & 0o777) == "0o600"


def test_an_edited_archive_is_found(filled: World, tmp_path: Path) -> None:
    from knoop.store.audit import verify_archive

    backup(filled.store, tmp_path / "b.knoop", PASS)
    filled.store.get_client(filled.colleague, filled.client.id)
    restore(filled.store, tmp_path / "b.knoop", PASS, archive_log=tmp_path / "log.jsonl")
    f = tmp_path / "log.jsonl"
    f.write_text(f.read_text().replace("colleague@knoop.test", "owner@knoop.test"))
    assert not verify_archive(f, AUDIT_KEY).ok


def test_a_client_erased_after_the_backup_stays_erased_after_a_restore(
        filled: World, tmp_path: Path) -> None:
    w = filled
    backup(w.store, tmp_path / "b.knoop", PASS)
    w.store.erase_client(w.admin, w.client.id, reason="on_request",
                         note="Anna de Vries belde: hernia, wil alles weg")
    restore(w.store, tmp_path / "b.knoop", PASS, archive_log=tmp_path / "log.jsonl")
    with pytest.raises(NotFound):
        w.store.get_client(w.owner, w.client.id)
    with w.store.engine.connect() as c:
        details = c.scalars(select(AccessLogRow.detail)).all()
        notes = c.scalars(select(ErasureRow.note)).all()
    assert notes == ["Anna de Vries belde: hernia, wil alles weg"]
    assert not any("hernia" in d for d in details)
    assert any("erasures_reapplied=1" in d for d in details)
    assert w.store.verify_access_log().ok


def test_the_backup_target_never_holds_plaintext(filled: World, tmp_path: Path) -> None:
    """A second thread reads every file in the target folder while the backup runs."""
    import datetime as dt
    import threading

    from knoop.store.models import ClientRow

    w = filled
    now = dt.datetime(2026, 12, 1, 9, 0)
    with w.store.engine.begin() as c:  # ~3 MB of names: several chunks
        c.execute(insert(ClientRow), [
            {"practice_id": w.practice_a, "first_name": "Anna" * 20, "last_name": f"Vries{i}",
             "infix": "de", "email": "", "phone": "", "gp_name": "",
             "search_last": f"vries{i}", "search_first": "anna", "search_full": f"vries{i}",
             "created_at": now, "last_change": now, "retention_until": dt.date(2046, 1, 1)}
            for i in range(12_000)])
    target = tmp_path / "usb"
    target.mkdir()
    seen: set[str] = set()
    leaks: list[str] = []
    done = threading.Event()

    def scan() -> None:
        while True:
            last = done.is_set()
            for f in target.rglob("*"):
                seen.add(f.name)
                try:
                    data = f.read_bytes() if f.is_file() else b""
                except OSError:
                    continue
                if b"SQLite format 3" in data or b"PGDMP" in data or b"Vries" in data:
                    leaks.append(f.name)
            if last:
                return

    t = threading.Thread(target=scan)
    t.start()
    try:
        backup(w.store, target / "b.knoop", PASS)
    finally:
        done.set()
        t.join()
    assert not leaks and seen <= {"b.knoop", "b.knoop.part"}
    assert oct((target / "b.knoop").stat().st_mode & 0o777) == "0o600"


def _rewrite_header(f: Path, change) -> None:  # type: ignore[no-untyped-def]
    import json
    import struct
    data = f.read_bytes()
    (n,) = struct.unpack(">I", data[8:12])
    header = json.loads(data[12:12 + n])
    change(header)
    raw = json.dumps(header, sort_keys=True).encode()
    f.write_bytes(data[:8] + struct.pack(">I", len(raw)) + raw + data[12 + n:])


@pytest.mark.parametrize("n", [1 << 21, 1 << 40, "abc", None, 3.5, True])
def test_key_derivation_parameters_out_of_bounds_are_refused_before_use(
        filled: World, tmp_path: Path, n: object) -> None:
    f = tmp_path / "b.knoop"
    backup(filled.store, f, PASS)
    _rewrite_header(f, lambda h: h["kdf"].__setitem__("n", n))
    with pytest.raises(BackupError, match="out of bounds"):
        restore(filled.store, f, PASS)


def test_an_altered_header_is_refused_by_its_mac(filled: World, tmp_path: Path) -> None:
    f = tmp_path / "b.knoop"
    backup(filled.store, f, PASS)
    _rewrite_header(f, lambda h: h.__setitem__("schema", "0001"))
    with pytest.raises(BackupError, match="header was altered"):
        restore(filled.store, f, PASS)
