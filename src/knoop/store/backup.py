"""Encrypted backups: ``knoop backup FILE`` and ``knoop restore FILE``.

The database is copied consistently while the app keeps running (SQLite's online backup API;
``pg_dump --format=custom`` for PostgreSQL), then encrypted with a passphrase:

* key: scrypt (n=2^15, r=8, p=1, 16-byte random salt) -> 64 bytes: 32 for AES-256-GCM, 32 for
  a key check (HMAC-SHA256), so a wrong passphrase is told apart from a damaged file;
* file: ``KNOOPBAK`` + 4-byte header length + JSON header (format version, backend, schema
  revision, time, KDF parameters, salt, nonce prefix, key check) + 1 MiB chunks, each
  AES-GCM sealed with the header as associated data and a nonce of (prefix, chunk counter, last
  flag): a changed header, a changed, reordered, dropped or appended chunk, or a cut-off file is
  refused.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import shutil
import sqlite3
import struct
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from sqlalchemy import Engine

from knoop.errors import BackupError
from knoop.store import audit
from knoop.store.base import utcnow
from knoop.store.engine import libpq_url
from knoop.store.migrate import current_revision

MAGIC = b"KNOOPBAK"
FORMAT = 1
CHUNK = 1 << 20
KDF = {"name": "scrypt", "n": 1 << 15, "r": 8, "p": 1}
MIN_PASSPHRASE = 8


def _b64(b: bytes) -> str:
    return base64.b64encode(b).decode("ascii")


def _keys(passphrase: str, salt: bytes, kdf: dict) -> tuple[bytes, bytes]:
    if kdf.get("name") != "scrypt":
        raise BackupError(f"unknown key derivation {kdf.get('name')!r} in the backup header")
    raw = Scrypt(salt=salt, length=64, n=int(kdf["n"]), r=int(kdf["r"]),
                 p=int(kdf["p"])).derive(passphrase.encode("utf-8"))
    return raw[:32], raw[32:]


def _check(check_key: bytes) -> bytes:
    return hmac.new(check_key, b"knoop-backup-key-check-v1", hashlib.sha256).digest()


def _nonce(prefix: bytes, i: int, last: bool) -> bytes:
    return prefix + struct.pack(">I", i) + (b"\x01" if last else b"\x00")


def encrypt_file(src: Path, dst: Path, passphrase: str, meta: dict) -> None:
    if len(passphrase) < MIN_PASSPHRASE:
        raise BackupError(f"the passphrase needs at least {MIN_PASSPHRASE} characters")
    salt, prefix = os.urandom(16), os.urandom(7)
    enc_key, check_key = _keys(passphrase, salt, KDF)
    header = json.dumps({"format": FORMAT, **meta, "kdf": {**KDF, "salt": _b64(salt)},
                         "cipher": "AES-256-GCM", "chunk": CHUNK, "nonce_prefix": _b64(prefix),
                         "key_check": _b64(_check(check_key))}, sort_keys=True).encode()
    aead = AESGCM(enc_key)
    tmp = dst.with_name(dst.name + ".part")
    size = src.stat().st_size
    with open(src, "rb") as fin, open(tmp, "wb") as fout:
        fout.write(MAGIC + struct.pack(">I", len(header)) + header)
        i, done = 0, 0
        while True:
            block = fin.read(CHUNK)
            done += len(block)
            last = done >= size
            ct = aead.encrypt(_nonce(prefix, i, last), block, header)
            fout.write(struct.pack(">I", len(ct)) + ct)
            i += 1
            if last:
                break
        fout.flush()
        os.fsync(fout.fileno())
    os.replace(tmp, dst)


def read_header(f: BinaryIO) -> tuple[dict, bytes]:
    if f.read(8) != MAGIC:
        raise BackupError("this is not a knoop backup file (no KNOOPBAK header)")
    raw_len = f.read(4)
    if len(raw_len) != 4:
        raise BackupError("the backup file is cut off (header incomplete)")
    (n,) = struct.unpack(">I", raw_len)
    if n > 65536:
        raise BackupError("the backup header is damaged")
    raw = f.read(n)
    try:
        header = json.loads(raw)
    except ValueError:
        raise BackupError("the backup header is damaged") from None
    if header.get("format") != FORMAT:
        raise BackupError(f"backup format {header.get('format')!r} is not supported "
                          f"(this knoop reads format {FORMAT})")
    return header, raw


def _chunks(f: BinaryIO) -> Iterator[bytes]:
    while True:
        raw = f.read(4)
        if not raw:
            return
        if len(raw) != 4:
            raise BackupError("the backup file is damaged or was altered (cut off)")
        (n,) = struct.unpack(">I", raw)
        ct = f.read(n)
        if len(ct) != n or n > CHUNK + 16:
            raise BackupError("the backup file is damaged or was altered (cut off)")
        yield ct


def decrypt_file(src: Path, dst: Path, passphrase: str) -> dict:
    """Decrypt ``src`` into ``dst``; refuses a wrong passphrase or any tampering."""
    with open(src, "rb") as f:
        header, raw = read_header(f)
        try:
            salt = base64.b64decode(header["kdf"]["salt"])
            prefix = base64.b64decode(header["nonce_prefix"])
            check = base64.b64decode(header["key_check"])
        except (KeyError, ValueError, TypeError):
            raise BackupError("the backup header is damaged") from None
        enc_key, check_key = _keys(passphrase, salt, header["kdf"])
        if not hmac.compare_digest(_check(check_key), check):
            raise BackupError("wrong passphrase for this backup (onjuist wachtwoord)")
        aead = AESGCM(enc_key)
        finished = False
        with open(dst, "wb") as out:
            for i, ct in enumerate(_chunks(f)):
                if finished:
                    raise BackupError("the backup file was altered (data after the end)")
                try:
                    out.write(aead.decrypt(_nonce(prefix, i, False), ct, raw))
                except InvalidTag:
                    try:
                        out.write(aead.decrypt(_nonce(prefix, i, True), ct, raw))
                        finished = True
                    except InvalidTag:
                        raise BackupError(f"the backup file was altered or damaged (block {i} "
                                          "does not authenticate); it cannot be restored"
                                          ) from None
        if not finished:
            raise BackupError("the backup file is cut off (the last block is missing)")
    return header


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    for base in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (base / name).exists():
            return str(base / name)
    raise BackupError(f"{name} not found; install the PostgreSQL client tools")


def _sqlite_file(engine: Engine) -> str:
    db = engine.url.database
    if not db or db == ":memory:":
        raise BackupError("an in-memory database cannot be backed up")
    return db


def backup(engine: Engine, dest: Path, passphrase: str) -> dict:
    """Write an encrypted backup of the whole database to ``dest``; returns the header."""
    dest = Path(dest)
    if len(passphrase) < MIN_PASSPHRASE:
        raise BackupError(f"the passphrase needs at least {MIN_PASSPHRASE} characters")
    from sqlalchemy.orm import Session as OrmSession
    with OrmSession(engine) as s, s.begin():
        audit.append(s, at=utcnow(), actor=None, action="backup", obj="database",
                     detail=f"file={dest.name}")
    meta = {"backend": engine.dialect.name, "schema": current_revision(engine),
            "created": utcnow().isoformat() + "Z"}
    with tempfile.TemporaryDirectory(dir=dest.parent if dest.parent.exists() else None) as tmp:
        plain = Path(tmp) / "plain"
        if engine.dialect.name == "sqlite":
            src = sqlite3.connect(_sqlite_file(engine))
            dst = sqlite3.connect(plain)
            try:
                src.backup(dst)
            finally:
                dst.close()
                src.close()
        else:
            r = subprocess.run([_pg_tool("pg_dump"), "--format=custom", "--no-owner",
                                "--no-privileges", "--file", str(plain), libpq_url(engine)],
                               capture_output=True, text=True, check=False)
            if r.returncode != 0:
                raise BackupError(f"pg_dump failed: {r.stderr.strip()[:500]}")
        encrypt_file(plain, dest, passphrase, meta)
    return meta


def restore(engine: Engine, src: Path, passphrase: str) -> dict:
    """Replace the database's content with the backup in ``src``."""
    src = Path(src)
    if not src.exists():
        raise BackupError(f"{src}: no such file")
    with tempfile.TemporaryDirectory() as tmp:
        plain = Path(tmp) / "plain"
        header = decrypt_file(src, plain, passphrase)
        if header.get("backend") != engine.dialect.name:
            raise BackupError(f"this is a {header.get('backend')} backup; the database is "
                              f"{engine.dialect.name}")
        if engine.dialect.name == "sqlite":
            con = sqlite3.connect(plain)
            try:
                ok = con.execute("PRAGMA integrity_check").fetchone()[0]
                con.execute("SELECT count(*) FROM access_log").fetchone()
            except sqlite3.DatabaseError as exc:
                raise BackupError(f"the backup does not hold a knoop database: {exc}") from None
            if ok != "ok":
                raise BackupError(f"the backup's database fails its integrity check: {ok}")
            engine.dispose()
            target = sqlite3.connect(_sqlite_file(engine), timeout=30)
            try:
                con.backup(target)
            finally:
                target.close()
                con.close()
        else:
            engine.dispose()
            r = subprocess.run([_pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner",
                                "--no-privileges", "--single-transaction", "--exit-on-error",
                                "--dbname", libpq_url(engine), str(plain)],
                               capture_output=True, text=True, check=False)
            if r.returncode != 0:
                raise BackupError(f"pg_restore failed: {r.stderr.strip()[:500]}")
    from sqlalchemy.orm import Session as OrmSession
    with OrmSession(engine) as s, s.begin():
        audit.append(s, at=utcnow(), actor=None, action="restore", obj="database",
                     detail=f"file={src.name}; created={header.get('created', '')}")
    return header


__all__ = ["backup", "decrypt_file", "encrypt_file", "read_header", "restore"]
