"""CSV for the practice's own analysis (export) and clients from other software (import).

Export (:func:`export_csv`): ``sessions.csv``, ``findings.csv``, ``treatments.csv`` for every
client of the actor's practice, UTF-8 with BOM (Excel opens it right), ``;``-separated as Dutch
spreadsheets expect. Read through ``store.client_dossier`` per client (each access-logged as
``export``). Every text cell that a spreadsheet would run as a formula (``=``, ``+``, ``-``,
``@``, tab, carriage return) starts with an apostrophe (:func:`neutral`); files are 0600 in a
0700 folder.

Import (:func:`check_clients_csv`, :func:`import_clients`): columns ``first_name``,
``last_name`` (required), ``infix``, ``date_of_birth`` (YYYY-MM-DD or DD-MM-YYYY), ``email``,
``phone``, ``gp_name``; Dutch headers (voornaam, tussenvoegsel, achternaam, geboortedatum,
e-mail, telefoon, huisarts) are accepted too; separator ``;`` or ``,`` is detected. A dry run
reports every bad row with its line number and reason. The import is all or nothing: every row
is checked first; then all clients are created in **one database transaction** (the store is
bound to one connection whose transaction commits only when every row went in, and rolls back
otherwise; the access-log rows roll back with it).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import os
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from knoop.errors import BadInput, KnoopError
from knoop.store import Actor, Store

Progress = Callable[[int, int], None]

SESSION_COLUMNS = ("practice_id", "client_id", "session_id", "started_at", "status",
                   "complaint", "symptoms", "causes", "nrs_before", "nrs_after",
                   "regions_painted", "regions", "findings", "treatments", "next_appointment",
                   "kb_version", "chart_version")
FINDING_COLUMNS = ("client_id", "session_id", "started_at", "finding_id", "muscle", "side",
                   "trigger_point", "result", "pain_recognised", "tender_spot", "taut_band",
                   "referral_elicited", "twitch", "note")
TREATMENT_COLUMNS = ("client_id", "session_id", "started_at", "treatment_id", "muscle", "side",
                     "technique", "duration_min", "pressure_tolerance", "note")
DIARY_COLUMNS = ("client_id", "entry_id", "at", "nrs", "exercises_done", "much_worse",
                 "regions_painted", "regions")

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


#: A cell starting with one of these is a formula to a spreadsheet (CSV/formula injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def neutral(text: str) -> str:
    """A text cell a spreadsheet shows as text: one that would start a formula gets a leading
    apostrophe (OWASP's advice), so ``=HYPERLINK(...)`` typed into an intake form stays text."""
    return "'" + text if text.lstrip(" ").startswith(FORMULA_START) else text


def _cell(v: Any) -> Any:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "1" if v else "0"
    if isinstance(v, list):
        return neutral("|".join(str(x) for x in v))
    if isinstance(v, str):
        return neutral(v)
    return v


def _private_text(path: Path) -> io.TextIOWrapper:
    """A new text file readable by its owner only (0600, also when it existed)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)
    return open(fd, "w", encoding="utf-8-sig", newline="")  # noqa: SIM115 - closed by caller


def export_csv(store: Store, actor: Actor, out_dir: Path, *,
               progress: Progress | None = None) -> dict[str, int]:
    """Write sessions.csv, findings.csv, treatments.csv and diary.csv (the pain diary between
    sessions); returns row counts."""
    out_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    ids = [c.id for c in all_clients(store, actor)]
    counts = {"clients": 0, "sessions": 0, "findings": 0, "treatments": 0, "diary": 0}
    files = {name: _private_text(out_dir / f"{name}.csv")
             for name in ("sessions", "findings", "treatments", "diary")}
    try:
        writers = {n: csv.writer(f, delimiter=";") for n, f in files.items()}
        writers["sessions"].writerow(SESSION_COLUMNS)
        writers["findings"].writerow(FINDING_COLUMNS)
        writers["treatments"].writerow(TREATMENT_COLUMNS)
        writers["diary"].writerow(DIARY_COLUMNS)
        for i, cid in enumerate(ids):
            d = store.client_dossier(actor, cid)
            counts["clients"] += 1
            for s in d["sessions"]:
                regions = s.get("regions") or []
                writers["sessions"].writerow([_cell(x) for x in (
                    actor.practice_id, cid, s["id"], s["started_at"], s["status"],
                    s["complaint"], s["symptoms"], s["causes"], s["nrs_before"], s["nrs_after"],
                    len(regions),
                    [f"{r['region']}:{r.get('side') or 'midline'}:{r.get('intensity') or ''}"
                     for r in regions],
                    len(s["findings"]), len(s["treatments"]), s["next_appointment"],
                    s["kb_version"], s["chart_version"])])
                counts["sessions"] += 1
                for f in s["findings"]:
                    writers["findings"].writerow([_cell(x) for x in (
                        cid, s["id"], s["started_at"], f["id"], f["muscle"], f["side"],
                        f["trigger_point"], f["result"], f["pain_recognised"], f["tender_spot"],
                        f["taut_band"], f["referral_elicited"], f["twitch"], f["note"])])
                    counts["findings"] += 1
                for t in s["treatments"]:
                    writers["treatments"].writerow([_cell(x) for x in (
                        cid, s["id"], s["started_at"], t["id"], t["muscle"], t["side"],
                        t["technique"], t["duration_min"], t["pressure_tolerance"],
                        t["note"])])
                    counts["treatments"] += 1
            for e in d.get("diary", []):
                writers["diary"].writerow([_cell(x) for x in (
                    cid, e["id"], e["at"], e["nrs"], e["exercises_done"], e["much_worse"],
                    len(e["regions"]),
                    [f"{r['region']}:{r.get('side') or 'midline'}:{r.get('intensity') or ''}"
                     for r in e["regions"]])])
                counts["diary"] += 1
            if progress:
                progress(i + 1, len(ids))
    finally:
        for f in files.values():
            f.close()
    return counts


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

    @property
    def ok(self) -> bool:
        return not self.errors

    def to_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "rows": len(self.rows), "created": self.created,
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

    existing = _existing_keys(store, actor)
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
            for f, n in (("first_name", 100), ("last_name", 100), ("infix", 30),
                         ("phone", 40), ("gp_name", 200)):
                v.text(f, rec.get(f, ""), max_len=n)
            if rec.get("email"):
                v.email("email", rec["email"], required=False)
        except (BadInput, ValueError) as exc:
            report.errors.append(RowError(line, getattr(exc, "message", None) or str(exc)))
            continue
        name = _norm(" ".join(x for x in (rec.get("first_name"), rec.get("infix"),
                                          rec.get("last_name")) if x))
        ckey = (name, rec.get("date_of_birth", ""))
        if ckey in seen:
            report.errors.append(RowError(line, f"duplicate client: same name and date of birth "
                                                f"as line {seen[ckey]}"))
            continue
        if ckey in existing:
            report.errors.append(RowError(line, f"client already stored: {existing[ckey]}"))
            continue
        seen[ckey] = line
        report.rows.append((line, rec))
    if not report.rows and not report.errors:
        report.errors.append(RowError(2, "no client rows below the header"))
    return report


PAGE = 500
_PREFIX_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789 -'."


def all_clients(store: Store, actor: Actor) -> list[Any]:
    """Every client of the practice through ``search_clients`` (at most 500 per call): when a
    prefix hits the limit it is refined one character further. Clients come back sorted by id."""
    found: dict[int, Any] = {}

    def walk(prefix: str) -> None:
        hits = store.search_clients(actor, prefix, limit=PAGE)
        for c in hits:
            found[c.id] = c
        if len(hits) >= PAGE and len(prefix) < 12:
            for ch in _PREFIX_CHARS:
                if prefix or ch.strip():
                    walk(prefix + ch)

    walk("")
    return [found[k] for k in sorted(found)]


def _existing_keys(store: Store, actor: Actor) -> dict[tuple[str, str], str]:
    out = {}
    for c in all_clients(store, actor):
        dob = c.date_of_birth.isoformat() if c.date_of_birth else ""
        out[(_norm(c.display_name), dob)] = f"client {c.id} ({c.display_name})"
    return out


def _csv_problem(exc: csv.Error) -> str:
    """A CSV reader error in words: a field over the reader's limit (128 KiB) or broken
    quoting."""
    if "field larger than field limit" in str(exc):
        return f"a field is longer than {csv.field_size_limit() // 1024} KiB"
    return f"not valid CSV ({exc})"


def import_clients(data: bytes, store: Store, actor: Actor, *, dry_run: bool = False,
                   progress: Progress | None = None) -> ImportReport:
    """Check every row, then (unless ``dry_run`` or any row is bad) create all clients in one
    transaction. Nothing is stored when anything fails."""
    report = check_clients_csv(data, store, actor)
    if dry_run or not report.ok:
        return report
    with store.engine.connect() as conn:
        tx = conn.begin()
        try:
            # the instance's access-log key; the anchor is written after the commit below
            bound = type(store)(conn, clock=store.clock, password_hasher=store.hasher,  # type: ignore[arg-type]
                                audit_key=store.audit_key)
            for i, (line, rec) in enumerate(report.rows):
                try:
                    # the columns a row may have (IMPORT_COLUMNS), each text; the defaults
                    # are create_client's
                    bound.create_client(
                        actor, first_name=rec["first_name"], last_name=rec["last_name"],
                        infix=rec.get("infix", ""), date_of_birth=rec.get("date_of_birth"),
                        email=rec.get("email", ""), phone=rec.get("phone", ""),
                        gp_name=rec.get("gp_name", ""))
                except KnoopError as exc:
                    raise BadInput(f"line {line}: {exc.message}") from exc
                if progress:
                    progress(i + 1, len(report.rows))
            tx.commit()
        except BaseException:
            tx.rollback()
            raise
    if store.audit_anchor is not None:
        from knoop.store.audit import anchor_head
        anchor_head(store.engine, store.audit_anchor)
    report.created = len(report.rows)
    return report


def rows(data: Iterable[tuple[int, dict[str, str]]]) -> list[dict[str, str]]:
    return [r for _line, r in data]
