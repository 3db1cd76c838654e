"""A user's own check-in slots, read by flows: the one a button names, the newest, all of them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from storage.models import CheckinSlot


async def slot_for_update(session: AsyncSession, slot_id: int, user_id: int) -> CheckinSlot | None:
    """The user's slot ``slot_id``, locked; ``None`` if it does not exist or is someone else's."""
    slot = await session.get(CheckinSlot, slot_id, with_for_update=True)
    return slot if slot is not None and slot.user_id == user_id else None


async def latest_slot(session: AsyncSession, user_id: int) -> CheckinSlot | None:
    """The user's newest check-in (the one a snooze said in words is about), if any."""
    result = await session.execute(
        select(CheckinSlot)
        .where(CheckinSlot.user_id == user_id)
        .order_by(col(CheckinSlot.slot_at).desc())
        .limit(1)
    )
    return result.scalars().first()


async def latest_slot_at(session: AsyncSession, user_id: int) -> datetime | None:
    result = await session.execute(
        select(func.max(CheckinSlot.slot_at)).where(CheckinSlot.user_id == user_id)
    )
    return result.scalar_one_or_none()


async def slots_of(session: AsyncSession, user_id: int) -> list[CheckinSlot]:
    """A user's check-ins, oldest first."""
    result = await session.execute(
        select(CheckinSlot).where(CheckinSlot.user_id == user_id).order_by(col(CheckinSlot.slot_at))
    )
    return list(result.scalars())
