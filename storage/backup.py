"""Consistent copies of the SQLite database while Encore runs (``encore backup`` / ``encore restore``).

SQLite's online backup API copies a snapshot page by page, so a backup taken while the coach is writing
is still a consistent database. PostgreSQL has its own tools (``pg_dump``/``pg_restore``).
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import make_url


class BackupError(RuntimeError):
    """A backup or restore cannot be done; the message says why in an operator's words."""


def sqlite_file(url: str) -> Path:
    """The database file behind a SQLite URL; refuses other databases with a hint."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        raise BackupError(
            "encore backup and restore work on the SQLite database. For PostgreSQL use its own tools: "
            "pg_dump -Fc -f encore.dump <database> to back up, pg_restore --clean -d <database> encore.dump "
            "to restore (see deploy/README.md)."
        )
    if not parsed.database or parsed.database == ":memory:":
        raise BackupError("this SQLite database lives in memory; there is no file to back up")
    return Path(parsed.database).expanduser().resolve()


def _copy(source: sqlite3.Connection, target: Path) -> None:
    """Copy ``source`` into a fresh file next to ``target``, then move it into place in one step."""
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    destination = sqlite3.connect(partial)
    try:
        source.backup(destination)
        destination.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
    finally:
        destination.close()
    partial.replace(target)


def backup(url: str, target: Path, *, overwrite: bool = False) -> int:
    """Write a consistent copy of the database to ``target``; returns its size in bytes."""
    database = sqlite_file(url)
    if not database.exists():
        raise BackupError(f"there is no database at {database} to back up")
    if target.exists() and not overwrite:
        raise BackupError(f"{target} already exists; choose another name or pass --force to replace it")
    if not target.parent.is_dir():
        raise BackupError(f"the folder {target.parent} does not exist")
    try:
        source = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
        try:
            _copy(source, target)
        finally:
            source.close()
    except sqlite3.Error as error:
        raise BackupError(f"the backup to {target} failed: {error}") from error
    return target.stat().st_size


def check_backup(path: Path) -> None:
    """Refuse a file that is not an intact Encore database."""
    if not path.is_file():
        raise BackupError(f"there is no backup file at {path}")
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            (verdict,) = connection.execute("PRAGMA quick_check").fetchone()
            tables = {
                row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path} is not a SQLite database ({error})") from error
    if verdict != "ok":
        raise BackupError(f"{path} is damaged: {verdict}")
    if not {"alembic_version", "user"} <= tables:
        raise BackupError(f"{path} is a SQLite database but not an Encore backup")


def restore(url: str, source: Path) -> Path | None:
    """Replace the database with the backup at ``source``. Stop Encore first.

    The database being replaced is first copied aside; returns that copy's path (``None`` if there was no
    database yet).
    """
    database = sqlite_file(url)
    check_backup(source)
    kept: Path | None = None
    if database.exists():
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        kept = database.with_name(f"{database.name}.before-restore-{stamp}")
        backup(url, kept)
    try:
        backup_connection = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        live = sqlite3.connect(database)
        try:
            backup_connection.backup(live)
        finally:
            live.close()
            backup_connection.close()
    except sqlite3.Error as error:
        raise BackupError(f"restoring {source} failed ({error}); is Encore still running?") from error
    return kept
