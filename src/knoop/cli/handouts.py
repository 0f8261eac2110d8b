"""``knoop handout SESSION -o file.pdf`` and ``knoop handout leaflet -o file.pdf``."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from knoop.cli.db import open_store
from knoop.errors import BadInput

if TYPE_CHECKING:
    from knoop.store import Actor, Store

_C = TypeVar("_C", bound=Callable[..., Any] | click.Command)  # what click.option decorates


def acting_user(store: Store, email: str | None) -> Actor:
    """The Actor the command acts as: ``--user``, else ``KNOOP_USER``, else the only active
    user of the database. Everything it reads is access-logged under that user."""
    from knoop.settings import load

    email = email or load().user_email
    if email:
        return store.user_by_email(email).actor
    users = [u for u in store.all_users() if u.active]
    if len(users) == 1:
        return users[0].actor
    raise BadInput("say who you are: --user EMAIL (or set KNOOP_USER); the access log records "
                   "who read or changed which dossier", field="user",
                   allowed=[u.email for u in users][:12])


def user_option(f: _C) -> _C:
    return click.option("--user", "user_email", metavar="EMAIL",
                        help="Act as this user (default: KNOOP_USER).")(f)


def write_output(data: bytes, output: str) -> None:
    if output == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    path = Path(output)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


class _SessionOrSub(click.Group):
    """``knoop handout 12 ...`` means the session handout; ``knoop handout leaflet`` the leaflet."""

    def resolve_command(self, ctx: click.Context, args: list[str]
                        ) -> tuple[str | None, click.Command | None, list[str]]:
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            return "session", self.commands["session"], args
        return super().resolve_command(ctx, args)


@click.group(cls=_SessionOrSub)
def handout() -> None:
    """Aftercare handout of a session (PDF) or the education leaflet. / Nazorgfolder.

    \b
      knoop handout SESSION -o nazorg.pdf [--lang en] [--user EMAIL]
      knoop handout leaflet -o triggerpoints.pdf [--lang en]
    """


@handout.command("session", hidden=True)
@click.argument("session_id", type=int)
@click.option("-o", "--output", required=True, help="PDF file to write (- for stdout).")
@click.option("--lang", type=click.Choice(["nl", "en"]), default="nl", show_default=True)
@click.option("--no-record", is_flag=True, help="Do not record the handout in the dossier.")
@user_option
def session_cmd(session_id: int, output: str, lang: str, no_record: bool,
                user_email: str | None) -> None:
    """The aftercare PDF of SESSION_ID; recorded in the dossier as a handout given."""
    from knoop.handouts.aftercare import aftercare_pdf

    store = open_store()
    actor = acting_user(store, user_email)
    pdf = aftercare_pdf(store, actor, session_id, lang=lang, record=not no_record)
    write_output(pdf, output)
    if output != "-":
        click.echo(f"aftercare handout for session {session_id} written to {output} "
                   f"({len(pdf) // 1024} KiB)", err=True)


@handout.command()
@click.option("-o", "--output", required=True, help="PDF file to write (- for stdout).")
@click.option("--lang", type=click.Choice(["nl", "en"]), default="nl", show_default=True)
def leaflet(output: str, lang: str) -> None:
    """The leaflet “Triggerpoints: wat zijn het?” (same text as the page /uitleg)."""
    from knoop.handouts.leaflet import leaflet_pdf

    pdf = leaflet_pdf(lang)
    write_output(pdf, output)
    if output != "-":
        click.echo(f"leaflet written to {output}", err=True)
