"""SQLAlchemy's aiosqlite adapter, made to run a statement where it costs least.

aiosqlite runs every sqlite3 call on a thread of its own, and SQLAlchemy's adapter makes four such calls
per statement (open a cursor, execute, fetch, close), each a queue hand-off, a wake-up of the event loop
and a fight for the GIL. For the coach's small statements on a local file that costs far more than the
SQL. Here a statement runs start to finish on the event loop's thread, which takes microseconds, as long
as SQLite can take it at once. When another connection or process holds the lock, SQLite says "busy"
before doing anything; the statement then goes to aiosqlite's thread and waits there, up to the
connection's ``timeout``, so the loop never sleeps on a lock. Commits and rollbacks with no transaction
open (every read-only event) are skipped, as sqlite3 itself would skip them, without the trip.

Used by :class:`storage.db.Database` for ``sqlite+aiosqlite`` URLs, through ``create_async_engine``'s
``module`` argument. It leans on ``aiosqlite.Connection._execute`` and ``_conn`` as SQLAlchemy's own
adapter does, so aiosqlite is pinned in ``constraints.txt``.
"""

from __future__ import annotations

import sqlite3
from collections import deque
from collections.abc import Callable, Sequence
from typing import Any, TypeVar, cast

import aiosqlite
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
    AsyncAdapt_aiosqlite_dbapi,
)
from sqlalchemy.util import EMPTY_DICT
from sqlalchemy.util.concurrency import await_

T = TypeVar("T")
Outcome = tuple[Any, int, int | None, list[Any]]  # description, rowcount, lastrowid, rows

DEFAULT_TIMEOUT = 5.0  # seconds to wait for a busy database, as sqlite3.connect's own default


def _run(connection: sqlite3.Connection, operation: str, parameters: Any, many: bool) -> Outcome:
    """One statement from start to finish."""
    cursor = connection.cursor()
    try:
        if many:
            cursor.executemany(operation, parameters)
        else:
            cursor.execute(operation, parameters)
        description = cursor.description
        rows = cursor.fetchall() if description else []
        return description, cursor.rowcount, cursor.lastrowid, rows
    finally:
        cursor.close()


def _is_busy(error: Exception) -> bool:
    """SQLite refused to start because another connection holds a lock (nothing was done)."""
    return (
        isinstance(error, sqlite3.OperationalError)
        and getattr(error, "sqlite_errorcode", 0) & 0xFF == sqlite3.SQLITE_BUSY
    )


def _patiently(connection: sqlite3.Connection, timeout: float, call: Callable[[], T]) -> T:
    """``call()`` with SQLite's busy handler waiting up to ``timeout`` seconds (on aiosqlite's thread)."""
    connection.execute(f"PRAGMA busy_timeout={int(timeout * 1000)}")
    try:
        return call()
    finally:
        connection.execute("PRAGMA busy_timeout=0")


class _Cursor(AsyncAdapt_aiosqlite_cursor):
    """A DBAPI cursor whose results arrive whole with the statement (nothing is left open)."""

    __slots__ = ("_description", "_rowcount", "_lastrowid")

    _adapt_connection: _Connection

    def __init__(self, adapt_connection: AsyncAdapt_aiosqlite_connection) -> None:
        # Deliberately not super().__init__: that opens an aiosqlite cursor, a thread trip of its own.
        self._adapt_connection = cast(_Connection, adapt_connection)
        self._connection = adapt_connection._connection
        self._cursor = None  # type: ignore[assignment]
        self._soft_closed_memoized = EMPTY_DICT
        self._rows = deque()
        self._description: Any = None
        self._rowcount = -1
        self._lastrowid: int | None = None

    @property
    def description(self) -> Any:
        return self._description

    @property
    def rowcount(self) -> int:
        return self._rowcount

    @property
    def lastrowid(self) -> int:
        return self._lastrowid  # type: ignore[return-value]

    @property
    def arraysize(self) -> int:
        return 1

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        """Rows are fetched whole; the hint changes nothing."""

    async def _async_soft_close(self) -> None:
        """Nothing is held open between statements."""

    def close(self) -> None:
        self._rows.clear()

    def execute(self, operation: Any, parameters: Any = None) -> Any:
        self._run(operation, () if parameters is None else parameters, many=False)

    def executemany(self, operation: Any, seq_of_parameters: Sequence[Any]) -> Any:
        self._run(operation, seq_of_parameters, many=True)

    def _run(self, operation: str, parameters: Any, *, many: bool) -> None:
        adapted = self._adapt_connection
        try:
            raw: sqlite3.Connection = self._connection._conn
            outcome = adapted.call(_run, raw, operation, parameters, many)
        except Exception as error:
            adapted._handle_exception(error)
        self._description, self._rowcount, self._lastrowid, rows = outcome
        self._rows = deque(rows)


class _Connection(AsyncAdapt_aiosqlite_connection):
    """An aiosqlite connection that runs statements, commits and rollbacks on the loop when it can."""

    __slots__ = ("_timeout",)

    def __init__(self, dbapi: Any, connection: Any, timeout: float) -> None:
        super().__init__(dbapi, connection)
        self._timeout = timeout

    def cursor(self, server_side: bool = False) -> Any:
        return self._ss_cursor_cls(self) if server_side else _Cursor(self)

    def commit(self) -> None:
        self._end(lambda connection: connection.commit())

    def rollback(self) -> None:
        self._end(lambda connection: connection.rollback())

    def _end(self, finish: Callable[[sqlite3.Connection], None]) -> None:
        raw = self._connection._connection
        if raw is None or not raw.in_transaction:
            return  # sqlite3 would do nothing either
        try:
            self.call(finish, raw)
        except Exception as error:
            self._handle_exception(error)

    def call(self, function: Callable[..., T], *args: Any) -> T:
        """``function(*args)`` now, or on aiosqlite's thread once the database is free."""
        result: T = await_(self._call(function, *args))
        return result

    async def _call(self, function: Callable[..., T], *args: Any) -> T:
        # A coroutine that usually returns without suspending: SQLAlchemy sees an async driver.
        try:
            return function(*args)
        except sqlite3.OperationalError as error:
            if not _is_busy(error):
                raise
        raw: sqlite3.Connection = self._connection._conn
        result: T = await self._connection._execute(_patiently, raw, self._timeout, lambda: function(*args))
        return result


class OneTripDBAPI(AsyncAdapt_aiosqlite_dbapi):
    """The DBAPI module handed to SQLAlchemy: aiosqlite, with statements run by :class:`_Connection`.

    The ``timeout`` connect argument is how long a statement waits for a busy database (default 5 s).
    """

    def connect(self, *arg: Any, **kw: Any) -> _Connection:
        timeout = float(kw.pop("timeout", DEFAULT_TIMEOUT))
        # The loop's thread and aiosqlite's take turns on the connection, never at once.
        kw.update(timeout=0, check_same_thread=False)
        adapted = super().connect(*arg, **kw)
        return _Connection(self, adapted._connection, timeout)


def dbapi() -> OneTripDBAPI:
    return OneTripDBAPI(aiosqlite, sqlite3)
