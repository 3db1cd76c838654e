"""Stored rows as the plan model's facts: one conversion, used by every surface and by the check-in tick.

A goal loaded through :mod:`storage.coaching` carries the user's logs, check-in slots and pauses with it
(see ``StudyGoal``); the tick loads the same rows for many users at once (:mod:`storage.plan`). Either way
they become the same :class:`coach.plan.History`, so /study and the check-in read one truth.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Protocol
from zoneinfo import ZoneInfo

from coach.catalog import passing_percent
from coach.content.schema import Certification, Content
from coach.nudges import StudyView
from coach.plan import Change, Goal, History, Log, Pause, Plan, Result, Slot, plan_of, streak
from storage.models import StudyCheckin, StudyGoal


class _Logged(Protocol):
    @property
    def id(self) -> int | None: ...
    @property
    def goal_id(self) -> int: ...
    @property
    def at(self) -> datetime: ...
    @property
    def hours(self) -> float: ...
    @property
    def domains(self) -> list[str]: ...
    @property
    def practice_score(self) -> float | None: ...
    @property
    def weakest_domain(self) -> str | None: ...


def certification(goal: StudyGoal, content: Content) -> Certification | None:
    return content.certifications.get(goal.cert_key or "")


def goal_facts(goal: StudyGoal, content: Content) -> Goal:
    cert = certification(goal, content)
    return Goal(
        id=goal.id or 0,
        started=goal.created_at,
        weekly_hours=goal.weekly_hours,
        exam_date=goal.exam_date,
        hours_min=cert.study_hours_min if cert else goal.typical_hours_min,
        hours_max=cert.study_hours_max if cert else goal.typical_hours_max,
        domains=tuple((d.key, d.weight) for d in cert.domains) if cert else (),
        pass_mark=passing_percent(cert) if cert else None,
        changes=tuple(
            Change(c.at, c.kind, c.weekly_hours, c.exam_date, c.previous_weekly_hours, c.previous_exam_date)
            for c in goal.plan_changes
        ),
        results=tuple(Result(r.passed, r.exam_date, r.recorded_at, r.score) for r in goal.results),
    )


class _Slotted(Protocol):
    @property
    def slot_at(self) -> datetime: ...
    @property
    def status(self) -> str: ...
    @property
    def reason(self) -> str | None: ...
    @property
    def answered_at(self) -> datetime | None: ...


class _Paused(Protocol):
    @property
    def starts_on(self) -> date: ...
    @property
    def ends_on(self) -> date | None: ...


def history_of(
    zone: ZoneInfo,
    logs: Iterable[_Logged],
    slots: Iterable[_Slotted],
    pauses: Iterable[_Paused],
) -> History:
    """The user's history; a log given twice (a fresh row and its loaded copy) counts once."""
    unique: dict[int, _Logged] = {}
    for log in logs:
        unique[log.id if log.id is not None else -len(unique) - 1] = log
    return History(
        zone=zone,
        logs=tuple(
            Log(
                log.goal_id,
                log.at,
                log.hours,
                tuple(log.domains or ()),
                log.practice_score,
                log.weakest_domain,
            )
            for log in sorted(unique.values(), key=lambda x: (x.at, x.id or 0))
        ),
        slots=tuple(Slot(s.slot_at, s.status, s.reason, s.answered_at) for s in slots),
        pauses=tuple(Pause(p.starts_on, p.ends_on) for p in pauses),
    )


def goal_history(goal: StudyGoal, zone: ZoneInfo, fresh: Iterable[StudyCheckin] = ()) -> History:
    """The history loaded with ``goal``, plus any of its logs written since it was loaded (``fresh``)."""
    return history_of(zone, [*goal.user_logs, *fresh], goal.user_slots, goal.user_pauses)


def plan_for(
    goal: StudyGoal, content: Content, zone: ZoneInfo, now: datetime, fresh: Iterable[StudyCheckin] = ()
) -> Plan:
    return plan_of(goal_facts(goal, content), goal_history(goal, zone, fresh), now)


def checkin_study(
    goals: Sequence[StudyGoal],
    logs: Iterable[_Logged],
    slots: Iterable[_Slotted],
    pauses: Iterable[_Paused],
    *,
    timezone: str,
    now: datetime,
    content: Content,
) -> tuple[StudyView | None, int]:
    """What a weekly check-in says about study, and the streak: from the rows the tick loaded.

    The goal shown is one whose exam result is due, else the oldest active goal.
    """
    history = history_of(ZoneInfo(timezone), logs, slots, pauses)
    views = [
        StudyView(goal.id or 0, _name(goal, content), plan_of(goal_facts(goal, content), history, now))
        for goal in goals
    ]
    chosen = next((view for view in views if view.result_due), views[0] if views else None)
    return chosen, streak(history, now)


def _name(goal: StudyGoal, content: Content) -> str:
    cert = certification(goal, content)
    return cert.name if cert else goal.custom_name or "?"
