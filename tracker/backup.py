"""Backups of the SQLite database with its online backup API, checked after copying."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.engine import make_url

from tracker.db import db


class BackupError(Exception):
    """The copy could not be made or did not pass the integrity check."""


def sqlite_path() -> Path:
    """The file of the app's SQLite database; BackupError for other databases."""
    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        raise BackupError("not a SQLite file database: use pg_dump for PostgreSQL")
    return Path(url.database)


def backup_sqlite(source: Path, target: Path, pages_per_step: int = 256) -> None:
    """Copy ``source`` to ``target`` while the app keeps writing, then check the copy."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    src = sqlite3.connect(source, timeout=30)
    dst = sqlite3.connect(partial)
    try:
        # Step-wise: writers get the database between steps; changes restart the copy.
        src.backup(dst, pages=pages_per_step)
        result = dst.execute("PRAGMA integrity_check").fetchone()[0]
        dst.execute("PRAGMA journal_mode=DELETE")
    finally:
        dst.close()
        src.close()
    if result != "ok":
        partial.unlink(missing_ok=True)
        raise BackupError(f"integrity check of the copy failed: {result}")
    partial.replace(target)


@click.command("backup")
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(target: Path) -> None:
    """Copy the SQLite database to TARGET while the app runs, and check the copy."""
    try:
        source = sqlite_path()
        db.session.remove()
        backup_sqlite(source, target)
    except (BackupError, sqlite3.Error, OSError) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Backup written to {target} and checked (integrity_check ok).")
