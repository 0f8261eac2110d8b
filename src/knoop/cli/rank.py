"""``knoop rank`` and ``knoop eval``."""

import click


@click.command()
def rank() -> None:
    """Rank muscles to examine (not yet)."""


@click.command("eval")
def eval_cmd() -> None:
    """Evaluate (not yet)."""
