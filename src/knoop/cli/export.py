"""``knoop export dossier|fhir|csv`` and ``knoop import clients``."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from knoop.cli.db import open_store
from knoop.cli.handouts import acting_user, user_option, write_output


@contextmanager
def progress_bar(label: str) -> Iterator[Callable[[int, int], None]]:
    """A rich progress bar on stderr (hidden when stderr is not a terminal)."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    console = Console(stderr=True)
    with Progress("[progress.description]{task.description}", BarColumn(),
                  MofNCompleteColumn(), TimeRemainingColumn(), console=console,
                  transient=True, disable=not console.is_terminal) as bar:
        task = bar.add_task(label, total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)
        yield update


@click.group()
def export() -> None:
    """Exports: the client's dossier (PDF/JSON), FHIR R4, CSV. / Exporteren."""


@export.command()
@click.argument("client_id", type=int)
@click.option("-o", "--output", "out_dir", default=".", show_default=True,
              help="Directory for dossier-<client>.pdf / .json.")
@click.option("--format", "fmt", type=click.Choice(["pdf", "json", "both"]), default="both",
              show_default=True)
@click.option("--lang", type=click.Choice(["nl", "en"]), default="nl", show_default=True)
@user_option
def dossier(client_id: int, out_dir: str, fmt: str, lang: str, user_email: str | None) -> None:
    """The client's full dossier with the access log (an admin's task)."""
    from knoop.handouts.dossier import dossier_json, dossier_pdf

    store = open_store()
    actor = acting_user(store, user_email)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    with progress_bar("dossier") as update:
        update(0, 2)
        data = dossier_json(store, actor, client_id)
        update(1, 2)
        written = []
        if fmt in ("json", "both"):
            p = out / f"dossier-{client_id}.json"
            p.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
            written.append(p)
        if fmt in ("pdf", "both"):
            p = out / f"dossier-{client_id}.pdf"
            p.write_bytes(dossier_pdf(store, actor, client_id, lang=lang, data=data))
            written.append(p)
        update(2, 2)
    click.echo(f"dossier of client {client_id}: {len(data['sessions'])} sessions, "
               f"{len(data['access_log'])} access-log entries -> "
               + ", ".join(str(p) for p in written), err=True)


@export.command()
@click.argument("client_id", type=int)
@click.option("--session", "session_id", type=int, default=None,
              help="Only this session of the client.")
@click.option("-o", "--output", required=True, help="JSON file to write (- for stdout).")
@click.option("--no-images", is_flag=True, help="Leave out the PNG of the drawings.")
@user_option
def fhir(client_id: int, session_id: int | None, output: str, no_images: bool,
         user_email: str | None) -> None:
    """A FHIR R4 Bundle (collection) of the client or one session, validated before writing."""
    from knoop.errors import NotFound
    from knoop.fhir import fhir_bundle, validate_bundle

    store = open_store()
    actor = acting_user(store, user_email)
    if session_id is not None and store.get_session(actor, session_id).client_id != client_id:
        raise NotFound(f"session {session_id} not found for client {client_id}",
                       field="session_id")
    bundle = fhir_bundle(store, actor, client_id=None if session_id else client_id,
                         session_id=session_id, images=not no_images)
    validate_bundle(bundle)
    write_output(json.dumps(bundle, ensure_ascii=False, indent=1).encode("utf-8"), output)
    if output != "-":
        click.echo(f"FHIR bundle with {len(bundle['entry'])} resources written to {output}",
                   err=True)


@export.command("csv")
@click.option("-o", "--output", "out_dir", required=True, help="Directory for the CSV files.")
@click.option("--workers", type=click.IntRange(1, 16), default=None,
              help="Processes that read and format pages in parallel "
                   "[default: one per core, at most 4].")
@user_option
def csv_cmd(out_dir: str, workers: int | None, user_email: str | None) -> None:
    """sessions.csv, findings.csv, treatments.csv, diary.csv of the whole practice (UTF-8, ';')."""
    import gc

    from knoop.fhir.csvexport import default_workers, export_csv

    store = open_store()
    actor = acting_user(store, user_email)
    # Millions of short-lived rows (tuples and small lists, no reference cycles) make the cycle
    # collector scan again and again: a fifth of the export's time with everything loaded so
    # far frozen, a sixth more with the collector on at all. The rows go by reference counting,
    # so the collector stays off while the export runs (measured: 6.8 -> 5.8 s CPU at 10,000
    # clients, bench/bench_practice_scale.py).
    gc.freeze()
    gc.disable()
    try:
        with progress_bar("clients") as update:
            counts = export_csv(store, actor, Path(out_dir), progress=update,
                                workers=workers or default_workers())
    finally:
        gc.enable()
    click.echo(f"{counts['clients']} clients: {counts['sessions']} sessions, "
               f"{counts['findings']} findings, {counts['treatments']} treatments, "
               f"{counts['diary']} diary entries -> {out_dir}",
               err=True)


@click.group("import")
def import_() -> None:
    """Import clients from other practice software (CSV). / Importeren."""


@import_.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Only check and report; store nothing.")
@user_option
def clients(file: str, dry_run: bool, user_email: str | None) -> None:
    """Import clients from FILE.csv: nothing while any row is bad (every bad row is reported
    with its line); then in batches of 200, each all or nothing. Run it again after a failure:
    rows this file already imported are skipped."""
    import sys

    from knoop.fhir.csvio import IMPORT_COLUMNS, import_clients

    store = open_store()
    actor = acting_user(store, user_email)
    data = Path(file).read_bytes()
    with progress_bar("clients") as update:
        report = import_clients(data, store, actor, dry_run=dry_run, progress=update)
    if not report.ok:
        for e in report.errors:
            click.echo(f"{file}:{e.line}: {e.reason}" if e.line else f"{file}: {e.reason}",
                       err=True)
        click.echo(f"{len(report.errors)} problem(s); nothing imported. Columns: "
                   f"{', '.join(IMPORT_COLUMNS)} (first_name, last_name required).", err=True)
        sys.exit(2)
    skipped = (f" ({len(report.skipped)} already imported by this file before)"
               if report.skipped else "")
    if dry_run:
        click.echo(f"dry run: all {len(report.rows)} rows are fine; nothing imported{skipped}")
    else:
        click.echo(f"imported {report.created} clients{skipped}")
