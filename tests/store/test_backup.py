"""Encrypted backup and restore: identical data after a round trip; wrong key and tampering
are refused with a clear message."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from storekit import HEADACHE, World

from knoop.errors import BackupError
from knoop.store.backup import backup, restore
from knoop.store.models import Base

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
    backup(w.store.engine, tmp_path / "b.knoop", PASS)
    assert b"Vries" not in (tmp_path / "b.knoop").read_bytes()
    w.store.create_client(w.owner, first_name="Later", last_name="Toegevoegd")
    w.store.erase_client(w.admin, w.client.id)
    restore(w.store.engine, tmp_path / "b.knoop", PASS)
    assert snapshot(w) == before
    assert w.store.verify_access_log().ok
    assert w.store.get_client(w.owner, w.client.id).last_name == "Vries"


def test_a_wrong_passphrase_is_refused_and_nothing_changes(filled: World,
                                                            tmp_path: Path) -> None:
    backup(filled.store.engine, tmp_path / "b.knoop", PASS)
    filled.store.create_client(filled.owner, first_name="Na", last_name="Backup")
    before = snapshot(filled)
    with pytest.raises(BackupError, match="wrong passphrase"):
        restore(filled.store.engine, tmp_path / "b.knoop", "verkeerde zin")
    assert snapshot(filled) == before


@pytest.mark.parametrize("where", ["body", "header", "cut", "appended"])
def test_a_tampered_backup_is_refused(filled: World, tmp_path: Path, where: str) -> None:
    f = tmp_path / "b.knoop"
    backup(filled.store.engine, f, PASS)
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
        restore(filled.store.engine, f, PASS)
    assert any(w in info.value.message for w in ("altered", "damaged", "cut off"))


def test_a_file_that_is_no_backup_is_refused(filled: World, tmp_path: Path) -> None:
    f = tmp_path / "x.knoop"
    f.write_bytes(b"hello world")
    with pytest.raises(BackupError, match="not a knoop backup"):
        restore(filled.store.engine, f, PASS)
