"""``knoop audit verify`` and ``knoop audit client ID``: the access log (NEN 7513)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from knoop.cli.db import open_store


@click.group()
def audit() -> None:
    """Access log: verify the hash chain, list who accessed a client. / Toegangslog."""


@audit.command()
@click.option("--archive", "archive", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Check a log archive written by `knoop restore --archive-log` instead.")
def verify(archive: Path | None) -> None:
    """Check the keyed hash chain, the anchor outside the database and the append-only
    triggers; exit 1 naming the first problem."""
    store = open_store()
    if archive is not None:
        from knoop.store.audit import verify_archive

        report = verify_archive(archive, store.audit_key)
        what = f"log archive {archive}"
    else:
        report = store.verify_access_log()
        what = "access log"
    if report.ok:
        click.echo(f"{what} ok: {report.rows} rows, head {report.head_hash}")
        return
    where = f" at row {report.bad_id}" if report.bad_id is not None else ""
    click.echo(f"{what} BROKEN{where}: {report.problem}", err=True)
    sys.exit(1)


@audit.command()
@click.argument("client_id", type=int)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
def client(client_id: int, fmt: str) -> None:
    """List who accessed client CLIENT_ID, when and what (also after erasure)."""
    entries = open_store().access_for_client(client_id)
    if fmt == "json":
        click.echo(json.dumps([e.to_dict() for e in entries], ensure_ascii=False, indent=2))
        return
    if not entries:
        click.echo(f"no access recorded for client {client_id}")
        return
    for e in entries:
        who = e.user_email or (f"user {e.user_id}" if e.user_id else "system")
        click.echo(f"{e.id:>7}  {e.at:%Y-%m-%d %H:%M:%S}  {who:<30} {e.action:<8} "
                   f"{e.object:<24} for {e.on_behalf_of}" + (f"  {e.detail}" if e.detail else ""))
