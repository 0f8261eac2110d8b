"""``knoop demo load`` (a small Dutch demo practice) and ``knoop demo seed`` (scale data)."""

from __future__ import annotations

import click

from knoop.cli.db import open_store


@click.group()
def demo() -> None:
    """Demo data (fictitious). / Voorbeeldgegevens (verzonnen)."""


@demo.command()
def load() -> None:
    """Load "Praktijk De Knoop" (Utrecht) with 5 clients and their sessions; idempotent."""
    from knoop.store.demo import load as do_load

    res = do_load(open_store())
    if not res.created:
        click.echo(f"demo practice already loaded (practice {res.practice_id})")
        return
    click.echo(f"demo practice {res.practice_id} loaded: {res.clients} clients, "
               f"{res.sessions} sessions")
    click.echo("demo logins (shown once):")
    for email, pw in res.passwords.items():
        click.echo(f"  {email}  {pw}")


@demo.command()
@click.option("--clients", type=click.IntRange(min=1), required=True)
@click.option("--sessions-per-client", type=click.IntRange(min=0), default=10, show_default=True)
@click.option("--practice", "practice_name", default="Schaalpraktijk", show_default=True)
@click.option("--heavy-client-sessions", type=click.IntRange(min=0, max=100_000), default=0,
              help="Add one client (Henk van der Zwaar) with this many sessions.")
def seed(clients: int, sessions_per_client: int, practice_name: str,
         heavy_client_sessions: int) -> None:
    """Bulk-insert N fictitious clients with realistic sessions (drawn regions, stored
    ranking, findings, treatments, NRS, SOAP note) for scale tests; 100,000 clients with 10
    sessions each take a few minutes."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    from knoop.store.seed import seed as do_seed

    store = open_store()
    with Progress("[progress.description]{task.description}", BarColumn(),
                  MofNCompleteColumn(), TimeRemainingColumn()) as bar:
        task = bar.add_task("clients", total=clients)
        res = do_seed(store, clients, sessions_per_client=sessions_per_client,
                      practice_name=practice_name, heavy_sessions=heavy_client_sessions,
                      progress=lambda done, total: bar.update(task, completed=done))
    click.echo(f"seeded practice {res.practice_id}: {res.clients} clients, "
               f"{res.sessions} sessions")
