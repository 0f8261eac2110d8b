"""``knoop retention report`` and ``knoop retention erase``: 20-year retention, erasure."""

from __future__ import annotations

import click

from knoop.cli.db import open_store
from knoop.store.erasures import CODES


@click.group()
def retention() -> None:
    """Retention (20 years after the last change) and erasure on request. / Bewaartermijn."""


@retention.command()
@click.option("--within-days", type=click.IntRange(min=0), default=0,
              help="Also list dossiers whose retention ends within N days.")
@click.option("--practice", "practice_id", type=int, default=None)
def report(within_days: int, practice_id: int | None) -> None:
    """Dossiers past (or near) their retention date: id, last change, retention date."""
    store = open_store()
    counts = store.retention_counts()
    rows = store.retention_report(practice_id=practice_id, within_days=within_days)
    click.echo(f"dossiers: {counts['dossiers']}; retention period: 20 years after the last "
               f"change; earliest retention date: {counts['earliest_retention_until'] or '-'}")
    expired = sum(r.expired for r in rows)
    click.echo(f"past retention: {expired}" + (f"; ending within {within_days} days: "
                                              f"{len(rows) - expired}" if within_days else ""))
    for r in rows:
        click.echo(f"  client {r.client_id:>7}  practice {r.practice_id:>3}  last change "
                   f"{r.last_change:%Y-%m-%d}  retain until {r.retention_until}"
                   + ("  EXPIRED" if r.expired else ""))


@retention.command()
@click.argument("client_id", type=int)
@click.option("--admin", "admin_email", required=True,
              help="E-mail of the admin carrying out the request (written to the access log).")
@click.option("--reason", type=click.Choice(CODES), default="on_request", show_default=True,
              help="Reason code (the only reason the permanent access log keeps).")
@click.option("--note", default="", help="Free text for the erasure register (not the access "
                                         "log); it may be cleaned later.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def erase(client_id: int, admin_email: str, reason: str, note: str, yes: bool) -> None:
    """Erase client CLIENT_ID's dossier for good; the access log keeps that it happened."""
    store = open_store()
    actor = store.user_by_email(admin_email).actor
    if not yes:
        click.confirm(f"Erase all data of client {client_id}? This cannot be undone", abort=True)
    store.erase_client(actor, client_id, reason=reason, note=note)
    click.echo(f"client {client_id} erased; the access log records the erasure")
