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


#: Every command: its module, its attribute there, and the first paragraph of its help (what
#: ``knoop --help`` lists). A command's module is imported only when that command runs, so
#: ``knoop --help`` and ``knoop rank`` load no database, web or PDF library.
#: ``tests/cli/test_cli.py`` checks that these summaries are the commands' own.
COMMANDS: dict[str, tuple[str, str, str]] = {
    "audit": ("audit", "audit", "Access log: verify the hash chain, list who accessed a client."),
    "backup": ("backup", "backup", ("Write an encrypted backup of the records database to FILE "
                                   "(safe while running).")),
    "chart": ("chart", "chart", "Lichaamskaart (body chart)."),
    "db": ("db", "db", "Records database: schema migrations."),
    "demo": ("demo", "demo", "Demo data (fictitious)."),
    "eval": ("rank", "eval_cmd", ("Score the ranking on a VIGNETTES.json file: hit@k and recall@k "
                                 "for k = 1, 3, 5; and/or the red-flag screening on a --redflags "
                                 "FILE.")),
    "export": ("export", "export", "Exports: the client's dossier (PDF/JSON), FHIR R4, CSV."),
    "handout": ("handouts", "handout",
                "Aftercare handout of a session (PDF) or the education leaflet."),
    "import": ("export", "import_", "Import clients from other practice software (CSV)."),
    "kb": ("kb", "kb", ("Kennisbank: spieren, triggerpunten en uitstralingsgebieden (knowledge "
                       "base).")),
    "practice": ("users", "practice", "Practices (tenants)."),
    "rank": ("rank", "rank", ("Rank the muscles to examine for the pain map in SOURCE (a file, or "
                             "- for stdin).")),
    "restore": ("backup", "restore",
                "Replace the records database with the encrypted backup in FILE."),
    "retention": ("retention", "retention", ("Retention (20 years after the last change) and "
                                            "erasure on request. / Bewaartermijn.")),
    "serve": ("serve", "serve", "Start the web app on http://HOST:PORT."),
    "user": ("users", "user", "User accounts (therapist, admin)."),
}


class LazyGroup(KnoopGroup):
    """The top-level group: lists :data:`COMMANDS` without importing them."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        import importlib

        module, attr, _summary = COMMANDS[cmd_name]
        command: click.Command = getattr(importlib.import_module(f"knoop.cli.{module}"), attr)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        width = formatter.width - 6 - max(len(name) for name in COMMANDS)
        with formatter.section("Commands"):
            formatter.write_dl([(name, click.Command(name, help=text).get_short_help_str(width))
                                for name, (_m, _a, text) in sorted(COMMANDS.items())])


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="knoop")
def main() -> None:
    """knoop: triggerpunten, lichaamskaart en te onderzoeken spieren.

    knoop: trigger points, body chart and muscles to examine.
    """
