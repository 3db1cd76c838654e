"""Leases of the Encore processes working on a database, so that nobody restores a backup under them.

``encore run`` and ``encore chat`` hold a lease (a :class:`~storage.models.RunningProcess` row) while they
run: they renew it every :data:`BEAT_EVERY` and delete it when they stop. A lease not renewed for
:data:`LEASE` belongs to a process that died (killed, or its machine lost). The same rows serve SQLite and
PostgreSQL, and another machine can see them.
"""

from __future__ import annotations

import os
import socket
import sqlite3
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import CursorResult, delete, update
from sqlmodel import col, select

from storage.db import Database
from storage.models import RunningProcess

BEAT_EVERY = timedelta(seconds=10)
LEASE = timedelta(seconds=35)  # three beats and some slack


@dataclass(frozen=True, slots=True)
class Holder:
    """A process seen working on the database: what it runs, where, and when it last renewed its lease."""

    command: str
    host: str
    pid: int
    beat_at: datetime

    def describe(self, now: datetime) -> str:
        seconds = max(0, int((now - self.beat_at).total_seconds()))
        return f"encore {self.command} (pid {self.pid} on {self.host}, seen {seconds} s ago)"


async def take(database: Database, command: str, now: datetime, lease_id: str | None = None) -> str:
    """Register this process (running ``command``); returns its lease id."""
    lease_id = lease_id or str(uuid.uuid4())
    async with database.session() as session:
        session.add(
            RunningProcess(
                id=lease_id,
                command=command[:16],
                host=socket.gethostname()[:255],
                pid=os.getpid(),
                started_at=now,
                beat_at=now,
            )
        )
    return lease_id


async def renew(database: Database, lease_id: str, command: str, now: datetime) -> None:
    """Renew the lease (taking it again if it was swept meanwhile); long-dead leases of others go."""
    async with database.session() as session:
        renewed = await session.execute(
            update(RunningProcess).where(col(RunningProcess.id) == lease_id).values(beat_at=now)
        )
        await session.execute(delete(RunningProcess).where(col(RunningProcess.beat_at) < now - LEASE * 10))
    assert isinstance(renewed, CursorResult)
    if renewed.rowcount == 0:
        await take(database, command, now, lease_id)


async def release(database: Database, lease_id: str) -> None:
    async with database.session() as session:
        await session.execute(delete(RunningProcess).where(col(RunningProcess.id) == lease_id))


async def holders(database: Database, now: datetime) -> list[Holder]:
    """The processes whose lease is alive at ``now``."""
    async with database.session() as session:
        rows = await session.execute(select(RunningProcess).where(col(RunningProcess.beat_at) >= now - LEASE))
        return [Holder(p.command, p.host, p.pid, p.beat_at) for p in rows.scalars()]


def holders_of_file(connection: sqlite3.Connection, now: datetime) -> list[Holder]:
    """:func:`holders` for a SQLite file opened with :mod:`sqlite3` (``encore restore`` works with those)."""
    try:
        rows = connection.execute("SELECT command, host, pid, beat_at FROM runningprocess").fetchall()
    except sqlite3.OperationalError:  # no such table
        return []
    found = []
    for command, host, pid, beat_at in rows:
        beat = datetime.fromisoformat(str(beat_at)).replace(tzinfo=UTC)
        if beat >= now - LEASE:
            found.append(Holder(str(command), str(host), int(pid), beat))
    return found
