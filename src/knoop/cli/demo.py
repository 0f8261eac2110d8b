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
def seed(clients: int, sessions_per_client: int, practice_name: str) -> None:
    """Bulk-insert N fictitious clients with sessions (for scale tests)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    from knoop.store.demo import seed as do_seed

    store = open_store()
    with Progress("[progress.description]{task.description}", BarColumn(),
                  MofNCompleteColumn(), TimeRemainingColumn()) as bar:
        task = bar.add_task("clients", total=clients)
        res = do_seed(store, clients, sessions_per_client=sessions_per_client,
                      practice_name=practice_name,
                      progress=lambda done, total: bar.update(task, completed=done))
    click.echo(f"seeded practice {res.practice_id}: {res.clients} clients, "
               f"{res.sessions} sessions")
