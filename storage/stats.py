"""The operator's view (``encore stats``): how many people use Encore, and how many come back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased
from sqlmodel import col

from storage.activity import week_of
from storage.models import ActiveWeek, CheckinSlot, User


@dataclass(frozen=True, slots=True)
class UserCounts:
    total: int
    active_7_days: int
    active_30_days: int


@dataclass(frozen=True, slots=True)
class WeekRetention:
    """Of the users active in the week before ``week``, how many were active again in ``week``."""

    week: date
    active: int
    previous_active: int
    returned: int

    @property
    def rate(self) -> float | None:
        return self.returned / self.previous_active if self.previous_active else None


async def user_counts(session: AsyncSession, now: datetime) -> UserCounts:
    seen = col(User.last_seen_at)
    result = await session.execute(
        select(
            func.count(),
            func.count().filter(seen >= now - timedelta(days=7)),
            func.count().filter(seen >= now - timedelta(days=30)),
        ).select_from(User)
    )
    total, week, month = result.one()
    return UserCounts(int(total), int(week), int(month))


async def weekly_retention(session: AsyncSession, now: datetime, weeks: int) -> list[WeekRetention]:
    """The last ``weeks`` weeks, oldest first, the current (unfinished) week last."""
    this_week = week_of(now)
    starts = [this_week - timedelta(weeks=n) for n in range(weeks, -1, -1)]
    week = col(ActiveWeek.week)
    counted = await session.execute(select(week, func.count()).where(week >= starts[0]).group_by(week))
    active: dict[date, int] = {row[0]: int(row[1]) for row in counted}
    returned: dict[date, int] = {}
    for start in starts[1:]:
        before, after = aliased(ActiveWeek), aliased(ActiveWeek)
        result = await session.execute(
            select(func.count())
            .select_from(after)
            .join(
                before,
                and_(
                    col(before.user_id) == col(after.user_id),
                    col(before.week) == start - timedelta(weeks=1),
                ),
            )
            .where(col(after.week) == start)
        )
        returned[start] = int(result.scalar_one())
    return [
        WeekRetention(
            week=start,
            active=active.get(start, 0),
            previous_active=active.get(start - timedelta(weeks=1), 0),
            returned=returned.get(start, 0),
        )
        for start in starts[1:]
    ]


@dataclass(frozen=True, slots=True)
class CheckinAnswers:
    sent: int
    answered: int
    uncertain: int = 0  # perhaps delivered (a timeout, or the process died mid-send); never resent

    @property
    def rate(self) -> float | None:
        return self.answered / self.sent if self.sent else None


async def checkin_answers(session: AsyncSession, since: datetime, stale_before: datetime) -> CheckinAnswers:
    """Weekly check-ins sent since ``since``, and how many the person wrote back to.

    A check-in counts as answered once the scheduler noticed the person wrote to the coach after it
    arrived (at the follow-up, or when the next week's check-in begins).
    """
    sent_at, answered_at = col(CheckinSlot.sent_at), col(CheckinSlot.answered_at)
    result = await session.execute(select(func.count(), func.count(answered_at)).where(sent_at >= since))
    sent, answered = result.one()
    # Uncertain: the send timed out after the request went out, or the process sending it stopped before
    # it heard back (the slot is still marked in flight, and nobody will take it over).
    timed_out = (col(CheckinSlot.reason) == "uncertain") & (sent_at >= since)
    cut_off = (
        (col(CheckinSlot.status) == "claimed")
        & (col(CheckinSlot.reason) == "in_flight")
        & (col(CheckinSlot.claimed_at) >= since)
        & (col(CheckinSlot.claimed_at) < stale_before)
    )
    result = await session.execute(select(func.count()).where(timed_out | cut_off))
    return CheckinAnswers(int(sent), int(answered), int(result.scalar_one()))
