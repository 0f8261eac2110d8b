"""The encrypted backup file, format 2 (documented and versioned; format 1 files are still
read): writing it while the plaintext streams in, and reading it back.

* ``KNOOPBAK`` + 4-byte big-endian header length + JSON header + 32-byte header MAC, then
  chunks of ``4-byte length + AES-256-GCM ciphertext`` (1 MiB of plaintext each).
* Header: format, backend, schema revision, time, the access log's head in the copy
  (``log``), KDF parameters and salt, cipher, chunk size, nonce prefix.
* Key: scrypt(passphrase, salt, n, r=8, p=1) -> 64 bytes: 32 for AES-256-GCM, 32 for the header
  MAC (HMAC-SHA256 over magic, length and header). The KDF parameters are checked against
  fixed bounds (n a power of two from 2^14 to 2^17, r=8, p=1, a 16-byte salt) *before* they
  are used, and the header MAC is checked before anything else in the header is trusted.
* Chunk *i* is sealed with the header as associated data and the nonce
  ``prefix(7) + i(4) + last(1)``: a changed, reordered, dropped or appended chunk, or a cut-off
  file is refused.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import struct
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from sqlalchemy import Engine

from knoop.errors import BackupError
from knoop.store import audit
from knoop.store.base import StoreBase

if TYPE_CHECKING:
    pass

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
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt  # ~7 MB, only for backups

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
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

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
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

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
