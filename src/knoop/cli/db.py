"""``knoop db upgrade|status``, and the one place the CLI opens the records store."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from knoop.errors import KnoopError

if TYPE_CHECKING:
    from knoop.store import Store


def database_url() -> str:
    from knoop.settings import load

    return load().database_url


def shown_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def open_store(*, check_schema: bool = True) -> Store:
    """The store on ``DATABASE_URL`` (default SQLite in the data directory)."""
    import datetime as dt

    from knoop.settings import load
    from knoop.store import Store, current_revision, head_revision

    settings = load()
    store = Store(settings.database_url, audit_key=settings.audit_key(),
                  audit_anchor=settings.audit_anchor,
                  idle_timeout=dt.timedelta(minutes=settings.idle_minutes))
    if check_schema:
        rev = current_revision(store.engine)
        if rev != head_revision():
            raise KnoopError(f"the database at {shown_url(database_url())} is at schema "
                             f"{rev or 'none'}, not {head_revision()}: run `knoop db upgrade`")
    return store


@click.group()
def db() -> None:
    """Records database: schema migrations. / Dossierdatabase: schema-migraties."""


@db.command()
def upgrade() -> None:
    """Create or migrate the schema to the newest version (safe to repeat)."""
    from knoop.store import upgrade as do_upgrade

    store = open_store(check_schema=False)
    before, after = do_upgrade(store.engine)
    where = shown_url(database_url())
    if before == after:
        click.echo(f"database {where} is up to date (schema {after})")
    else:
        click.echo(f"database {where} upgraded from {before or 'empty'} to {after}")


@db.command()
def status() -> None:
    """Show the database URL, backend and schema version."""
    from knoop.store import current_revision, head_revision

    store = open_store(check_schema=False)
    rev = current_revision(store.engine)
    click.echo(f"url:      {shown_url(database_url())}")
    click.echo(f"backend:  {store.backend}")
    click.echo(f"schema:   {rev or 'none'} (newest: {head_revision()})")
    if rev != head_revision():
        click.echo("run `knoop db upgrade`")
