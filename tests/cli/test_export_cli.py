"""The handout, export and import commands as a new user runs them (SQLite, demo data)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from knoop.cli import main

THERAPIST = "therapeut@praktijkdeknoop.nl"
ADMIN = "admin@praktijkdeknoop.nl"


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("cli") / "data"
    env = {"KNOOP_DATA_DIR": str(d), "DATABASE_URL": "", "KNOOP_USER": ""}
    for args in (["db", "upgrade"], ["demo", "load"]):
        assert CliRunner().invoke(main, args, env=env).exit_code == 0
    return d


@pytest.fixture
def run(data_dir: Path):  # type: ignore[no-untyped-def]
    env = {"KNOOP_DATA_DIR": str(data_dir), "DATABASE_URL": "", "KNOOP_USER": ""}

    def invoke(*args: str, code: int = 0, user: str | None = THERAPIST) -> str:
        full = list(args) + (["--user", user] if user else [])
        res = CliRunner().invoke(main, full, env=env)
        assert res.exit_code == code, (res.output, res.exception)
        return res.output
    return invoke


def test_handout_and_leaflet(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = run("handout", "1", "-o", str(tmp_path / "nazorg.pdf"))
    assert "written" in out and (tmp_path / "nazorg.pdf").read_bytes().startswith(b"%PDF")
    run("handout", "1", "-o", str(tmp_path / "en.pdf"), "--lang", "en")
    run("handout", "leaflet", "-o", str(tmp_path / "folder.pdf"), user=None)
    assert (tmp_path / "folder.pdf").read_bytes().startswith(b"%PDF")


def test_handout_needs_to_know_who(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = run("handout", "1", "-o", str(tmp_path / "x.pdf"), code=2, user=None)
    assert "--user" in out


def test_handout_of_unknown_session(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert "not found" in run("handout", "999", "-o", str(tmp_path / "x.pdf"), code=2)


def test_export_dossier_fhir_csv(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    run("export", "dossier", "2", "-o", str(tmp_path), user=ADMIN)
    data = json.loads((tmp_path / "dossier-2.json").read_text(encoding="utf-8"))
    assert data["client"]["last_name"] == "Bakker" and data["access_log"]
    assert (tmp_path / "dossier-2.pdf").read_bytes().startswith(b"%PDF")
    assert "admin" in run("export", "dossier", "2", "-o", str(tmp_path), code=1)
    assert "admin" in run("export", "fhir", "1", "-o", str(tmp_path / "b.json"), code=1)
    run("export", "fhir", "1", "-o", str(tmp_path / "b.json"), user=ADMIN)
    assert json.loads((tmp_path / "b.json").read_text())["resourceType"] == "Bundle"
    assert oct((tmp_path / "b.json").stat().st_mode & 0o777) == "0o600"
    run("export", "fhir", "1", "--session", "2", "-o", str(tmp_path / "s.json"))
    assert "not found" in run("export", "fhir", "2", "--session", "1", "-o",
                              str(tmp_path / "x.json"), code=2)
    out = run("export", "csv", "-o", str(tmp_path / "csv"))
    assert "15 sessions" in out and (tmp_path / "csv" / "treatments.csv").exists()
    run("export", "csv", "-o", str(tmp_path / "csv2"), "--workers", "2")
    assert ((tmp_path / "csv2" / "findings.csv").read_bytes()
            == (tmp_path / "csv" / "findings.csv").read_bytes())
    assert "--workers" in run("export", "csv", "-o", str(tmp_path / "x"), "--workers", "0",
                              code=2)


def test_import_clients_dry_run_and_errors(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.csv"
    bad.write_text("voornaam;achternaam;geboortedatum\nJan;Dijk;31-02-1980\nAnna;de Vries;\n",
                   encoding="utf-8")
    out = run("import", "clients", str(bad), "--dry-run", code=2)
    assert "bad.csv:2:" in out and "nothing imported" in out
    good = tmp_path / "good.csv"
    good.write_text("voornaam;achternaam\nNieuw;Mens\n", encoding="utf-8")
    assert "all 1 rows are fine" in run("import", "clients", str(good), "--dry-run")
    assert "imported 1 clients" in run("import", "clients", str(good))
    # the same file again (after a failure, say) adds what is missing: here nothing
    assert "imported 0 clients (1 already imported by this file before)" in run(
        "import", "clients", str(good))
    other = tmp_path / "other.csv"
    other.write_text("voornaam;achternaam;telefoon\nNieuw;Mens;06-1\n", encoding="utf-8")
    assert "already stored" in run("import", "clients", str(other), code=2)
