"""Clients from other software, as CSV (the import). The export of the practice's sessions,
findings, treatments and diary for its own analysis is :mod:`knoop.fhir.csvexport`.

Import (:func:`check_clients_csv`, :func:`import_clients`): columns ``first_name``,
``last_name`` (required), ``infix``, ``date_of_birth`` (YYYY-MM-DD or DD-MM-YYYY), ``email``,
``phone``, ``gp_name``; Dutch headers (voornaam, tussenvoegsel, achternaam, geboortedatum,
e-mail, telefoon, huisarts) are accepted too; separator ``;`` or ``,`` is detected. A dry run
reports every bad row with its line number and reason; duplicates are looked up by name in the
store (``store.clients_named``), never by reading the whole practice. Nothing is written while
any row is bad. The clients then go in in batches of :data:`BATCH` rows, each batch one short
transaction (all its rows or none), so other users can write in between. Each row carries a
request ID made of the file's hash and its line: when a batch fails, the batches before it stay
and the error says so; importing the same file again adds only the rows still missing.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import io
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from knoop.errors import BadInput, ImportStopped, KnoopError
from knoop.fhir.csvexport import Progress
from knoop.store import Actor, ClientMatch, Store

#: Rows per transaction of an import.
BATCH = 200

IMPORT_COLUMNS = ("first_name", "infix", "last_name", "date_of_birth", "email", "phone",
                  "gp_name")
REQUIRED = ("first_name", "last_name")
ALIASES = {
    "voornaam": "first_name", "roepnaam": "first_name", "first name": "first_name",
    "tussenvoegsel": "infix", "tussenvoegsels": "infix", "voorvoegsel": "infix",
    "achternaam": "last_name", "last name": "last_name", "surname": "last_name",
    "geboortedatum": "date_of_birth", "birth date": "date_of_birth", "dob": "date_of_birth",
    "e-mail": "email", "email": "email", "e-mailadres": "email", "telefoon": "phone",
    "telefoonnummer": "phone", "huisarts": "gp_name", "gp": "gp_name",
}


# ---- import -------------------------------------------------------------------------------
@dataclass(frozen=True)
class RowError:
    line: int
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}" if self.line else self.reason


@dataclass
class ImportReport:
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    created: int = 0
    #: Lines this file already imported in an earlier run (found by their request ID).
    skipped: list[int] = field(default_factory=list)
    #: line -> the request ID the row is stored under (file hash and line).
    request_ids: dict[int, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    def to_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "rows": len(self.rows), "created": self.created,
                "skipped": len(self.skipped),
                "errors": [{"line": e.line, "reason": e.reason} for e in self.errors]}


def _norm(s: str) -> str:
    s = unicodedata.normalize("NFKD", s.strip().lower())
    return " ".join("".join(c for c in s if not unicodedata.combining(c)).split())


def _parse_date(raw: str) -> dt.date:
    raw = raw.strip()
    for fmt in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"date_of_birth {raw!r} is not a date (use YYYY-MM-DD or DD-MM-YYYY)")


def _decode(data: bytes) -> tuple[str | None, RowError | None]:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None, RowError(0, "the file is UTF-16, not UTF-8: save it as “CSV UTF-8”")
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        guess = ""
        try:
            sample = data.decode("cp1252")
            bad = data[exc.start:exc.start + 1].decode("cp1252")
            guess = f" (it looks like Windows-1252/Latin-1: {bad!r})" if sample else ""
        except UnicodeDecodeError:
            pass
        return None, RowError(line, f"the file is not UTF-8: byte 0x{data[exc.start]:02x} at "
                                    f"line {line}{guess}; save it as “CSV UTF-8” and try again")


def check_clients_csv(data: bytes, store: Store, actor: Actor) -> ImportReport:
    """Read and check every row; nothing is written. Reports wrong encoding, wrong or missing
    columns, bad values (with the store's own checks), bad dates, and duplicate clients (same
    name and date of birth) within the file or already stored."""
    report = ImportReport()
    text, err = _decode(data)
    if err:
        report.errors.append(err)
        return report
    assert text is not None
    if not text.strip():
        report.errors.append(RowError(1, "the file is empty"))
        return report
    first = text.splitlines()[0]
    delim = ";" if first.count(";") >= first.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delim)
    try:
        header = next(reader)
    except csv.Error as exc:
        report.errors.append(RowError(1, _csv_problem(exc)))
        return report
    cols: list[str | None] = []
    unknown = []
    for h in header:
        key = _norm(h).replace("_", " ")
        col = ALIASES.get(key) or (key.replace(" ", "_") if key.replace(" ", "_")
                                   in IMPORT_COLUMNS else None)
        if col is None and h.strip():
            unknown.append(h.strip())
        cols.append(col)
    if unknown:
        report.errors.append(RowError(1, f"unknown column(s) {', '.join(repr(u) for u in unknown)}"
                                         f"; allowed: {', '.join(IMPORT_COLUMNS)}"))
    dupes = sorted({c for c in cols if c and cols.count(c) > 1})
    if dupes:
        report.errors.append(RowError(1, f"column(s) given twice: {', '.join(dupes)}"))
    missing = [c for c in REQUIRED if c not in cols]
    if missing:
        report.errors.append(RowError(1, f"missing column(s) {', '.join(missing)}; required: "
                                         f"{', '.join(REQUIRED)}"))
    if report.errors:
        return report

    seen: dict[tuple[str, str], int] = {}
    from knoop.store import validate as v

    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            report.errors.append(RowError(reader.line_num, _csv_problem(exc)))
            break
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            report.errors.append(RowError(line, f"{len(row)} fields, the header has "
                                                f"{len(header)}"))
            continue
        rec = {c: cell.strip() for c, cell in zip(cols, row, strict=True) if c}
        try:
            for f in REQUIRED:
                if not rec.get(f):
                    raise BadInput(f"{f} is empty")
            if rec.get("date_of_birth"):
                d = _parse_date(rec["date_of_birth"])
                if not dt.date(1900, 1, 1) <= d <= dt.date.today():
                    raise BadInput(f"date_of_birth {d} is not a plausible date of birth")
                rec["date_of_birth"] = d.isoformat()
            for f, n, name in (("first_name", 100, True), ("last_name", 100, True),
                               ("infix", 30, True), ("phone", 40, False),
                               ("gp_name", 200, True)):  # the store's own rules
                v.text(f, rec.get(f, ""), max_len=n, multiline=False, name=name)
            if rec.get("email"):
                v.email("email", rec["email"], required=False)
        except (BadInput, ValueError) as exc:
            report.errors.append(RowError(line, getattr(exc, "message", None) or str(exc)))
            continue
        ckey = _key(rec)
        if ckey in seen:
            report.errors.append(RowError(line, f"duplicate client: same name and date of birth "
                                                f"as line {seen[ckey]}"))
            continue
        seen[ckey] = line
        report.rows.append((line, rec))
    _check_stored(report, data, store, actor)
    if not report.rows and not report.errors and not report.skipped:
        report.errors.append(RowError(2, "no client rows below the header"))
    return report


def _key(rec: dict[str, str]) -> tuple[str, str]:
    return (_norm(" ".join(x for x in (rec.get("first_name"), rec.get("infix"),
                                       rec.get("last_name")) if x)),
            rec.get("date_of_birth", ""))


def _check_stored(report: ImportReport, data: bytes, store: Store, actor: Actor) -> None:
    """Rows whose client (same name and date of birth) is stored already: an error, unless
    this very file stored it in an earlier run (its request ID), then the row is skipped.
    Looked up by name in one call, whatever the size of the practice."""
    digest = hashlib.sha256(data).hexdigest()[:16]
    report.request_ids = {line: f"csv-{digest}-{line}" for line, _rec in report.rows}
    if not report.rows:
        return
    names = [" ".join(x for x in (rec.get("first_name"), rec.get("infix"), rec.get("last_name"))
                      if x) for _line, rec in report.rows]
    stored: dict[tuple[str, str], list[ClientMatch]] = {}
    for m in store.clients_named(actor, names):
        dob = m.date_of_birth.isoformat() if m.date_of_birth else ""
        stored.setdefault((_norm(m.display_name), dob), []).append(m)
    kept = []
    for line, rec in report.rows:
        matches = stored.get(_key(rec), [])
        if not matches:
            kept.append((line, rec))
        elif any(m.request_id == report.request_ids[line] for m in matches):
            report.skipped.append(line)
        else:
            m = matches[0]
            report.errors.append(RowError(line, f"client already stored: client {m.id} "
                                                f"({m.display_name})"))
    report.rows = kept
    report.errors.sort(key=lambda e: e.line)


def _csv_problem(exc: csv.Error) -> str:
    """A CSV reader error in words: a field over the reader's limit (128 KiB) or broken
    quoting."""
    if "field larger than field limit" in str(exc):
        return f"a field is longer than {csv.field_size_limit() // 1024} KiB"
    return f"not valid CSV ({exc})"


def _lines(rows: list[tuple[int, dict[str, str]]]) -> str:
    first, last = rows[0][0], rows[-1][0]
    return f"line {first}" if first == last else f"lines {first}-{last}"


def import_clients(data: bytes, store: Store, actor: Actor, *, dry_run: bool = False,
                   progress: Progress | None = None, batch: int = BATCH) -> ImportReport:
    """Check every row, then (unless ``dry_run`` or any row is bad) create the clients,
    ``batch`` rows per transaction. When a batch fails, the batches before it stay stored and
    the :class:`BadInput` raised names the failing line and what was stored; the same file
    imported again adds only the rest."""
    report = check_clients_csv(data, store, actor)
    if dry_run or not report.ok:
        return report
    todo = report.rows
    for start in range(0, len(todo), batch):
        part = todo[start:start + batch]
        try:
            store.create_clients(actor, [{**{f: rec.get(f, "") for f in IMPORT_COLUMNS},
                                          "date_of_birth": rec.get("date_of_birth") or None}
                                         for _line, rec in part],
                                 request_ids=[report.request_ids[line] for line, _r in part])
        except Exception as exc:
            stored = (f"{_lines(todo[:start])} ({start} client{'s' * (start > 1)}) "
                      f"imported; import the same file again to add the rest"
                      if start else "nothing was imported")
            if not isinstance(exc, KnoopError):  # the database refused or went away
                why = getattr(exc, "orig", None) or type(exc).__name__  # never the SQL: names
                raise ImportStopped(f"{_lines(part)}: not stored ({why}); {stored}") from exc
            index, _dot, rest = (exc.field or "").partition(".")
            bad = int(index) if index.isdigit() and int(index) < len(part) else None
            message = exc.message.partition(".")[2] if bad is not None else exc.message
            line = part[bad][0] if bad is not None else part[0][0]
            raise BadInput(f"line {line}: {message}; {stored}", field=rest or None,
                           kind=exc.kind) from exc
        report.created += len(part)
        if progress:
            progress(report.created, len(todo))
    return report


def rows(data: Iterable[tuple[int, dict[str, str]]]) -> list[dict[str, str]]:
    return [r for _line, r in data]
