"""Study pacing math under the plan model (:mod:`coach.plan`): weeks of the user's calendar, the pace now
needed against the pace kept, the weakest exam domain, the one streak rule, and the verdict with one
suggestion.

Pure functions of plain values. Weeks are ISO weeks (Monday to Sunday) of the user's local calendar, from
their IANA zone, so a check-in late on a Sunday evening counts for that week even across a daylight-saving
change; "weeks left" counts calendar days in the user's zone, leap days included.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Protocol
from zoneinfo import ZoneInfo

RECENT_DAYS = 28  # the pace a user keeps is judged on their last four weeks
NEW_GOAL_DAYS = 14  # before two weeks of history, the planned hours stand in for the real pace
IDLE_DAYS = 21  # three weeks without study makes a goal at risk whatever the date
SUSTAINABLE_HOURS = 20.0  # beyond this many hours a week next to a job, a plan is not honest
ON_TRACK_SLACK = 1.05
BEHIND_SLACK = 1.5


class Verdict(StrEnum):
    ON_TRACK = "on_track"
    BEHIND = "behind"
    AT_RISK = "at_risk"


class Suggestion(StrEnum):
    KEEP_GOING = "keep_going"
    ADD_HOURS = "add_hours"  # study the needed hours per week
    MOVE_DATE = "move_date"  # the date cannot be met at a sustainable pace
    RESTART_SMALL = "restart_small"  # weeks without study: one short session this week
    FOCUS_DOMAIN = "focus_domain"  # the weakest domain deserves the next sessions
    PRACTICE_EXAM = "practice_exam"  # enough hours: measure with a practice exam
    BOOK_EXAM = "book_exam"  # ready within weeks but no date: booking one keeps the focus
    RECORD_RESULT = "record_result"  # the exam date has come
    CATCH_UP = "catch_up"  # the date is still in reach, but the plan's hours are behind
    LAST_WEEKS = "last_weeks"  # under two weeks to go: advice by the latest practice score


@dataclass(frozen=True, slots=True)
class Checkin:
    at: datetime  # aware
    hours: float
    domains: tuple[str, ...] = ()
    practice_score: float | None = None
    weakest_domain: str | None = None


class StudyEntry(Protocol):
    """What :func:`domain_shares` reads of a logged session: a :class:`Checkin`, or the plan's own log."""

    @property
    def hours(self) -> float: ...
    @property
    def domains(self) -> tuple[str, ...]: ...
    @property
    def practice_score(self) -> float | None: ...
    @property
    def weakest_domain(self) -> str | None: ...


@dataclass(frozen=True, slots=True)
class DomainShare:
    """An exam domain: its ``weight`` in the exam against its ``share`` of the hours studied (0..1)."""

    key: str
    weight: float
    share: float
    flagged: int  # how many of the last practice exams marked it lowest

    @property
    def deficit(self) -> float:
        return self.weight - self.share


def week_of(at: datetime, zone: ZoneInfo) -> date:
    """The Monday of the ISO week that holds ``at`` on the user's local calendar."""
    local = at.astimezone(zone).date()
    return local - timedelta(days=local.weekday())


def local_today(now: datetime, zone: ZoneInfo) -> date:
    return now.astimezone(zone).date()


def weeks_until(today: date, exam: date) -> float:
    """Calendar weeks from ``today`` to the exam day (negative once it has passed)."""
    return (exam - today).days / 7


def count_streak(active: Collection[date], neutral: Collection[date], current: date) -> int:
    """Weeks in a row (Mondays) that were active, counted back from ``current``; the one streak rule.

    A neutral week (paused, skipped, a public holiday, our own downtime) keeps the streak without adding to
    it; any other week without activity ends it. The current week, still open, counts once it is active
    and never breaks the streak before it is over.
    """
    floor = min(active, default=current)
    week, count = current, 0
    if week not in active:
        week -= timedelta(days=7)
    while week >= floor:
        if week in active:
            count += 1
        elif week not in neutral:
            break
        week -= timedelta(days=7)
    return count


def streak_weeks(times: Iterable[datetime], zone: ZoneInfo, now: datetime) -> int:
    """Consecutive ISO weeks with at least one check-in, ending this week (or last week, if this one has
    none yet: a streak is not broken before the week is over)."""
    return count_streak({week_of(at, zone) for at in times}, (), week_of(now, zone))


def hours_by_week(
    checkins: Iterable[Checkin], zone: ZoneInfo, now: datetime, weeks: int
) -> list[tuple[date, float]]:
    """Hours per ISO week for the last ``weeks`` weeks (oldest first, this week last, empty weeks as 0)."""
    current = week_of(now, zone)
    mondays = [current - timedelta(days=7 * back) for back in range(weeks - 1, -1, -1)]
    totals = dict.fromkeys(mondays, 0.0)
    for checkin in checkins:
        monday = week_of(checkin.at, zone)
        if monday in totals:
            totals[monday] += checkin.hours
    return [(monday, round(totals[monday], 2)) for monday in mondays]


def domain_shares(
    domains: Sequence[tuple[str, float]], checkins: Sequence[StudyEntry], *, practice_window: int = 3
) -> list[DomainShare]:
    """Each domain's weight against its share of studied hours; a check-in's hours are split evenly over
    the domains it names. ``flagged`` counts the last ``practice_window`` practice exams that marked it."""
    studied = dict.fromkeys((key for key, _weight in domains), 0.0)
    for checkin in checkins:
        named = [key for key in checkin.domains if key in studied]
        for key in named:
            studied[key] += checkin.hours / len(named)
    total = sum(studied.values())
    practice = [c for c in checkins if c.practice_score is not None][-practice_window:]
    return [
        DomainShare(
            key=key,
            weight=weight,
            share=studied[key] / total if total else 0.0,
            flagged=sum(1 for c in practice if c.weakest_domain == key),
        )
        for key, weight in domains
    ]


def weakest_domain(shares: Sequence[DomainShare]) -> DomainShare | None:
    """The domain most in need of time: a practice exam's lowest counts most, then time behind weight.

    ``None`` until there is something to go on (no hours attributed and no practice exam flags).
    """
    if not shares or not any(s.share or s.flagged for s in shares):
        return None
    best = max(shares, key=lambda s: (s.flagged * 0.25 + s.deficit, s.weight))
    return best if best.flagged or best.deficit > 0.05 else None


def recent_pace(checkins: Sequence[Checkin], started: datetime, now: datetime) -> float | None:
    """Average hours per week over the last four weeks (or since the goal began, if later)."""
    age_days = (now - started).total_seconds() / 86400
    if age_days < NEW_GOAL_DAYS:
        return None
    since = now - timedelta(days=RECENT_DAYS)
    hours = sum(c.hours for c in checkins if c.at > since)
    return round(hours / (min(age_days, RECENT_DAYS) / 7), 2)


def judge(
    *,
    remaining: float | None,
    weeks_left: float | None,
    planned: float,
    recent: float | None,
    idle: bool,
) -> tuple[Verdict, Suggestion, float | None]:
    """The verdict, its suggestion, and the hours per week now needed (``None`` when it cannot be known)."""
    pace = recent if recent is not None else planned
    if remaining is not None and remaining <= 0:
        return Verdict.ON_TRACK, Suggestion.PRACTICE_EXAM, 0.0
    if weeks_left is not None and weeks_left <= 0:
        return Verdict.AT_RISK, Suggestion.RECORD_RESULT, None
    if idle:
        return (
            Verdict.AT_RISK,
            Suggestion.RESTART_SMALL,
            (remaining / weeks_left if remaining is not None and weeks_left else None),
        )
    if remaining is not None and weeks_left is not None:
        needed = remaining / weeks_left
        if needed <= pace * ON_TRACK_SLACK:
            return Verdict.ON_TRACK, Suggestion.KEEP_GOING, needed
        if needed <= pace * BEHIND_SLACK and needed <= SUSTAINABLE_HOURS:
            return Verdict.BEHIND, Suggestion.ADD_HOURS, needed
        if needed > SUSTAINABLE_HOURS:
            return Verdict.AT_RISK, Suggestion.MOVE_DATE, needed
        return Verdict.AT_RISK, Suggestion.ADD_HOURS, needed
    # No date, or no typical hours: judge the habit, planned hours against those really studied.
    if recent is None or recent >= planned * 0.8:
        return Verdict.ON_TRACK, Suggestion.KEEP_GOING, None
    if recent >= planned * 0.4:
        return Verdict.BEHIND, Suggestion.ADD_HOURS, None
    return Verdict.AT_RISK, Suggestion.RESTART_SMALL, None
