"""The Telegram inbox: updates written down before they are acknowledged, until they have been handled.

A process writes each update it receives here (claimed by itself) before Telegram hears that it arrived,
and deletes it once handled. What a killed process left behind is claimed by another process once the
claim is older than the lease: on PostgreSQL with ``FOR UPDATE SKIP LOCKED``, so two replicas never take
the same rows; on SQLite with a conditional update (one writer at a time). Taking an update over after it
was handled changes nothing: the coach takes each update once (see :mod:`storage.receipts`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import delete, func, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from storage.models import TelegramInbox


async def put(session: AsyncSession, updates: Sequence[tuple[int, str]], worker: str, now: datetime) -> None:
    """Write ``(update_id, payload)`` pairs claimed by ``worker``. An update Telegram delivered again that
    is still here keeps its row and its claim."""
    if not updates:
        return
    await _no_wait_for_disk(session)
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    rows = [
        {
            "update_id": update_id,
            "payload": payload,
            "received_at": now,
            "claimed_by": worker,
            "claimed_at": now,
        }
        for update_id, payload in updates
    ]
    await session.execute(insert(TelegramInbox).on_conflict_do_nothing(), rows)


async def take_over(
    session: AsyncSession, worker: str, now: datetime, older_than: datetime, limit: int = 100
) -> list[tuple[int, str]]:
    """Claim for ``worker`` up to ``limit`` updates whose claim is older than ``older_than`` (their process
    died), oldest update first; returns ``(update_id, payload)`` pairs."""
    stale = (
        select(TelegramInbox.update_id)
        .where(col(TelegramInbox.claimed_at) < older_than, col(TelegramInbox.claimed_by) != worker)
        .order_by(col(TelegramInbox.update_id))
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        stale = stale.with_for_update(skip_locked=True)
    result = await session.execute(
        update(TelegramInbox)
        .where(col(TelegramInbox.update_id).in_(stale.scalar_subquery()))
        .where(col(TelegramInbox.claimed_at) < older_than)
        .values(claimed_by=worker, claimed_at=now)
        .returning(col(TelegramInbox.update_id))
        .execution_options(synchronize_session=False)
    )
    taken = sorted(result.scalars())
    if not taken:
        return []
    # The payload is read through its column type (decrypted), not from the UPDATE's raw RETURNING.
    rows = await session.execute(
        select(TelegramInbox.update_id, TelegramInbox.payload)
        .where(col(TelegramInbox.update_id).in_(taken))
        .order_by(col(TelegramInbox.update_id))
    )
    return [(int(update_id), str(payload)) for update_id, payload in rows]


async def done(session: AsyncSession, update_ids: Sequence[int]) -> None:
    """The updates were handled: their rows go."""
    if update_ids:
        await _no_wait_for_disk(session)
        await session.execute(delete(TelegramInbox).where(col(TelegramInbox.update_id).in_(update_ids)))


async def waiting(session: AsyncSession) -> int:
    """How many updates are written down and not yet handled."""
    result = await session.execute(select(func.count()).select_from(TelegramInbox))
    return int(result.scalar_one())


async def release(session: AsyncSession, worker: str) -> None:
    """``worker`` stops: what it still holds may be taken over at once."""
    await session.execute(
        update(TelegramInbox)
        .where(col(TelegramInbox.claimed_by) == worker)
        .values(claimed_at=datetime(1970, 1, 1, tzinfo=UTC))
        .execution_options(synchronize_session=False)
    )


async def _no_wait_for_disk(session: AsyncSession) -> None:
    """On PostgreSQL, commit without waiting for the WAL flush. The inbox guards against an Encore process
    dying, which a committed row survives at once; only a crash of the database server itself in the
    fraction of a second before the WAL writer flushes could lose it. An fsync per update would cost chat
    throughput for no gain against kills."""
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(text("SET LOCAL synchronous_commit TO OFF"))
