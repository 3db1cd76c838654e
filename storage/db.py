"""The async engine and the one-session-per-event unit of work."""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

import storage.models  # noqa: F401  (registers every table)
import storage.plan  # noqa: F401  (keeps pause and plan history as rows change)
from storage import sqlite_driver

log = logging.getLogger(__name__)

BUSY_TIMEOUT_SECONDS = 10.0
ERASED = "erased"  # set in a session's info by a user's erasure: empty the WAL after the commit
CHECKPOINT_ATTEMPTS = 20
CHECKPOINT_PAUSE = 0.01


def connection_lost(error: BaseException) -> bool:
    """``error`` came from a connection found dead (a server restart, a dropped network); the pool has
    already let it and every older connection go, so a new attempt gets a fresh one."""
    return isinstance(error, DBAPIError) and error.connection_invalidated


# Deadlock detected, serialization failure, lock not available: the transaction was rolled back whole,
# so running it again from the start is safe and usually succeeds (the other side has finished).
_CONFLICTS = {"40P01", "40001", "55P03"}


def transaction_conflict(error: BaseException) -> bool:
    """``error`` is PostgreSQL's answer to two transactions that wanted each other's rows."""
    return isinstance(error, DBAPIError) and getattr(error.orig, "sqlstate", None) in _CONFLICTS


class DatabaseError(RuntimeError):
    """The database cannot be used as configured; the message says why in an operator's words."""


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    # Deleted rows are overwritten with zeros, not just marked free: an erased user's words must not
    # linger in free space of the file (and, after the checkpoint that follows an erase, of the WAL).
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def check_sqlite_path(url: str) -> None:
    """Fail early, in plain words, when a SQLite file cannot be created or written."""
    parsed = make_url(url)
    if not parsed.get_backend_name() == "sqlite" or not parsed.database or parsed.database == ":memory:":
        return
    path = Path(parsed.database).expanduser().resolve()
    folder = path.parent
    if not folder.is_dir():
        raise DatabaseError(
            f"The database folder {folder} does not exist. Create it or set ENCORE_DATABASE_URL."
        )
    target = path if path.exists() else folder
    # Root may write anywhere, so the write bits are checked too: a folder marked read-only stays so.
    if not os.access(target, os.W_OK) or not target.stat().st_mode & 0o222:
        raise DatabaseError(
            f"Encore cannot write its database at {path}: the "
            f"{'file' if path.exists() else 'folder'} is read-only. "
            "Choose a writable place with ENCORE_DATABASE_URL."
        )


class Database:
    """Owns the engine; hands out one session (one transaction) per chat event.

    ``url`` is an SQLAlchemy async URL (``sqlite+aiosqlite:///./encore.db``,
    ``postgresql+asyncpg://user@host/db``). On SQLite, ``busy_timeout`` is how many seconds a statement
    waits while another connection (another process, say) holds the write lock, before it fails.
    """

    def __init__(self, url: str, *, echo: bool = False, busy_timeout: float = BUSY_TIMEOUT_SECONDS) -> None:
        # Every engine hides bound parameters: they are users' words, and a failing statement's error
        # (logged, raised, shown in a traceback) would otherwise quote them as "[parameters: ...]".
        self.url = url
        parsed = make_url(url)
        backend = parsed.get_backend_name()
        self.is_sqlite = backend == "sqlite"
        if self.is_sqlite:
            check_sqlite_path(url)
            self.engine: AsyncEngine = create_async_engine(
                url,
                echo=echo,
                hide_parameters=True,
                connect_args={"timeout": busy_timeout},
                **({"module": sqlite_driver.dbapi()} if parsed.get_driver_name() == "aiosqlite" else {}),
            )
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
        else:
            # No ping before each checkout: with asyncpg it is three round trips (BEGIN, ping, ROLLBACK),
            # as many as the rest of a chat event. A connection found dead (the server restarted) makes
            # the pool replace every older one, and the coach tries such an event again (Coach.handle).
            self.engine = create_async_engine(
                url, echo=echo, hide_parameters=True, pool_size=10, max_overflow=20
            )
        self._sessions = async_sessionmaker(self.engine, expire_on_commit=False)

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        """A session whose work is committed when the block ends, rolled back if it raises.

        A session that erased a user (see :func:`storage.erase.erase_user`) also empties SQLite's WAL
        once committed, so the erased words are gone from every file while the process keeps running.
        """
        async with self._sessions() as session:
            async with session.begin():
                yield session
            if session.info.get(ERASED) and self.is_sqlite:
                await self.checkpoint()

    async def checkpoint(self) -> bool:
        """SQLite: copy the WAL into the database file and truncate it to nothing. True when done.

        Other connections still reading an older snapshot keep the WAL alive; the checkpoint is then tried
        again briefly (those reads take milliseconds) before giving up with a warning.
        """
        for attempt in range(CHECKPOINT_ATTEMPTS):
            async with self.engine.connect() as connection:
                outcome = (await connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")).one()
            if not outcome[0]:  # (busy, WAL frames, frames copied)
                return True
            await asyncio.sleep(CHECKPOINT_PAUSE * (attempt + 1))
        log.warning("could not empty the SQLite WAL after an erase: other connections kept reading")
        return False

    async def dispose(self) -> None:
        await self.engine.dispose()
