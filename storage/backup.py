"""Consistent copies of the SQLite database while Encore runs (``encore backup`` / ``encore restore``).

SQLite's online backup API copies a snapshot page by page, so a backup taken while the coach is writing
is still a consistent database. PostgreSQL has its own tools (``pg_dump``/``pg_restore``).
"""

from __future__ import annotations

import functools
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from alembic import command
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import create_engine, inspect
from sqlalchemy.engine import make_url

from storage.migrate import alembic_config
from storage.processes import holders_of_file


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
        source = _read_only(database)
        try:
            _copy(source, target)
        finally:
            source.close()
    except sqlite3.Error as error:
        raise BackupError(f"the backup to {target} failed: {error}") from error
    return target.stat().st_size


def _read_only(path: Path) -> sqlite3.Connection:
    """Open ``path`` read-only. A file URI, percent-encoded: ``#``, ``?``, spaces or Korean in a folder's
    name are part of the path, not of the URI's syntax."""
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


@functools.cache
def schema_at(revision: str) -> dict[str, frozenset[str]]:
    """Tables and their columns as Encore's migrations leave them at ``revision`` (built in memory)."""
    engine = create_engine("sqlite://")
    try:
        with engine.begin() as connection:
            config = alembic_config()
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
            found = inspect(connection)
            return {
                table: frozenset(column["name"] for column in found.get_columns(table))
                for table in found.get_table_names()
            }
    finally:
        engine.dispose()


def _schema_of(connection: sqlite3.Connection) -> tuple[str | None, dict[str, frozenset[str]]]:
    tables = [row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    schema = {
        table: frozenset(row[1] for row in connection.execute(f'PRAGMA table_info("{table}")'))
        for table in tables
    }
    revision = None
    if "alembic_version" in schema:
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        revision = str(row[0]) if row else None
    return revision, schema


def check_backup(path: Path) -> str:
    """Refuse a file that is not an intact Encore database of a schema we know; returns its revision.

    The revision is read from the backup, and every table and column Encore's migrations create up to that
    revision must be there (a file with a plausible name and two empty tables is not a backup).
    """
    if not path.is_file():
        raise BackupError(f"there is no backup file at {path}")
    try:
        connection = _read_only(path)
        try:
            (verdict,) = connection.execute("PRAGMA quick_check").fetchone()
            revision, schema = _schema_of(connection)
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path} is not a SQLite database ({error})") from error
    if verdict != "ok":
        raise BackupError(f"{path} is damaged: {verdict}")
    if revision is None or "user" not in schema:
        raise BackupError(f"{path} is a SQLite database but not an Encore backup")
    try:
        ScriptDirectory.from_config(alembic_config()).get_revision(revision)
    except CommandError:
        raise BackupError(
            f"{path} has schema {revision!r}, which this Encore does not know (made by a newer one?)"
        ) from None
    missing: list[str] = []
    for table, columns in sorted(schema_at(revision).items()):
        if table not in schema:
            missing.append(table)
        else:
            missing += [f"{table}.{column}" for column in sorted(columns - schema[table])]
    if missing:
        shown = ", ".join(missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
        raise BackupError(f"{path} claims schema {revision} but lacks {shown}: it is not a whole backup")
    return revision


def refuse_while_running(database: Path, now: datetime) -> None:
    """Refuse when an Encore process holds a lease on the database file (see :mod:`storage.processes`)."""
    if not database.exists():
        return
    try:
        connection = _read_only(database)
        try:
            running = holders_of_file(connection, now)
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        raise BackupError(f"cannot read {database} to see whether Encore runs on it ({error})") from error
    if running:
        raise BackupError(
            f"Encore is running on {database}: "
            + "; ".join(holder.describe(now) for holder in running)
            + ". Stop it first (a process that was killed is forgotten 35 s after its last sign of life)."
        )


def restore(url: str, source: Path) -> Path | None:
    """Replace the database with the backup at ``source``; refused while Encore runs on it.

    Nothing is touched before the backup is checked (:func:`check_backup`). The database being replaced
    is first copied aside; returns that copy's path (``None`` if there was no
    database yet).
    """
    database = sqlite_file(url)
    refuse_while_running(database, datetime.now(UTC))
    check_backup(source)
    kept: Path | None = None
    if database.exists():
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        kept = database.with_name(f"{database.name}.before-restore-{stamp}")
        backup(url, kept)
    try:
        backup_connection = _read_only(source)
        live = sqlite3.connect(database)
        try:
            backup_connection.backup(live)
        finally:
            live.close()
            backup_connection.close()
    except sqlite3.Error as error:
        raise BackupError(f"restoring {source} failed ({error}); is Encore still running?") from error
    return kept
