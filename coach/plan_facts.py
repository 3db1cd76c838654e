"""What the plan model reads: the stored facts of a goal and of its user, and the calendar they make —
which local days count against a plan, the plan in force on each day, the hours planned and logged per
week, and the one streak rule (see :mod:`coach.plan` for the rules in words)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from coach.pace import count_streak, week_of


class Excuse(StrEnum):
    PAUSED = "paused"
    SKIPPED = "skipped"
    HOLIDAY = "holiday"


# -- stored facts -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Log:
    """Hours logged for a goal at ``at``, with what the study check-in recorded alongside."""

    goal_id: int
    at: datetime
    hours: float
    domains: tuple[str, ...] = ()
    practice_score: float | None = None
    weakest_domain: str | None = None


@dataclass(frozen=True, slots=True)
class Slot:
    """A weekly check-in slot: ``status``/``reason`` as stored (``skipped``/``holiday`` for a holiday)."""

    slot_at: datetime
    status: str
    reason: str | None = None
    answered_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Pause:
    """Check-ins paused from ``starts_on`` to the day before ``ends_on`` (``None``: still paused)."""

    starts_on: date
    ends_on: date | None = None


@dataclass(frozen=True, slots=True)
class Change:
    at: datetime
    kind: str
    weekly_hours: float
    exam_date: date | None
    previous_weekly_hours: float
    previous_exam_date: date | None = None


@dataclass(frozen=True, slots=True)
class Result:
    passed: bool
    exam_date: date | None
    recorded_at: datetime
    score: float | None = None


@dataclass(frozen=True, slots=True)
class History:
    """What belongs to the user rather than one goal: every log, check-in slot and pause."""

    zone: ZoneInfo
    logs: tuple[Log, ...] = ()
    slots: tuple[Slot, ...] = ()
    pauses: tuple[Pause, ...] = ()


@dataclass(frozen=True, slots=True)
class Goal:
    id: int
    started: datetime
    weekly_hours: float  # in force now
    exam_date: date | None  # in force now
    hours_min: int | None = None
    hours_max: int | None = None
    domains: tuple[tuple[str, float], ...] = ()
    pass_mark: float | None = None  # percent
    changes: tuple[Change, ...] = ()
    results: tuple[Result, ...] = ()


@dataclass(frozen=True, slots=True)
class Week:
    monday: date
    planned: float
    logged: float
    excuse: Excuse | None


KEEP = "keep"  # the change kind that keeps a plan as it was


# -- days that count ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Excuses:
    """Which local days do not count against a plan, and which weeks keep a streak without adding to it.

    ``holidays`` are weeks skipped for a public holiday (every day of them); ``skipped`` are the local dates
    of check-ins skipped with the button, each excusing the seven days before it (the week it asked about);
    ``neutral`` are the weeks of skipped, holiday and downtime check-ins, which keep a streak.
    """

    holidays: frozenset[date]
    skipped: tuple[date, ...]
    pauses: tuple[Pause, ...]
    neutral: frozenset[date]

    def of_day(self, day: date) -> Excuse | None:
        if day - timedelta(days=day.weekday()) in self.holidays:
            return Excuse.HOLIDAY
        if any(0 < (slot_day - day).days <= 7 for slot_day in self.skipped):
            return Excuse.SKIPPED
        if any(p.starts_on <= day and (p.ends_on is None or day < p.ends_on) for p in self.pauses):
            return Excuse.PAUSED
        return None

    def of_week(self, monday: date) -> Excuse | None:
        """Why a week did not count: a holiday, or the excuse of most of its days (four or more)."""
        if monday in self.holidays:
            return Excuse.HOLIDAY
        found = [self.of_day(monday + timedelta(days=n)) for n in range(7)]
        for excuse in (Excuse.SKIPPED, Excuse.PAUSED):
            if found.count(excuse) >= 4:
                return excuse
        return None

    def counted_days(self, start: date, end: date) -> int:
        """Days in [start, end) that count against a plan."""
        return sum(1 for n in range((end - start).days) if self.of_day(start + timedelta(days=n)) is None)


def excuses(history: History) -> Excuses:
    zone = history.zone
    holidays = frozenset(
        week_of(s.slot_at, zone) for s in history.slots if s.status == "skipped" and s.reason == "holiday"
    )
    skipped = tuple(
        local_day(s.slot_at, zone) for s in history.slots if s.status == "skipped" and s.reason != "holiday"
    )
    neutral = {
        week_of(s.slot_at, zone)
        for s in history.slots
        if s.status == "skipped" or (s.status == "missed" and s.reason == "downtime")
    }
    return Excuses(holidays, skipped, history.pauses, frozenset(neutral))


def streak(history: History, now: datetime) -> int:
    """Weeks in a row in which the user logged study or answered a check-in (see the module's rules)."""
    zone = history.zone
    active = {week_of(log.at, zone) for log in history.logs if log.at <= now}
    active |= {
        week_of(slot.slot_at, zone)
        for slot in history.slots
        if slot.answered_at is not None and slot.status == "sent" and slot.slot_at <= now
    }
    if not active:  # nothing to count (the common case for someone new): no need to look at excuses
        return 0
    found = excuses(history)
    neutral = set(found.neutral)
    current = week_of(now, zone)
    week = min(active)
    while week <= current:
        if found.of_week(week) is not None:
            neutral.add(week)
        week += timedelta(days=7)
    return count_streak(active, neutral, current)


# -- the plan in force -------------------------------------------------------------------------------


def local_day(instant: datetime, zone: ZoneInfo) -> date:
    return instant.astimezone(zone).date()


def _initial(goal: Goal) -> tuple[float, date | None]:
    if goal.changes:
        first = goal.changes[0]
        return first.previous_weekly_hours, first.previous_exam_date
    return goal.weekly_hours, goal.exam_date


def weekly_on(goal: Goal, day: date, zone: ZoneInfo) -> float:
    """The weekly hours of the plan in force on ``day``."""
    weekly = _initial(goal)[0]
    for change in goal.changes:
        if local_day(change.at, zone) <= day:
            weekly = change.weekly_hours
    return weekly


def fresh_start(goal: Goal) -> datetime:
    """When the current account began: the latest real plan change, or the goal's start."""
    changed = [change.at for change in goal.changes if change.kind != KEEP]
    return max([goal.started, *changed])


def planned_hours(goal: Goal, found: Excuses, zone: ZoneInfo, start: date, end: date) -> float:
    """The plan's hours for the counted days in [start, end), each day at the plan then in force."""
    total = 0.0
    for n in range((end - start).days):
        day = start + timedelta(days=n)
        if found.of_day(day) is None:
            total += weekly_on(goal, day, zone) / 7
    return total


def weeks_table(goal: Goal, history: History, now: datetime) -> tuple[Week, ...]:
    """Hours planned and logged in every week of the goal, from its first week to this one."""
    zone, found = history.zone, excuses(history)
    start, today = local_day(goal.started, zone), local_day(now, zone)
    logged: dict[date, float] = {}
    for log in history.logs:
        if log.goal_id == goal.id and log.at <= now:
            monday = week_of(log.at, zone)
            logged[monday] = logged.get(monday, 0.0) + log.hours
    rows = []
    monday = start - timedelta(days=start.weekday())
    while monday <= today:
        first, end = max(monday, start), min(monday + timedelta(days=7), today + timedelta(days=1))
        planned = planned_hours(goal, found, zone, first, end)
        rows.append(Week(monday, round(planned, 2), round(logged.get(monday, 0.0), 2), found.of_week(monday)))
        monday += timedelta(days=7)
    return tuple(rows)
