"""Encrypted backups: ``knoop backup FILE`` and ``knoop restore FILE``.

The database is copied consistently while the app keeps running (SQLite's online backup API;
``pg_dump --format=custom`` on an exported snapshot for PostgreSQL) and encrypted *while it
streams* to the target: the backup medium never holds a plaintext byte. (SQLite's copy is made
in a private 0700 folder next to the live database, which holds the same plaintext anyway;
``pg_dump`` is piped straight into the encryption.)

**Format 2** (documented and versioned; format 1 files are still read):

* ``KNOOPBAK`` + 4-byte big-endian header length + JSON header + 32-byte header MAC, then
  chunks of ``4-byte length + AES-256-GCM ciphertext`` (1 MiB of plaintext each).
* Header: format, backend, schema revision, time, the access log's head in the copy
  (``log``), KDF parameters and salt, cipher, chunk size, nonce prefix.
* Key: scrypt(passphrase, salt, n, r=8, p=1) -> 64 bytes: 32 for AES-256-GCM, 32 for the header
  MAC (HMAC-SHA256 over magic, length and header). The KDF parameters are checked against
  fixed bounds (n a power of two from 2^14 to 2^17, r=8, p=1, a 16-byte salt) *before* they
  are used, and the header MAC is checked before anything else in the header is trusted: a
  wrong passphrase and an altered header are told apart from a damaged body only as far as
  cryptography allows ("wrong passphrase, or the header was altered").
* Chunk *i* is sealed with the header as associated data and the nonce
  ``prefix(7) + i(4) + last(1)``: a changed, reordered, dropped or appended chunk, or a cut-off
  file is refused.

**Restore never loses access-log rows.** If the live log has rows the backup lacks, the
restore refuses unless it is given a file to archive them to (``--archive-log``); they are
written there (JSON lines, still verifiable with ``knoop audit verify --archive``) and, when the
backup's log is an earlier state of the live one, carried over into the restored log with their
ids and hashes, so nothing is lost and no id is used twice. **Erasures are re-applied**: the
live erasure register is merged into the restored database and every client erased since the
backup is erased again.
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
from typing import IO, TYPE_CHECKING, Any, BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session as OrmSession

from knoop.errors import BackupError
from knoop.store import audit
from knoop.store.base import StoreBase, utcnow
from knoop.store.engine import libpq_url
from knoop.store.migrate import current_revision
from knoop.store.models import AccessLogHeadRow, AccessLogRow, ClientRow, ErasureRow

if TYPE_CHECKING:
    from knoop.store.types import Actor

MAGIC = b"KNOOPBAK"
FORMAT = 2
READABLE = (1, 2)
CHUNK = 1 << 20
KDF = {"name": "scrypt", "n": 1 << 15, "r": 8, "p": 1}
#: Bounds on the KDF parameters a header may ask for (checked before they are used).
KDF_N = frozenset(1 << k for k in range(14, 18))
MIN_PASSPHRASE = 8
LOG_FIELDS = (*audit.FIELDS, "hash", "key_id")

Source = Engine | StoreBase


def _b64(b: bytes) -> str:
    return base64.b64encode(b).decode("ascii")


def _parts(source: Source) -> tuple[Engine, bytes, Path | None]:
    if isinstance(source, StoreBase):
        return source.engine, source.audit_key, source.audit_anchor
    return source, audit.PUBLIC_KEY, None


def _bytes(value: Any, size: int) -> bytes:
    try:
        raw = base64.b64decode(value, validate=True)
    except (ValueError, TypeError):
        raw = b""
    if len(raw) != size:
        raise BackupError("the backup header is damaged or was altered")
    return raw


def _kdf(kdf: Any) -> tuple[bytes, int, int, int]:
    """The KDF parameters of a header, refused unless within the fixed bounds."""
    if not isinstance(kdf, dict) or kdf.get("name") != "scrypt":
        raise BackupError("the backup header is damaged or was altered (unknown key "
                          "derivation)")
    n, r, p = kdf.get("n"), kdf.get("r"), kdf.get("p")
    if type(n) is not int or n not in KDF_N or type(r) is not int or r != 8 \
            or type(p) is not int or p != 1:
        raise BackupError("the backup header is damaged or was altered (key derivation "
                          "parameters out of bounds)")
    return _bytes(kdf.get("salt"), 16), n, r, p


def _keys(passphrase: str, kdf: Any) -> tuple[bytes, bytes]:
    salt, n, r, p = _kdf(kdf)
    raw = Scrypt(salt=salt, length=64, n=n, r=r, p=p).derive(passphrase.encode("utf-8"))
    return raw[:32], raw[32:]


def _check(check_key: bytes) -> bytes:  # format 1
    return hmac.new(check_key, b"knoop-backup-key-check-v1", hashlib.sha256).digest()


def _header_mac(mac_key: bytes, head: bytes) -> bytes:
    return hmac.new(mac_key, b"knoop-backup-header-v2|" + head, hashlib.sha256).digest()


def _nonce(prefix: bytes, i: int, last: bool) -> bytes:
    return prefix + struct.pack(">I", i) + (b"\x01" if last else b"\x00")


def _private_file(path: Path) -> BinaryIO:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    return os.fdopen(fd, "wb")


class Sealer:
    """Encrypts a stream into a format-2 backup file as the bytes arrive."""

    def __init__(self, out: BinaryIO, passphrase: str, meta: dict) -> None:
        if len(passphrase) < MIN_PASSPHRASE:
            raise BackupError(f"the passphrase needs at least {MIN_PASSPHRASE} characters")
        salt, self.prefix = os.urandom(16), os.urandom(7)
        kdf = {**KDF, "salt": _b64(salt)}
        enc_key, mac_key = _keys(passphrase, kdf)
        self.header = json.dumps({"format": FORMAT, **meta, "kdf": kdf,
                                  "cipher": "AES-256-GCM", "chunk": CHUNK,
                                  "nonce_prefix": _b64(self.prefix)}, sort_keys=True).encode()
        head = MAGIC + struct.pack(">I", len(self.header)) + self.header
        out.write(head + _header_mac(mac_key, head))
        self.out, self.aead, self.i, self.buf = out, AESGCM(enc_key), 0, bytearray()

    def _emit(self, block: bytes, last: bool) -> None:
        ct = self.aead.encrypt(_nonce(self.prefix, self.i, last), block, self.header)
        self.out.write(struct.pack(">I", len(ct)) + ct)
        self.i += 1

    def write(self, data: bytes) -> None:
        self.buf += data
        while len(self.buf) > CHUNK:
            self._emit(bytes(self.buf[:CHUNK]), False)
            del self.buf[:CHUNK]

    def close(self) -> None:
        self._emit(bytes(self.buf), True)
        self.buf = bytearray()


def encrypt_stream(chunks: Iterator[bytes], dst: Path, passphrase: str, meta: dict) -> None:
    """Encrypt ``chunks`` into ``dst`` (written as ``dst.part``, 0600, then renamed)."""
    tmp = dst.with_name(dst.name + ".part")
    try:
        with _private_file(tmp) as fout:
            sealer = Sealer(fout, passphrase, meta)
            for block in chunks:
                sealer.write(block)
            sealer.close()
            fout.flush()
            os.fsync(fout.fileno())
        os.replace(tmp, dst)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _file_chunks(src: Path) -> Iterator[bytes]:
    with open(src, "rb") as f:
        yield from iter(lambda: f.read(CHUNK), b"")


def encrypt_file(src: Path, dst: Path, passphrase: str, meta: dict) -> None:
    encrypt_stream(_file_chunks(src), dst, passphrase, meta)


def read_header(f: BinaryIO) -> tuple[dict, bytes]:
    """The header (not yet authenticated!) and the bytes the header MAC covers."""
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
    if not isinstance(header, dict) or header.get("format") not in READABLE:
        fmt = header.get("format") if isinstance(header, dict) else None
        raise BackupError(f"backup format {fmt!r} is not supported (this knoop reads formats "
                          f"{', '.join(map(str, READABLE))})")
    return header, raw


def _chunks(f: BinaryIO) -> Iterator[bytes]:
    while True:
        raw = f.read(4)
        if not raw:
            return
        if len(raw) != 4:
            raise BackupError("the backup file is damaged or was altered (cut off)")
        (n,) = struct.unpack(">I", raw)
        if n > CHUNK + 16:
            raise BackupError("the backup file is damaged or was altered")
        ct = f.read(n)
        if len(ct) != n:
            raise BackupError("the backup file is damaged or was altered (cut off)")
        yield ct


def decrypt_file(src: Path, dst: Path, passphrase: str) -> dict:
    """Decrypt ``src`` into ``dst``; refuses a wrong passphrase or any tampering."""
    with open(src, "rb") as f:
        header, raw = read_header(f)
        enc_key, mac_key = _keys(passphrase, header.get("kdf"))
        if header["format"] == 1:
            if not hmac.compare_digest(_check(mac_key), _bytes(header.get("key_check"), 32)):
                raise BackupError("wrong passphrase for this backup (onjuist wachtwoord)")
        else:
            mac = f.read(32)
            head = MAGIC + struct.pack(">I", len(raw)) + raw
            if len(mac) != 32 or not hmac.compare_digest(_header_mac(mac_key, head), mac):
                raise BackupError("wrong passphrase for this backup, or its header was "
                                  "altered (onjuist wachtwoord)")
        prefix = _bytes(header.get("nonce_prefix"), 7)
        aead = AESGCM(enc_key)
        finished = False
        with _private_file(dst) as out:
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


def _append(engine: Engine, key: bytes, anchor: Path | None, **entry: Any) -> None:
    with OrmSession(engine, info={audit.KEY_INFO: key}) as s:
        with s.begin():
            audit.append(s, at=utcnow(), actor=None, **entry)
        head = s.info.get(audit.HEAD_INFO)
    if head is not None and anchor is not None:
        audit.write_anchor(anchor, *head)


def backup(source: Source, dest: Path, passphrase: str) -> dict:
    """Write an encrypted backup of the whole database to ``dest``; returns the header."""
    engine, key, anchor = _parts(source)
    dest = Path(dest)
    if len(passphrase) < MIN_PASSPHRASE:
        raise BackupError(f"the passphrase needs at least {MIN_PASSPHRASE} characters")
    _append(engine, key, anchor, action="backup", obj="database", detail=f"file={dest.name}")
    meta: dict[str, Any] = {"backend": engine.dialect.name, "schema": current_revision(engine),
                            "created": utcnow().isoformat() + "Z"}
    if engine.dialect.name == "sqlite":
        db = Path(_sqlite_file(engine))
        # a private folder next to the live database: the target never sees plaintext
        with tempfile.TemporaryDirectory(dir=db.parent, prefix=".knoop-backup-") as tmp:
            plain = Path(tmp) / "copy.sqlite3"
            src = sqlite3.connect(db)
            dst = sqlite3.connect(plain)
            try:
                src.backup(dst)
                last = dst.execute("SELECT last_id, last_hash FROM access_log_head").fetchone()
            finally:
                dst.close()
                src.close()
            meta["log"] = {"last_id": last[0], "last_hash": last[1]}
            encrypt_stream(_file_chunks(plain), dest, passphrase, meta)
        return meta
    with engine.connect() as conn:
        conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            snapshot = conn.exec_driver_sql("SELECT pg_export_snapshot()").scalar()
            last = conn.execute(select(AccessLogHeadRow.last_id, AccessLogHeadRow.last_hash)
                                ).one()
            meta["log"] = {"last_id": last.last_id, "last_hash": last.last_hash}
            with tempfile.TemporaryFile() as err:
                proc = subprocess.Popen(
                    [_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
                     f"--snapshot={snapshot}", libpq_url(engine)],
                    stdout=subprocess.PIPE, stderr=err)
                out: IO[bytes] | None = proc.stdout
                assert out is not None
                try:
                    encrypt_stream(iter(lambda: out.read(CHUNK), b""), dest, passphrase, meta)
                finally:
                    out.close()
                    rc = proc.wait()
                if rc != 0:
                    err.seek(0)
                    dest.unlink(missing_ok=True)
                    raise BackupError("pg_dump failed: "
                                      + err.read().decode("utf-8", "replace").strip()[:500])
    return meta


# ------------------------------------------------------------------------------ restore
def _live_state(engine: Engine) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The live access log (all rows) and erasure register, read before they are replaced."""
    cols = [getattr(AccessLogRow, f) for f in LOG_FIELDS]
    ecols = [c for c in ErasureRow.__table__.columns if c.name != "id"]
    with engine.connect() as conn:
        log = [dict(r) for r in conn.execute(select(*cols).order_by(AccessLogRow.id))
               .mappings()]
        erasures = [dict(r) for r in conn.execute(select(*ecols).order_by(ErasureRow.id))
                    .mappings()]
        conn.rollback()
    return log, erasures


def write_archive(path: Path, rows: list[dict[str, Any]], note: str) -> str:
    """Write access-log rows to an archive (JSON lines, 0600); returns its sha256."""
    first = rows[0]
    head = {"knoop_access_log_archive": 1, "first_id": first["id"], "last_id": rows[-1]["id"],
            "prev_hash": first["prev_hash"], "note": note}
    lines = [json.dumps(head, sort_keys=True)]
    for r in rows:
        lines.append(json.dumps({k: (v.isoformat() if hasattr(v, "isoformat") else v)
                                 for k, v in r.items()}, sort_keys=True, ensure_ascii=False))
    data = ("\n".join(lines) + "\n").encode("utf-8")
    with _private_file(path) as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    return hashlib.sha256(data).hexdigest()


def restore(source: Source, src: Path, passphrase: str, *,
            archive_log: Path | None = None) -> dict:
    """Replace the database's content with the backup in ``src``. Refuses when the live access
    log holds rows the backup lacks, unless ``archive_log`` names a file to keep them in."""
    engine, key, anchor = _parts(source)
    src = Path(src)
    if not src.exists():
        raise BackupError(f"{src}: no such file")
    with tempfile.TemporaryDirectory(prefix="knoop-restore-") as tmp:
        plain = Path(tmp) / "plain"
        header = decrypt_file(src, plain, passphrase)
        if header.get("backend") != engine.dialect.name:
            raise BackupError(f"this is a {header.get('backend')} backup; the database is "
                              f"{engine.dialect.name}")
        con = None
        if engine.dialect.name == "sqlite":
            con = sqlite3.connect(plain)
            try:
                ok = con.execute("PRAGMA integrity_check").fetchone()[0]
                head = con.execute("SELECT last_id, last_hash FROM access_log_head").fetchone()
            except sqlite3.DatabaseError as exc:
                con.close()
                raise BackupError(f"the backup does not hold a knoop database: {exc}") from None
            if ok != "ok":
                con.close()
                raise BackupError(f"the backup's database fails its integrity check: {ok}")
            b_last, b_hash = int(head[0]), str(head[1])
        else:
            log = header.get("log") or {}
            b_last, b_hash = int(log.get("last_id") or 0), str(log.get("last_hash") or "")
        live_log, live_erasures = _live_state(engine)
        tail = [r for r in live_log if r["id"] > b_last]
        at_b = next((r for r in live_log if r["id"] == b_last), None)
        lineage = b_last == 0 or (at_b is not None and at_b["hash"] == b_hash)
        archived = ""
        if tail:
            if archive_log is None:
                if con is not None:
                    con.close()
                raise BackupError(
                    f"the access log has {len(tail)} entries newer than the backup (rows "
                    f"{tail[0]['id']}-{tail[-1]['id']}); a restore would lose them. Restore "
                    "with --archive-log FILE to keep them there (and in the restored log)")
            digest = write_archive(archive_log, tail, f"live access log before restoring "
                                   f"{src.name}")
            archived = (f"; archived rows {tail[0]['id']}-{tail[-1]['id']} to "
                        f"{Path(archive_log).name} sha256={digest[:16]}")
        if con is not None:
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
    from knoop.store.migrate import head_revision, upgrade
    if current_revision(engine) != head_revision():  # a backup made by an older knoop
        upgrade(engine)
    carried = _carry_over(engine, tail) if tail and lineage else 0
    if tail and not lineage:
        archived += " (not carried over: the backup's log is not an earlier state of it)"
    reapplied = _reapply_erasures(source, engine, key, anchor, live_erasures)
    _append(engine, key, anchor, action="restore", obj="database",
            detail=(f"file={src.name}; created={header.get('created', '')}; "
                    f"carried_over={carried}; erasures_reapplied={reapplied}{archived}")[:300])
    return header


def _carry_over(engine: Engine, tail: list[dict[str, Any]]) -> int:
    """Append the live log's newer rows, unchanged, to the restored log (same ids, same
    hashes: the chain stays whole)."""
    with OrmSession(engine) as s, s.begin():
        s.execute(select(AccessLogHeadRow).where(AccessLogHeadRow.id == 1).with_for_update())
        for r in tail:
            s.add(AccessLogRow(**r))
        s.execute(update(AccessLogHeadRow).where(AccessLogHeadRow.id == 1)
                  .values(last_id=tail[-1]["id"], last_hash=tail[-1]["hash"]))
    return len(tail)


def _reapply_erasures(source: Source, engine: Engine, key: bytes, anchor: Path | None,
                      live: list[dict[str, Any]]) -> int:
    """Merge the live erasure register into the restored database and erase again every
    client it names that the backup brought back."""
    from knoop.store import Store
    from knoop.store.retention import RetentionMixin
    from knoop.store.types import Actor

    clock = source.clock if isinstance(source, StoreBase) else utcnow
    store = Store(engine, audit_key=key, audit_anchor=anchor, clock=clock)
    n = 0
    with OrmSession(engine) as s, s.begin():
        have = {(r.client_id, r.erased_at) for r in s.scalars(select(ErasureRow))}
        for e in live:
            if (e["client_id"], e["erased_at"]) not in have:
                s.add(ErasureRow(**e))
        back = set(s.scalars(select(ClientRow.id).where(
            ClientRow.id.in_([e["client_id"] for e in live])))) if live else set()
    for e in live:
        if e["client_id"] in back:
            actor: Actor = Actor(None, e["practice_id"], "admin", "",
                                 "erasure register (re-applied after a restore)")
            RetentionMixin.erase_client(store, actor, e["client_id"], reason=e["code"])
            back.discard(e["client_id"])
            n += 1
    return n


__all__ = ["Sealer", "backup", "decrypt_file", "encrypt_file", "encrypt_stream", "read_header",
           "restore", "write_archive"]
