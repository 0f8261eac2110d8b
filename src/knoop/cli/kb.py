"""``knoop kb``: validate, show and report on the knowledge base."""

from __future__ import annotations

from pathlib import Path

import click


@click.group()
def kb() -> None:
    """Kennisbank: spieren, triggerpunten en uitstralingsgebieden (knowledge base)."""


@kb.command()
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
def validate(files: tuple[Path, ...]) -> None:
    """Validate the shipped knowledge base, or the given muscle FILES."""
    from knoop.kb.loader import packaged_files, validate_all

    items = ([(str(p), p.read_text(encoding="utf-8")) for p in files] if files
             else packaged_files())
    errors = validate_all(items)
    for err in errors:
        click.echo(f"error: {err.message}", err=True)
    if errors:
        click.echo(f"{len(errors)} of {len(items)} files invalid", err=True)
        raise SystemExit(2)
    click.echo(f"ok: {len(items)} files valid")


@kb.command()
@click.argument("muscle")
@click.option("--lang", type=click.Choice(["nl", "en"]), default="nl", show_default=True,
              help="Language of the text.")
def show(muscle: str, lang: str) -> None:
    """Show one MUSCLE (ID, Dutch, English or Latin name)."""
    from knoop.kb import knowledge_base
    from knoop.kb.text import muscle_text

    base = knowledge_base()
    click.echo(muscle_text(base, base.find(muscle), lang))


@kb.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
def coverage(fmt: str) -> None:
    """Counts: muscles, trigger points, regions no muscle refers to, symptoms no muscle causes."""
    import json

    from knoop.kb import knowledge_base
    from knoop.kb.coverage import coverage_report

    report = coverage_report(knowledge_base())
    if fmt == "json":
        click.echo(json.dumps(report, indent=2, ensure_ascii=False))
        return
    for key, value in report.items():
        if isinstance(value, list):
            click.echo(f"{key}: {len(value)}" + (f"  ({', '.join(value)})" if value else ""))
        else:
            click.echo(f"{key}: {value}")
