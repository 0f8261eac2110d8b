"""The CSV export in worker processes: the same files, byte for byte, as one process writes,
and still one access-log entry for the whole export."""

from __future__ import annotations

from pathlib import Path

from knoop.fhir.csvexport import FILES, MIN_PARALLEL_PAGES, export_csv, processes_for
from tests.demo_practice import Demo


def _files(folder: Path) -> dict[str, bytes]:
    return {name: (folder / f"{name}.csv").read_bytes() for name in FILES}


def _exports(demo: Demo) -> int:
    from sqlalchemy import func, select

    from knoop.store.models import AccessLogRow

    with demo.store.engine.connect() as conn:
        return int(conn.scalar(select(func.count()).where(AccessLogRow.action == "export")) or 0)


def test_an_export_by_worker_processes_writes_the_files_one_process_writes(
        demo: Demo, tmp_path: Path) -> None:
    """Pages of one client (5 pages, over the threshold for workers) read and formatted by two
    spawned processes on their own read-only connections, written in page order."""
    plan = demo.store.export_plan(demo.therapist, page=1)
    assert processes_for(plan, 2, demo.store.reader_url()) == 2
    one = export_csv(demo.store, demo.therapist, tmp_path / "one", page=1)
    before = _exports(demo)
    two = export_csv(demo.store, demo.therapist, tmp_path / "two", page=1, workers=2)
    assert _exports(demo) == before + 1
    assert two == one == {"clients": 5, "sessions": 15, "findings": 43, "treatments": 30,
                          "diary": 0}
    assert _files(tmp_path / "two") == _files(tmp_path / "one")
    assert (tmp_path / "two" / "sessions.csv").stat().st_mode & 0o777 == 0o600


def test_a_small_export_asked_for_workers_stays_in_one_process(demo: Demo,
                                                               tmp_path: Path) -> None:
    """One page is not worth starting processes for; the result is the same."""
    plan = demo.store.export_plan(demo.therapist)
    assert len(plan.pages) < MIN_PARALLEL_PAGES
    assert processes_for(plan, 4, demo.store.reader_url()) == 1
    one = export_csv(demo.store, demo.therapist, tmp_path / "one")
    assert export_csv(demo.store, demo.therapist, tmp_path / "two", workers=4) == one
    assert _files(tmp_path / "two") == _files(tmp_path / "one")


def test_an_outsider_gets_empty_files_from_workers_too(demo: Demo, tmp_path: Path) -> None:
    counts = export_csv(demo.store, demo.outsider, tmp_path, page=1, workers=2)
    assert counts == {"clients": 0, "sessions": 0, "findings": 0, "treatments": 0, "diary": 0}
    assert all(len(b.splitlines()) == 1 for b in _files(tmp_path).values())
