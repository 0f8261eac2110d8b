"""The ``knoop`` command line. Bad input exits with code 2 and a message on stderr."""

from __future__ import annotations

import os
import sys

import click

from knoop import __version__
from knoop.errors import BadInput, KnoopError


class KnoopGroup(click.Group):
    """A click group that turns knoop errors into clear messages and exit codes. Every file and
    folder a command creates (database, keys, exports, backups) is for its owner only."""

    def invoke(self, ctx: click.Context) -> object:
        old_umask = os.umask(0o077)
        try:
            return super().invoke(ctx)
        except BadInput as exc:
            click.echo(f"error: {exc.message}", err=True)
            if exc.allowed and len(exc.allowed) <= 12:
                click.echo(f"allowed: {', '.join(exc.allowed)}", err=True)
            sys.exit(2)
        except KnoopError as exc:
            click.echo(f"error: {exc.message}", err=True)
            sys.exit(1)
        finally:
            os.umask(old_umask)


@click.group(cls=KnoopGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="knoop")
def main() -> None:
    """knoop: triggerpunten, lichaamskaart en te onderzoeken spieren.

    knoop: trigger points, body chart and muscles to examine.
    """


def _register() -> None:
    from knoop.cli import audit, backup, chart, db, demo, kb, rank, retention, serve, users

    main.add_command(kb.kb)
    main.add_command(chart.chart)
    main.add_command(serve.serve)
    main.add_command(rank.rank)
    main.add_command(rank.eval_cmd)
    main.add_command(db.db)
    main.add_command(users.practice)
    main.add_command(users.user)
    main.add_command(audit.audit)
    main.add_command(retention.retention)
    main.add_command(backup.backup)
    main.add_command(backup.restore)
    main.add_command(demo.demo)
    from knoop.cli import export, handouts

    main.add_command(handouts.handout)
    main.add_command(export.export)
    main.add_command(export.import_)


_register()
