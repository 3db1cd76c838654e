"""Which weeks each user was active in: one row per user and week, written on their first event of it."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ActiveWeek


def week_of(instant: datetime) -> date:
    """The Monday (UTC) starting the week that contains ``instant``."""
    day = instant.date()
    return day - timedelta(days=day.weekday())


async def mark_active(session: AsyncSession, user_id: int, now: datetime) -> None:
    """Record that the user was active this week; a second record of the same week is ignored."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    await session.execute(
        insert(ActiveWeek).values(user_id=user_id, week=week_of(now)).on_conflict_do_nothing()
    )
