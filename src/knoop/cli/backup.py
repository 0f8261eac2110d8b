"""``knoop backup FILE`` and ``knoop restore FILE``: encrypted with a passphrase."""

from __future__ import annotations

from pathlib import Path

import click

from knoop.cli.db import open_store


def _passphrase(path: Path | None, confirm: bool) -> str:
    if path is not None:
        return path.read_text(encoding="utf-8").rstrip("\r\n")
    return click.prompt("Wachtwoordzin / passphrase", hide_input=True,
                        confirmation_prompt=confirm)


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--passphrase-file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Read the passphrase (or key) from this file instead of asking.")
def backup(file: Path, passphrase_file: Path | None) -> None:
    """Write an encrypted backup of the records database to FILE (safe while running)."""
    from knoop.store.backup import backup as do_backup

    meta = do_backup(open_store(), file, _passphrase(passphrase_file, True))
    click.echo(f"backup written: {file} ({file.stat().st_size:,} bytes, {meta['backend']}, "
               f"schema {meta['schema']}); keep the passphrase apart from the file")


@click.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--passphrase-file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask before replacing the current data.")
@click.option("--archive-log", type=click.Path(dir_okay=False, path_type=Path),
              help="When the access log has entries newer than the backup: write them to this "
                   "file (and keep them in the restored log) instead of refusing.")
def restore(file: Path, passphrase_file: Path | None, yes: bool,
            archive_log: Path | None) -> None:
    """Replace the records database with the encrypted backup in FILE. Access-log entries
    are never lost, and clients erased since the backup are erased again."""
    from knoop.store.backup import restore as do_restore

    store = open_store(check_schema=False)
    passphrase = _passphrase(passphrase_file, False)
    if not yes:
        click.confirm("Replace ALL current records with the backup?", abort=True)
    header = do_restore(store, file, passphrase, archive_log=archive_log)
    click.echo(f"restored {file} (made {header.get('created')}, schema {header.get('schema')})")
