"""``knoop chart``: render the body chart and muscle diagrams."""

import click


@click.group()
def chart() -> None:
    """Lichaamskaart (body chart)."""
