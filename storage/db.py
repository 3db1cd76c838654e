"""The async engine and the one-session-per-event unit of work."""

from __future__ import annotations

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

BUSY_TIMEOUT_SECONDS = 10.0


def connection_lost(error: BaseException) -> bool:
    """``error`` came from a connection found dead (a server restart, a dropped network); the pool has
    already let it and every older connection go, so a new attempt gets a fresh one."""
    return isinstance(error, DBAPIError) and error.connection_invalidated


class DatabaseError(RuntimeError):
    """The database cannot be used as configured; the message says why in an operator's words."""


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
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
        self.url = url
        parsed = make_url(url)
        backend = parsed.get_backend_name()
        self.is_sqlite = backend == "sqlite"
        if self.is_sqlite:
            check_sqlite_path(url)
            # hide_parameters: bound values can be users' words, and errors with them get logged.
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
            self.engine = create_async_engine(url, echo=echo, pool_size=10, max_overflow=20)
        self._sessions = async_sessionmaker(self.engine, expire_on_commit=False)

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        """A session whose work is committed when the block ends, rolled back if it raises."""
        async with self._sessions() as session:
            async with session.begin():
                yield session

    async def dispose(self) -> None:
        await self.engine.dispose()
