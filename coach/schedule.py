"""Schedule math for the weekly check-in: pure functions of the user's settings and an instant.

All instants are aware UTC datetimes; local times are computed in the user's IANA zone with zoneinfo, so a
09:00 check-in stays 09:00 local across daylight-saving changes. A local time that does not exist on a day
(spring forward) moves to the next minute that does; one that occurs twice (fall back) is used once, at
its first occurrence.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo


def local_instant(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The first real instant at or after wall-clock ``at`` on ``day`` in ``zone``, in UTC."""
    wall = datetime.combine(day, at)
    for minute in range(0, 24 * 60):
        candidate = (wall + timedelta(minutes=minute)).replace(tzinfo=zone, fold=0)
        back = candidate.astimezone(UTC).astimezone(zone)
        if back.replace(tzinfo=None) == candidate.replace(tzinfo=None):
            return candidate.astimezone(UTC)
    raise ValueError(f"no valid local time on {day} in {zone}")  # pragma: no cover - no zone skips a day


def next_weekly(
    *,
    after: datetime,
    timezone: str,
    weekday: int,
    hour: int,
    minute: int = 0,
    not_before: date | None = None,
) -> datetime:
    """The first weekly slot strictly after ``after`` (and on or after local date ``not_before``)."""
    zone = ZoneInfo(timezone)
    local_today = after.astimezone(zone).date()
    start = max(local_today, not_before) if not_before else local_today
    day = start + timedelta(days=(weekday - start.weekday()) % 7)
    while True:
        instant = local_instant(day, time(hour, minute), zone)
        if instant > after:
            return instant
        day += timedelta(days=7)


class _Schedulable(Protocol):
    timezone: str
    checkin_weekday: int | None
    checkin_hour: int | None
    checkin_minute: int
    checkins_paused: bool
    paused_until: date | None
    next_checkin_at: datetime | None


def refresh_next_checkin(user: _Schedulable, now: datetime) -> None:
    """Set ``user.next_checkin_at`` from their settings: ``None`` while paused indefinitely or unset."""
    if (
        user.checkin_weekday is None
        or user.checkin_hour is None
        or (user.checkins_paused and not user.paused_until)
    ):
        user.next_checkin_at = None
        return
    not_before = user.paused_until if user.checkins_paused else None
    user.next_checkin_at = next_weekly(
        after=now,
        timezone=user.timezone,
        weekday=user.checkin_weekday,
        hour=user.checkin_hour,
        minute=user.checkin_minute,
        not_before=not_before,
    )
