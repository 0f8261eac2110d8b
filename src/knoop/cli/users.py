"""``knoop practice create|list`` and ``knoop user create|list|password|totp|deactivate``."""

from __future__ import annotations

import sys

import click

from knoop.cli.db import open_store


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt("Wachtwoord / password", hide_input=True, confirmation_prompt=True)


@click.group()
def practice() -> None:
    """Practices (tenants). / Praktijken."""


@practice.command("create")
@click.argument("name")
@click.option("--city", default="", help="Vestigingsplaats / city.")
def practice_create(name: str, city: str) -> None:
    """Create a practice named NAME; prints its ID."""
    p = open_store().create_practice(name, city)
    click.echo(f"practice {p.id} created: {p.name}" + (f" ({p.city})" if p.city else ""))


@practice.command("list")
def practice_list() -> None:
    """List the practices."""
    for p in open_store().practices():
        click.echo(f"{p.id:>4}  {p.name}" + (f" ({p.city})" if p.city else ""))


@click.group()
def user() -> None:
    """User accounts (therapist, admin). / Gebruikers."""


@user.command("create")
@click.option("--practice", "practice_id", type=int, required=True, help="Practice ID.")
@click.option("--email", required=True)
@click.option("--role", type=click.Choice(["therapist", "admin"]), required=True)
@click.option("--name", default="", help="Full name.")
@click.option("--password-stdin", is_flag=True,
              help="Read the password from the first line of standard input.")
def user_create(practice_id: int, email: str, role: str, name: str,
                password_stdin: bool) -> None:
    """Create a user; the password is asked for (or read with --password-stdin)."""
    store = open_store()
    store.practice(practice_id)
    u = store.create_user(practice_id, email, role, _password(password_stdin), name=name)
    click.echo(f"user {u.id} created: {u.email} ({u.role}) in practice {u.practice_id}")


@user.command("list")
def user_list() -> None:
    """List all users."""
    for u in open_store().all_users():
        flags = ("" if u.active else " inactive") + (" 2fa" if u.totp_enabled else "")
        click.echo(f"{u.id:>4}  {u.email:<36} {u.role:<10} practice {u.practice_id}{flags}")


@user.command("password")
@click.argument("email")
@click.option("--password-stdin", is_flag=True)
def user_password(email: str, password_stdin: bool) -> None:
    """Set a new password (logs the user out everywhere)."""
    store = open_store()
    u = store.user_by_email(email)
    store.set_password(None, u.id, _password(password_stdin))
    click.echo(f"password of {u.email} changed; existing logins ended")


@user.command("totp")
@click.argument("email")
@click.option("--off", is_flag=True, help="Turn the second factor off.")
def user_totp(email: str, off: bool) -> None:
    """Turn on the TOTP second factor; prints the secret and otpauth:// URI once."""
    store = open_store()
    u = store.user_by_email(email)
    if off:
        store.disable_totp(None, u.id)
        click.echo(f"second factor off for {u.email}")
        return
    secret, uri = store.enable_totp(None, u.id)
    click.echo(f"secret: {secret}\nuri:    {uri}\nAdd it to an authenticator app now; it is not "
               "shown again.")


@user.command("deactivate")
@click.argument("email")
def user_deactivate(email: str) -> None:
    """Block a user from logging in (their records stay)."""
    store = open_store()
    u = store.set_active(None, store.user_by_email(email).id, False)
    click.echo(f"{u.email} deactivated")
