"""Requests from a platform taken once, whichever replica receives them and however often they come.

A request's key (a Slack event id, a slash command's signature) is inserted before the request is handled;
the insert that finds the key already there means the request was taken before (a retry, a replay, the
same event delivered to two replicas), and it is only acknowledged. Keys are kept for a while and then
swept away: by then the platform has stopped retrying and a replayed signature has gone stale.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CursorResult, delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage.models import DeliveryReceipt


async def take(session: AsyncSession, key: str, now: datetime) -> bool:
    """True if this is the first time ``key`` is taken; False if it was taken before."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    result = await session.execute(
        insert(DeliveryReceipt).values(key=key, received_at=now).on_conflict_do_nothing()
    )
    assert isinstance(result, CursorResult)
    return result.rowcount == 1


async def forget_before(session: AsyncSession, before: datetime) -> int:
    """Drop the keys taken before ``before``; returns how many."""
    result = await session.execute(delete(DeliveryReceipt).where(col(DeliveryReceipt.received_at) < before))
    assert isinstance(result, CursorResult)
    return result.rowcount
