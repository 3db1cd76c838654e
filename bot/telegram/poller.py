"""One poller per bot token, however many replicas run: a PostgreSQL advisory lock decides which.

Telegram lets one ``getUpdates`` caller in at a time (a second one ends the first with 409 Conflict, and
updates go to whichever asked last). Each replica asks for the lock, a session-level advisory lock keyed
by the bot's id, on a connection of its own; the one that gets it polls, the others try again every
``retry_every`` seconds and meanwhile do everything else (check-ins, the inbox, HTTP). The server lets
the lock go the moment its connection closes, so when the polling process dies (SIGKILL included)
another takes over within ``retry_every``. A poller that loses its connection stops polling at once: it
can no longer know that nobody else polls.

SQLite is one machine and, in practice, one process: there every process polls (as before).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.db import Database

log = logging.getLogger(__name__)

LOCK_CLASS = 7160  # the first half of the two-part advisory lock key; the bot's id is the second


def bot_key(token: str) -> int:
    """The second half of the lock key: the bot's numeric id (the token's part before the colon)."""
    head = token.split(":", 1)[0]
    return int(head) % 2**31 if head.isdigit() else sum(head.encode()) % 2**31


class PollerLock:
    """The advisory lock for one bot on ``database``; ``check_every`` is how often a holder makes sure its
    connection (and so its lock) is still there."""

    def __init__(self, database: Database, token: str, *, retry_every: float = 1.0) -> None:
        self.database = database
        self.key = bot_key(token)
        self.retry_every = retry_every
        self._connection: AsyncConnection | None = None

    async def acquire(self) -> None:
        """Return once this process holds the lock."""
        announced = False
        while True:
            with contextlib.suppress(Exception):
                if await self._try():
                    log.info("this replica polls Telegram now")
                    return
            if not announced:
                log.info("another replica polls Telegram; this one waits to take over")
                announced = True
            await asyncio.sleep(self.retry_every)

    async def _try(self) -> bool:
        await self.release()
        connection = await self.database.engine.connect()
        try:
            result = await connection.execute(
                text("SELECT pg_try_advisory_lock(:class, :key)"), {"class": LOCK_CLASS, "key": self.key}
            )
            held = bool(result.scalar_one())
            await connection.commit()  # the session lock outlives the transaction
        except BaseException:
            await connection.close()
            raise
        if not held:
            await connection.close()
            return False
        self._connection = connection
        return True

    async def lost(self) -> None:
        """Return when the lock's connection fails (the lock is then gone)."""
        while True:
            await asyncio.sleep(self.retry_every)
            connection = self._connection
            if connection is None:
                return
            try:
                await connection.execute(text("SELECT 1"))
                await connection.commit()
            except Exception as error:
                log.warning("lost the connection that held the poller lock (%s)", type(error).__name__)
                await self.release()
                return

    async def release(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            with contextlib.suppress(Exception):
                # Not back to the pool, where the session (and its lock) would live on: closed for good.
                await connection.invalidate()
                await connection.close()
