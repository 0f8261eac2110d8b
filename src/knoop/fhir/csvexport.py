"""The CSV export of the whole practice, for the practice's own analysis: ``sessions.csv``,
``findings.csv``, ``treatments.csv`` and ``diary.csv`` for every client of the actor's practice,
UTF-8 with BOM (Excel opens it right), ``;``-separated as Dutch spreadsheets expect. Every text
cell that a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``, tab, carriage return)
starts with an apostrophe (:func:`neutral`); files are 0600 in a 0700 folder.

The export is planned once (``store.export_plan``: one ``export`` entry in the access log, the
clients split into pages of 500 by ID), then each page is read in a short transaction of its own
and written as it comes, so the cost is linear in the size of the practice. With ``workers`` > 1
(``knoop export csv`` uses one per core, up to 4) pages are read and turned into CSV text by
that many worker processes, each on a read-only connection of its own
(``store.exports.PageReader``), and written in page order by this one: the files are
byte-for-byte those of a one-process export. Reading a page and making its CSV text is plain
Python under one GIL, so processes, not threads.
"""

from __future__ import annotations

import csv
import io
import multiprocessing
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from knoop.store import Actor, Store, exports

Progress = Callable[[int, int], None]
#: The files of an export, in the order their texts travel from a worker.
FILES = ("sessions", "findings", "treatments", "diary")
#: Below this many pages a pool of worker processes costs more (starting them) than it saves.
MIN_PARALLEL_PAGES = 4

SESSION_COLUMNS = ("practice_id", "client_id", "session_id", "started_at", "status",
                   "complaint", "symptoms", "causes", "nrs_before", "nrs_after",
                   "regions_painted", "regions", "findings", "treatments", "next_appointment",
                   "kb_version", "chart_version")
FINDING_COLUMNS = exports.FINDING_COLUMNS
TREATMENT_COLUMNS = exports.TREATMENT_COLUMNS
#: ``regions_painted``: how many regions the entry's drawing paints; ``regions`` which.
DIARY_COLUMNS = ("client_id", "entry_id", "at", "nrs", "exercises_done", "much_worse",
                 "regions_painted", "regions")

#: A cell starting with one of these is a formula to a spreadsheet (CSV/formula injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def neutral(text: str) -> str:
    """A text cell a spreadsheet shows as text: one that would start a formula gets a leading
    apostrophe (OWASP's advice), so ``=HYPERLINK(...)`` typed into an intake form stays text."""
    return "'" + text if text.lstrip(" ").startswith(FORMULA_START) else text


def _private_text(path: Path) -> io.TextIOWrapper:
    """A new text file readable by its owner only (0600, also when it existed)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)
    return open(fd, "w", encoding="utf-8-sig", newline="")  # noqa: SIM115 - closed by caller


#: What a cell that :func:`neutral` changes can start with (a formula, or spaces before one).
_SUSPECT = frozenset("".join(FORMULA_START) + " ")


def _text(v: str | None) -> str:
    """:func:`neutral`, or "" for None; a cell that cannot start a formula (nearly all) is
    passed on after looking at its first character only (millions of cells per export)."""
    if not v:
        return ""
    return neutral(v) if v[0] in _SUSPECT else v


def _session_cells(r: tuple[Any, ...]) -> tuple[Any, ...]:
    """A row of ``store.exports.SESSION_COLUMNS`` as the cells of :data:`SESSION_COLUMNS`:
    the regions counted and written out. Fields with a fixed vocabulary (status, IDs, dates,
    versions) cannot start a formula; free text and lists go through :func:`neutral`. None
    is written as an empty cell (by the CSV writer)."""
    (pid, cid, sid, started, status, complaint, symptoms, causes, before, after, regions,
     findings, treatments, nxt, kb, chart) = r
    painted = "|".join(f"{x['region']}:{x.get('side') or 'midline'}:{x.get('intensity') or ''}"
                       for x in regions)
    return (pid, cid, sid, started, status, _text(complaint), _text("|".join(symptoms)),
            _text("|".join(causes)), before, after, len(regions), _text(painted), findings,
            treatments, nxt, kb, chart)


def _finding_cells(r: tuple[Any, ...]) -> tuple[Any, ...]:
    """Yes/no come as 1/0 or None, which the CSV writer writes as "1", "0" and ""."""
    (cid, sid, started, fid, muscle, side, tp, result, recognised, tender, band, referral,
     twitch, note) = r
    return (cid, sid, started, fid, _text(muscle), side, _text(tp), result, recognised,
            tender, band, referral, twitch, _text(note))


def _treatment_cells(r: tuple[Any, ...]) -> tuple[Any, ...]:
    cid, sid, started, tid, muscle, side, technique, minutes, tolerance, note = r
    return (cid, sid, started, tid, _text(muscle), side, technique, minutes, tolerance,
            _text(note))


def _diary_cells(r: tuple[Any, ...]) -> tuple[Any, ...]:
    cid, eid, at, nrs, exercises, worse, regions = r
    painted = "|".join(f"{x['region']}:{x.get('side') or 'midline'}:{x.get('intensity') or ''}"
                       for x in regions)
    return (cid, eid, at, nrs, exercises, worse, len(regions), _text(painted))



Texts = tuple[str, str, str, str]
Counts = tuple[int, int, int, int]


def page_text(page: exports.ExportPage) -> tuple[Texts, Counts]:
    """One page as the CSV text of each of :data:`FILES` (rows only, no header) and the
    number of rows in each."""
    out = []
    for cells, rows in ((_session_cells, page.sessions), (_finding_cells, page.findings),
                        (_treatment_cells, page.treatments), (_diary_cells, page.diary)):
        buf = io.StringIO()  # one write (and one encode) per page and file
        csv.writer(buf, delimiter=";").writerows(map(cells, rows))
        out.append(buf.getvalue())
    return ((out[0], out[1], out[2], out[3]),
            (len(page.sessions), len(page.findings), len(page.treatments), len(page.diary)))


# ---- the worker processes of a parallel export -------------------------------------------
_reader: exports.PageReader | None = None


def _start_worker(url: str) -> None:
    global _reader
    import gc

    gc.disable()  # rows hold no reference cycles; a page's objects go by reference counting
    _reader = exports.PageReader(url)


def _worker_page(job: tuple[int, int, int, int]) -> tuple[Texts, Counts]:
    assert _reader is not None
    return page_text(_reader(*job))


def _pages(store: Store, plan: exports.ExportPlan,
           workers: int) -> Iterator[tuple[int, Texts, Counts]]:
    """(clients, texts, row counts) per page, in page order."""
    url = store.reader_url()
    processes = processes_for(plan, workers, url)
    if processes == 1 or url is None:
        for i, (_lo, _hi, n) in enumerate(plan.pages):
            yield (n, *page_text(store.export_page(plan, i)))
        return
    jobs = [(plan.practice_id, lo, hi, n) for lo, hi, n in plan.pages]
    # spawn, not fork: the parent may hold threads and open connections; a spawned worker
    # starts clean and opens its own.
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(processes, initializer=_start_worker, initargs=(url,)) as pool:
        for (_pid, _lo, _hi, n), (texts, rows) in zip(
                jobs, pool.imap(_worker_page, jobs), strict=True):
            yield n, texts, rows


def processes_for(plan: exports.ExportPlan, workers: int, url: str | None) -> int:
    """How many worker processes an export of ``plan`` asked for ``workers`` starts: 1 (none:
    all in this process) for an in-memory database or fewer than :data:`MIN_PARALLEL_PAGES`
    pages."""
    if url is None or len(plan.pages) < MIN_PARALLEL_PAGES:
        return 1
    return max(1, min(workers, len(plan.pages)))


def default_workers() -> int:
    """Worker processes for a command-line export: one per core, at most 4."""
    return max(1, min(4, os.cpu_count() or 1))


def export_csv(store: Store, actor: Actor, out_dir: Path, *,
               progress: Progress | None = None, workers: int = 1,
               page: int = exports.PAGE) -> dict[str, int]:
    """Write sessions.csv, findings.csv, treatments.csv and diary.csv (the pain diary between
    sessions) of the actor's whole practice into ``out_dir``; returns row counts. ``workers``
    processes read and format pages in parallel (1: all in this process); the files are the
    same either way."""
    plan = store.export_plan(actor, page=page)
    out_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    counts = {"clients": 0, "sessions": 0, "findings": 0, "treatments": 0, "diary": 0}
    files = {name: _private_text(out_dir / f"{name}.csv") for name in FILES}
    try:
        for name, columns in zip(FILES, (SESSION_COLUMNS, FINDING_COLUMNS, TREATMENT_COLUMNS,
                                         DIARY_COLUMNS), strict=True):
            csv.writer(files[name], delimiter=";").writerow(columns)
        for clients, texts, rows in _pages(store, plan, workers):
            counts["clients"] += clients
            for name, text, n in zip(FILES, texts, rows, strict=True):
                files[name].write(text)
                counts[name] += n
            if progress:
                progress(counts["clients"], plan.scope.clients)
    finally:
        for f in files.values():
            f.close()
    return counts
