"""Schedule math for the weekly check-in: pure functions of the user's settings and an instant.

All instants are aware UTC datetimes; local times are computed in the user's IANA zone with zoneinfo, so a
09:00 check-in stays 09:00 local across daylight-saving changes. A local time that does not exist on a day
(spring forward) moves to the next minute that does; one that occurs twice (fall back) is used once, at
its first occurrence.

Skipping is done here too: a week whose slot falls on a public holiday of the user's chosen country is
passed over, a pause until a date starts again on that date, and a snoozed check-in comes back after an
hour, three hours, or the next day at the usual time.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from coach.public_holidays import is_public_holiday

# Enough weeks to get past any run of holidays; no country has a holiday on one weekday for a year.
MAX_SKIPPED_WEEKS = 52
SNOOZES = ("1", "3", "tomorrow")


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
    skip_day: Callable[[date], bool] | None = None,
) -> datetime:
    """The first weekly slot strictly after ``after`` (and on or after local date ``not_before``).

    ``skip_day`` passes over the local dates it is true for (public holidays), a week at a time.
    """
    zone = ZoneInfo(timezone)
    local_today = after.astimezone(zone).date()
    start = max(local_today, not_before) if not_before else local_today
    day = start + timedelta(days=(weekday - start.weekday()) % 7)
    skipped = 0
    while True:
        instant = local_instant(day, time(hour, minute), zone)
        if instant > after:
            if skip_day is None or skipped >= MAX_SKIPPED_WEEKS or not skip_day(day):
                return instant
            skipped += 1
        day += timedelta(days=7)


class _Schedulable(Protocol):
    """What scheduling reads of a user (a ``User`` row, or the columns the due-slot query returns)."""

    @property
    def timezone(self) -> str: ...
    @property
    def checkin_weekday(self) -> int | None: ...
    @property
    def checkin_hour(self) -> int | None: ...
    @property
    def checkin_minute(self) -> int: ...
    @property
    def checkins_paused(self) -> bool: ...
    @property
    def paused_until(self) -> date | None: ...
    @property
    def holiday_country(self) -> str | None: ...
    @property
    def last_slot_at(self) -> datetime | None: ...


class _Refreshable(_Schedulable, Protocol):
    next_checkin_at: datetime | None


def _week_after_last_slot(user: _Schedulable) -> date | None:
    """The Monday after the local week of the user's latest slot: one check-in a local week, whatever the
    day is changed to."""
    last: datetime | None = getattr(user, "last_slot_at", None)
    if last is None:
        return None
    day = last.astimezone(ZoneInfo(user.timezone)).date()
    return day + timedelta(days=7 - day.weekday())


def next_checkin(user: _Schedulable, after: datetime) -> datetime | None:
    """The user's first check-in strictly after ``after``: ``None`` while paused indefinitely or unset.

    It is never in the local week of a check-in already taken (see :func:`_week_after_last_slot`).
    """
    if (
        user.checkin_weekday is None
        or user.checkin_hour is None
        or (user.checkins_paused and not user.paused_until)
    ):
        return None
    country = user.holiday_country
    limits = [
        d for d in (user.paused_until if user.checkins_paused else None, _week_after_last_slot(user)) if d
    ]
    return next_weekly(
        after=after,
        timezone=user.timezone,
        weekday=user.checkin_weekday,
        hour=user.checkin_hour,
        minute=user.checkin_minute,
        not_before=max(limits) if limits else None,
        skip_day=(lambda day: is_public_holiday(country, day)) if country else None,
    )


def skipped_holidays(user: _Schedulable, after: datetime, before: datetime) -> list[datetime]:
    """The user's weekly slots strictly between ``after`` and ``before`` that fall on a public holiday of
    their country (the weeks :func:`next_checkin` passes over), outside any pause."""
    country = user.holiday_country
    if not country or user.checkin_weekday is None or user.checkin_hour is None:
        return []
    found: list[datetime] = []
    instant = after
    while True:
        instant = next_weekly(
            after=instant,
            timezone=user.timezone,
            weekday=user.checkin_weekday,
            hour=user.checkin_hour,
            minute=user.checkin_minute,
        )
        if instant >= before or len(found) >= MAX_SKIPPED_WEEKS:
            return found
        day = instant.astimezone(ZoneInfo(user.timezone)).date()
        paused = user.checkins_paused and (user.paused_until is None or day < user.paused_until)
        if is_public_holiday(country, day) and not paused:
            found.append(instant)


def refresh_next_checkin(user: _Refreshable, now: datetime) -> None:
    """Set ``user.next_checkin_at`` from their settings: ``None`` while paused indefinitely or unset."""
    user.next_checkin_at = next_checkin(user, now)


def checkin_after_slot(
    user: _Schedulable, slot_at: datetime, now: datetime, catchup: timedelta
) -> datetime | None:
    """The check-in after the one due at ``slot_at``, handled at ``now``.

    After downtime longer than the catch-up window, the weeks in between are not sent in a burst: the next
    check-in is the first one still inside the window (sent late) or else the next one to come.
    """
    return next_checkin(user, max(slot_at, now - catchup))


def pause_is_over(user: _Schedulable, slot_at: datetime) -> bool:
    """A pause until a date has ended by the local date of ``slot_at``."""
    if not (user.checkins_paused and user.paused_until):
        return False
    return slot_at.astimezone(ZoneInfo(user.timezone)).date() >= user.paused_until


def snooze_until(choice: str, now: datetime, user: _Schedulable) -> datetime:
    """When a snoozed check-in comes back: in 1 or 3 hours, or tomorrow at the user's check-in time."""
    if choice == "1":
        return now + timedelta(hours=1)
    if choice == "3":
        return now + timedelta(hours=3)
    if choice != "tomorrow":
        raise ValueError(f"unknown snooze {choice!r}")
    zone = ZoneInfo(user.timezone)
    tomorrow = now.astimezone(zone).date() + timedelta(days=1)
    if user.checkin_hour is None:
        return now + timedelta(days=1)
    return local_instant(tomorrow, time(user.checkin_hour, user.checkin_minute), zone)
