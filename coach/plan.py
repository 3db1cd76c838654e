"""The one model of a study plan: pure functions of the stored facts at an instant.

Every surface (/study, the weekly check-in, /progress, the charts, the home screen) reads :func:`plan_of`
and says what it found in the words of :mod:`coach.plan_words`, so no two screens can disagree.

The rules, each defined here once:

- **Weeks** are ISO weeks (Monday to Sunday) of the user's local calendar. A day does not count against the
  plan when check-ins were paused that day, when it lies in the week a skipped check-in asked about (the
  seven days before it), or in a week skipped for a public holiday. Hours studied on such a day still count.
- **The plan in force** on a day is the weekly hours of the latest plan change made on or before it. A
  re-plan starts a fresh account: being behind or ahead is measured from the latest change (a "keep the
  plan" choice changes nothing and starts nothing).
- **Behind or ahead** is the plan's hours for the counted days from that start to the latest log, minus the
  hours logged since the start. The days after the latest log become due only once a week has passed
  (:data:`GRACE_DAYS`): a weekly check-in logs the week it closes, so a plan is not behind the moment a
  check-in arrives.
- **The verdict** is the pace judgement of :func:`coach.pace.judge` (can the date be made at the pace
  kept?), made stricter by being behind the plan, and, in the last two weeks, settled by the latest
  practice score against the pass mark.
- **The streak** counts weeks in which the user logged study or answered a check-in; paused, skipped and
  holiday weeks, and weeks our own downtime kept a check-in from them, keep it without adding to it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from coach.pace import (
    IDLE_DAYS,
    NEW_GOAL_DAYS,
    RECENT_DAYS,
    SUSTAINABLE_HOURS,
    DomainShare,
    Suggestion,
    Verdict,
    domain_shares,
    judge,
    weakest_domain,
)
from coach.plan_facts import (
    Change,
    Excuse,
    Excuses,
    Goal,
    History,
    Log,
    Pause,
    Result,
    Slot,
    Week,
    excuses,
    fresh_start,
    local_day,
    planned_hours,
    streak,
    weeks_table,
)

GRACE_DAYS = 7  # the days since the latest log are not due before a week has passed
KEEP_QUIET_DAYS = 14  # after "keep the plan", no re-plan is offered for two weeks
FINAL_DAYS = 14  # under two weeks to the exam: days, not weeks, and last-weeks advice
READY_MARGIN = 5.0  # percentage points above the pass mark that make a practice score a safe one
SESSION_HOURS = 1.5  # one study session, for "one extra session closes much of it"
MAX_MOVE_DAYS = 3 * 365  # an exam is not moved further than three years out


class Phase(StrEnum):
    NO_DATE = "no_date"
    PREPARING = "preparing"
    FINAL = "final"  # under two weeks to go
    EXAM_DAY = "exam_day"
    RESULT_DUE = "result_due"  # the date has passed and no result for it is recorded


class Readiness(StrEnum):
    """In the last two weeks: the latest practice score against the pass mark."""

    READY = "ready"
    CLOSE = "close"  # at or just above the pass mark
    BELOW = "below"
    NO_SCORE = "no_score"
    NO_PASS_MARK = "no_pass_mark"


class OptionKind(StrEnum):
    RAISE = "raise"  # more hours a week, to make the date
    MOVE = "move"  # a later exam date, at the pace really kept
    LOWER = "lower"  # no date: plan the hours really kept
    RESTART = "restart"  # no date: the same hours, from a clean slate
    KEEP = "keep"


# -- what the model says -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Option:
    kind: OptionKind
    weekly_hours: float
    exam_date: date | None


@dataclass(frozen=True, slots=True)
class Plan:
    goal_id: int
    today: date
    weeks: tuple[Week, ...]
    hours_done: float
    need_hours: float | None
    remaining_hours: float | None
    weekly_hours: float
    exam_date: date | None
    due_hours: float
    behind_by: float  # hours behind the plan; negative when ahead
    days_left: int | None
    phase: Phase
    readiness: Readiness | None
    needed_per_week: float | None
    recent_per_week: float | None
    projected_weeks: float | None
    verdict: Verdict
    suggestion: Suggestion
    streak_weeks: int
    weakest: DomainShare | None
    latest_score: float | None
    pass_mark: float | None
    options: tuple[Option, ...]

    @property
    def weeks_left(self) -> float | None:
        return round(self.days_left / 7, 1) if self.days_left is not None else None

    @property
    def last_week(self) -> Week | None:
        """The latest finished week, if the goal is older than this week."""
        return self.weeks[-2] if len(self.weeks) > 1 else None


# -- the exam ----------------------------------------------------------------------------------------


def phase_of(goal: Goal, today: date) -> Phase:
    if goal.exam_date is None:
        return Phase.NO_DATE
    left = (goal.exam_date - today).days
    if left < 0:
        recorded = any(result.exam_date == goal.exam_date for result in goal.results)
        return Phase.NO_DATE if recorded else Phase.RESULT_DUE
    if left == 0:
        return Phase.EXAM_DAY
    return Phase.FINAL if left < FINAL_DAYS else Phase.PREPARING


def readiness_of(score: float | None, pass_mark: float | None) -> Readiness:
    if pass_mark is None:
        return Readiness.NO_PASS_MARK
    if score is None:
        return Readiness.NO_SCORE
    if score >= pass_mark + READY_MARGIN:
        return Readiness.READY
    return Readiness.CLOSE if score >= pass_mark else Readiness.BELOW


# -- the model ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Account:
    """Behind or ahead since the fresh start, counted up to ``cutoff`` (the latest log or the grace)."""

    due: float
    behind_by: float
    cutoff: date


def _account(goal: Goal, history: History, logs: Sequence[Log], found: Excuses, now: datetime) -> _Account:
    zone = history.zone
    start = fresh_start(goal)
    # A log made at the very instant of a re-plan came before it (the week was logged, then re-planned).
    since = [log for log in logs if log.at > start or (log.at == start and start == goal.started)]
    latest = max((log.at for log in since), default=start)
    cutoff = max(local_day(latest, zone), _grace_start(found, local_day(now, zone)), local_day(start, zone))
    due = planned_hours(goal, found, zone, local_day(start, zone), cutoff)
    done = sum(log.hours for log in since)
    return _Account(round(due, 1), round(due - done, 1), cutoff)


def _grace_start(found: Excuses, today: date) -> date:
    """The first day still within the grace: a week of counted days back from today (a holiday week or a
    skipped one in between adds to it, since no check-in asked about it)."""
    day, counted = today, 0
    for _ in range(GRACE_DAYS * 10):
        if counted >= GRACE_DAYS:
            break
        day -= timedelta(days=1)
        counted += found.of_day(day) is None
    return day


def _recent(logs: Sequence[Log], found: Excuses, goal: Goal, zone: ZoneInfo, end: date) -> float | None:
    """Hours a week over the four weeks of counted days that end on ``end`` (the latest log, or the start
    of the grace), so a week not yet logged does not lower it. Only days of the plan in force count (a
    re-plan is judged on its own weeks); ``None`` under two weeks of such days."""
    first = max(local_day(fresh_start(goal), zone), end - timedelta(days=RECENT_DAYS - 1))
    days = found.counted_days(first, end + timedelta(days=1))
    if days < NEW_GOAL_DAYS:
        return None
    hours = sum(log.hours for log in logs if first <= local_day(log.at, zone) <= end)
    return round(hours / (days / 7), 2)


def _idle(logs: Sequence[Log], found: Excuses, goal: Goal, zone: ZoneInfo, now: datetime) -> bool:
    studied = [log.at for log in logs if log.hours > 0]
    last = max(studied, default=goal.started)
    start = local_day(last, zone) + timedelta(days=1)
    return found.counted_days(start, local_day(now, zone) + timedelta(days=1)) >= IDLE_DAYS


def _study_weeks_left(goal: Goal, found: Excuses, today: date, logged_to: date) -> float | None:
    """Weeks to the exam that can be studied, counted from the day the logs are complete to (the days
    since belong to the coming log); days ahead that a pause already covers are left out."""
    if goal.exam_date is None:
        return None
    if goal.exam_date <= today:
        return (goal.exam_date - today).days / 7
    start = min(logged_to, today)
    days = (goal.exam_date - start).days
    paused = sum(1 for n in range(1, days) if found.of_day(start + timedelta(days=n)) is Excuse.PAUSED)
    return (days - paused) / 7


def plan_of(goal: Goal, history: History, now: datetime) -> Plan:
    """Everything the coach says about one goal at ``now``."""
    zone, today = history.zone, local_day(now, history.zone)
    found = excuses(history)
    logs = sorted(
        (log for log in history.logs if log.goal_id == goal.id and log.at <= now), key=lambda x: x.at
    )
    done = round(sum(log.hours for log in logs), 2)
    need = (goal.hours_min + goal.hours_max) / 2 if goal.hours_min and goal.hours_max else None
    remaining = max(need - done, 0.0) if need is not None else None
    account = _account(goal, history, logs, found, now)
    recent = _recent(logs, found, goal, zone, max(account.cutoff, _grace_start(found, today)))
    weeks_left = _study_weeks_left(goal, found, today, account.cutoff)
    verdict, suggestion, needed = judge(
        remaining=remaining,
        weeks_left=weeks_left,
        planned=goal.weekly_hours,
        recent=recent,
        idle=_idle(logs, found, goal, zone, now),
    )
    weakest = weakest_domain(domain_shares(goal.domains, logs))
    scores = [log.practice_score for log in logs if log.practice_score is not None]
    latest_score = scores[-1] if scores else None
    pace_now = recent if recent else goal.weekly_hours
    projected = remaining / pace_now if remaining is not None and pace_now > 0 else None
    phase = phase_of(goal, today)
    readiness = readiness_of(latest_score, goal.pass_mark) if phase is Phase.FINAL else None
    verdict, suggestion = _settle(
        verdict, suggestion, account, goal, phase, readiness, weakest, projected, need, done, bool(scores)
    )
    days_left = (goal.exam_date - today).days if goal.exam_date is not None else None
    plan = Plan(
        goal_id=goal.id,
        today=today,
        weeks=weeks_table(goal, history, now),
        hours_done=done,
        need_hours=need,
        remaining_hours=round(remaining, 2) if remaining is not None else None,
        weekly_hours=goal.weekly_hours,
        exam_date=goal.exam_date,
        due_hours=account.due,
        behind_by=account.behind_by,
        days_left=days_left,
        phase=phase,
        readiness=readiness,
        needed_per_week=round(needed, 1) if needed is not None else None,
        recent_per_week=recent,
        projected_weeks=round(projected, 1) if projected is not None else None,
        verdict=verdict,
        suggestion=suggestion,
        streak_weeks=streak(history, now),
        weakest=weakest,
        latest_score=latest_score,
        pass_mark=goal.pass_mark,
        options=(),
    )
    return replace(plan, options=options_for(plan, goal, now))


def options_for(plan: Plan, goal: Goal, now: datetime) -> tuple[Option, ...]:
    """The re-plan offer, when behind by more than a week's plan or at risk: raise the weekly hours to
    what makes the date, move the date to where the pace really kept leads, or keep the plan."""
    if plan.phase in (Phase.EXAM_DAY, Phase.RESULT_DUE) or plan.readiness in (
        Readiness.READY,
        Readiness.CLOSE,
    ):
        return ()
    if not (plan.behind_by > plan.weekly_hours or plan.verdict is Verdict.AT_RISK):
        return ()
    if any(c.kind == OptionKind.KEEP and now - c.at < timedelta(days=KEEP_QUIET_DAYS) for c in goal.changes):
        return ()
    found = _dated_options(plan) if plan.exam_date and plan.remaining_hours else _open_options(plan)
    return (*found, Option(OptionKind.KEEP, plan.weekly_hours, plan.exam_date)) if found else ()


def _dated_options(plan: Plan) -> list[Option]:
    assert plan.exam_date is not None and plan.remaining_hours is not None
    found = []
    if plan.needed_per_week:
        hours = round_up_half(plan.needed_per_week)
        if plan.weekly_hours < hours <= SUSTAINABLE_HOURS:
            found.append(Option(OptionKind.RAISE, hours, plan.exam_date))
    pace = plan.recent_per_week if plan.recent_per_week else plan.weekly_hours
    weekly = max(0.5, round(pace * 2) / 2)
    new_date = plan.today + timedelta(weeks=math.ceil(plan.remaining_hours / weekly))
    if plan.exam_date < new_date <= plan.today + timedelta(days=MAX_MOVE_DAYS):
        found.append(Option(OptionKind.MOVE, weekly, new_date))
    return found


def _open_options(plan: Plan) -> list[Option]:
    found = []
    recent = plan.recent_per_week
    if recent is not None and 0 < recent and round(recent * 2) / 2 < plan.weekly_hours:
        found.append(Option(OptionKind.LOWER, max(0.5, round(recent * 2) / 2), plan.exam_date))
    if plan.behind_by > 0:
        found.append(Option(OptionKind.RESTART, plan.weekly_hours, plan.exam_date))
    return found


def _settle(
    verdict: Verdict,
    suggestion: Suggestion,
    account: _Account,
    goal: Goal,
    phase: Phase,
    readiness: Readiness | None,
    weakest: DomainShare | None,
    projected: float | None,
    need: float | None,
    done: float,
    has_scores: bool,
) -> tuple[Verdict, Suggestion]:
    """The pace judgement made final: the exam's phase, being behind the plan, and the next step."""
    if phase in (Phase.EXAM_DAY, Phase.RESULT_DUE):
        return Verdict.AT_RISK if phase is Phase.RESULT_DUE else verdict, Suggestion.RECORD_RESULT
    if readiness in (Readiness.READY, Readiness.CLOSE):
        return Verdict.ON_TRACK, Suggestion.LAST_WEEKS
    if phase is Phase.FINAL:
        return verdict, Suggestion.LAST_WEEKS
    if verdict is Verdict.ON_TRACK and account.behind_by > behind_tolerance(goal.weekly_hours):
        return Verdict.BEHIND, Suggestion.CATCH_UP
    if verdict is Verdict.ON_TRACK and suggestion is Suggestion.KEEP_GOING:
        # On track: the most useful next step is the weakest domain, then a date, then a practice test.
        if weakest is not None:
            return verdict, Suggestion.FOCUS_DOMAIN
        if goal.exam_date is None and projected is not None and projected <= 8:
            return verdict, Suggestion.BOOK_EXAM
        if need is not None and done >= need * 0.6 and not has_scores:
            return verdict, Suggestion.PRACTICE_EXAM
    return verdict, suggestion


def behind_tolerance(weekly: float) -> float:
    """Being behind by less than this is still on track: half a week's plan, at least an hour."""
    return max(1.0, weekly / 2)


def one_session_closes_much(plan: Plan) -> bool:
    """Whether "one extra session this week closes much of it" is true: a session covers half or more."""
    return 0 < plan.behind_by <= 2 * SESSION_HOURS


def round_up_half(hours: float) -> float:
    return math.ceil(hours * 2) / 2


__all__ = [
    "SUSTAINABLE_HOURS",
    "Change",
    "Excuse",
    "Goal",
    "History",
    "Log",
    "Option",
    "OptionKind",
    "Pause",
    "Phase",
    "Plan",
    "Readiness",
    "Result",
    "Slot",
    "Suggestion",
    "Verdict",
    "Week",
    "plan_of",
    "streak",
]
