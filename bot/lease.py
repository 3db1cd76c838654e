"""The lease a long-running Encore process holds on its database (see :mod:`storage.processes`).

Held by ``encore run``, ``encore chat`` and ``encore nudges send-due`` while they work, so that
``encore restore`` can refuse to replace the database under them.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta

from storage import processes
from storage.db import Database

log = logging.getLogger(__name__)


def utc_now() -> datetime:
    return datetime.now(UTC)


class ProcessLease:
    """A :class:`bot.runner.Service`: takes the lease at start, renews it every ``beat_every``, gives it
    back at stop. ``clock`` is real time (never a test's fake coaching clock: other processes read it)."""

    name = "lease"

    def __init__(
        self,
        database: Database,
        command: str,
        *,
        beat_every: timedelta = processes.BEAT_EVERY,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.database = database
        self.command = command
        self.beat_every = beat_every
        self.clock = clock
        self.lease_id: str | None = None
        self._beating: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self.lease_id = await processes.take(self.database, self.command, self.clock())
        self._beating = asyncio.create_task(self._beat(self.lease_id))

    async def stop(self) -> None:
        if self._beating is not None:
            self._beating.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._beating
            self._beating = None
        if self.lease_id is not None:
            await processes.release(self.database, self.lease_id)
            self.lease_id = None

    async def _beat(self, lease_id: str) -> None:
        while True:
            await asyncio.sleep(self.beat_every.total_seconds())
            try:
                await processes.renew(self.database, lease_id, self.command, self.clock())
            except Exception as error:  # the database may be away for a moment; the next beat retries
                log.warning("could not renew this process's lease (%s)", type(error).__name__)


@contextlib.asynccontextmanager
async def holding_lease(database: Database, command: str) -> AsyncIterator[ProcessLease]:
    lease = ProcessLease(database, command)
    await lease.start()
    try:
        yield lease
    finally:
        await lease.stop()
