"""Encrypted backups: ``knoop backup FILE`` and ``knoop restore FILE``.

The database is copied consistently while the app keeps running (SQLite's online backup API;
``pg_dump --format=custom`` on an exported snapshot for PostgreSQL) and encrypted *while it
streams* to the target: the backup medium never holds a plaintext byte. (SQLite's copy is made
in a private 0700 folder next to the live database, which holds the same plaintext anyway;
``pg_dump`` is piped straight into the encryption.)

The file format (format 2, AES-256-GCM chunks, scrypt, a header MAC) is in
:mod:`knoop.store.backup_file`.

**Restore never loses access-log rows.** If the live log has rows the backup lacks, the
restore refuses unless it is given a file to archive them to (``--archive-log``); they are
written there (JSON lines, still verifiable with ``knoop audit verify --archive``) and, when the
backup's log is an earlier state of the live one, carried over into the restored log with their
ids and hashes, so nothing is lost and no id is used twice. **Erasures are re-applied**: the
live erasure register is merged into the restored database and every client erased since the
backup is erased again.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session as OrmSession

from knoop.errors import BackupError
from knoop.store import audit
from knoop.store.backup_file import (  # the file format; re-exported for callers
    CHUNK,
    LOG_FIELDS,
    MIN_PASSPHRASE,
    Sealer,
    Source,
    _file_chunks,
    _parts,
    _private_file,
    decrypt_file,
    encrypt_file,
    encrypt_stream,
    read_header,
)
from knoop.store.base import StoreBase, utcnow
from knoop.store.engine import libpq_url
from knoop.store.migrate import current_revision
from knoop.store.models import AccessLogHeadRow, AccessLogRow, ClientRow, ErasureRow

if TYPE_CHECKING:
    from knoop.store.types import Actor

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
            RetentionMixin.erase_client(store, actor, e["client_id"], reason=e["code"],
                                        register=False)
            back.discard(e["client_id"])
            n += 1
    return n


__all__ = ["Sealer", "backup", "decrypt_file", "encrypt_file", "encrypt_stream", "read_header",
           "restore", "write_archive"]
