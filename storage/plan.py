"""What the plan model reads, in the coach's words, and the history it needs kept.

Two pieces of history are recorded here whenever the rows they describe change, however they change:

- a pause of check-ins becomes a :class:`PausePeriod` with its dates (the user row keeps only a flag and an
  end date, which are cleared when the pause ends);
- a change of a goal's weekly hours or exam date becomes a :class:`PlanChange` (kind ``edit`` unless the
  change was recorded explicitly with :func:`change_plan`).

Both happen in a ``before_flush`` hook, in the same transaction as the change itself. The instant of the
event is taken from ``session.info["now"]`` (set by :func:`storage.users.resolve_identity`), so a test's
clock is the one recorded.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import event, inspect, or_, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session, raiseload
from sqlmodel import col, select

from storage.models import CheckinSlot, ExamResult, PausePeriod, PlanChange, StudyCheckin, StudyGoal, User

# -- loading, a batch of users at a time ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class UserHistory:
    """One user's logs, check-in slots and pauses, oldest first (as the plan model reads them)."""

    logs: list[StudyCheckin]
    slots: list[CheckinSlot]
    pauses: list[PausePeriod]


async def histories(session: AsyncSession, user_ids: Sequence[int]) -> dict[int, UserHistory]:
    """Every user's history (users with none get an empty one)."""
    found = {user_id: UserHistory([], [], []) for user_id in user_ids}
    if not user_ids:
        return found
    logs = await session.execute(
        select(StudyCheckin)
        .where(col(StudyCheckin.user_id).in_(user_ids))
        .order_by(col(StudyCheckin.at), col(StudyCheckin.id))
    )
    for log in logs.scalars():
        found[log.user_id].logs.append(log)
    slots = await session.execute(
        select(CheckinSlot).where(col(CheckinSlot.user_id).in_(user_ids)).order_by(col(CheckinSlot.slot_at))
    )
    for slot in slots.scalars():
        found[slot.user_id].slots.append(slot)
    pauses = await session.execute(
        select(PausePeriod)
        .where(col(PausePeriod.user_id).in_(user_ids))
        .order_by(col(PausePeriod.starts_on), col(PausePeriod.id))
    )
    for pause in pauses.scalars():
        found[pause.user_id].pauses.append(pause)
    return found


async def active_goals_of(session: AsyncSession, user_ids: Sequence[int]) -> dict[int, list[StudyGoal]]:
    """Each user's active goals, oldest first, with their plan changes and results (the user's own history
    is left to :func:`histories`, which loads it once for all of them)."""
    result = await session.execute(
        select(StudyGoal)
        .where(col(StudyGoal.user_id).in_(user_ids), StudyGoal.status == "active")
        .order_by(col(StudyGoal.id))
        .options(
            raiseload(StudyGoal.user_logs),  # type: ignore[arg-type]
            raiseload(StudyGoal.user_slots),  # type: ignore[arg-type]
            raiseload(StudyGoal.user_pauses),  # type: ignore[arg-type]
        )
    )
    goals: dict[int, list[StudyGoal]] = defaultdict(list)
    for goal in result.scalars():
        goals[goal.user_id].append(goal)
    return goals


async def refresh_history(session: AsyncSession, goal: StudyGoal) -> StudyGoal:
    """Load (again) what the plan model reads with ``goal``: after creating it, or after a change."""
    await session.flush()
    await session.refresh(
        goal, attribute_names=["plan_changes", "results", "user_logs", "user_slots", "user_pauses"]
    )
    return goal


# -- changing a plan ----------------------------------------------------------------------------------------


async def change_plan(
    session: AsyncSession,
    goal: StudyGoal,
    *,
    kind: str,
    weekly_hours: float,
    exam_date: date | None,
    now: datetime,
) -> PlanChange:
    """Put a new plan in force from ``now`` (or record that the user kept it, ``kind="keep"``)."""
    assert goal.id is not None
    change = PlanChange(
        user_id=goal.user_id,
        goal_id=goal.id,
        at=now,
        kind=kind,
        weekly_hours=weekly_hours,
        exam_date=exam_date,
        previous_weekly_hours=goal.weekly_hours,
        previous_exam_date=goal.exam_date,
    )
    session.add(change)
    goal.weekly_hours, goal.exam_date = weekly_hours, exam_date
    await refresh_history(session, goal)
    return change


async def add_result(
    session: AsyncSession, goal: StudyGoal, *, passed: bool, score: float | None, now: datetime
) -> ExamResult:
    """Record the result of the sitting on the goal's exam date (or today, if it had none)."""
    assert goal.id is not None
    result = ExamResult(
        user_id=goal.user_id,
        goal_id=goal.id,
        passed=passed,
        score=score,
        recorded_at=now,
        exam_date=goal.exam_date,
    )
    session.add(result)
    await session.flush()
    return result


# -- history kept as rows change ------------------------------------------------------------------------------


def _now(session: Session) -> datetime:
    found = session.info.get("now")
    return found if isinstance(found, datetime) else datetime.now(UTC)


def _today(user: User, now: datetime) -> date:
    return now.astimezone(ZoneInfo(user.timezone)).date()


def _old(target: Any, name: str) -> Any:
    history = inspect(target).attrs[name].history
    return history.deleted[0] if history.deleted else getattr(target, name)


def _changed(target: Any, *names: str) -> bool:
    state = inspect(target)
    return any(state.attrs[name].history.has_changes() for name in names)


def _track_pause(session: Session, user: User, now: datetime) -> None:
    if user.id is None or not _changed(user, "checkins_paused", "paused_until"):
        return
    today = _today(user, now)
    was_paused = bool(_old(user, "checkins_paused"))
    open_now = (
        col(PausePeriod.user_id) == user.id,
        or_(col(PausePeriod.ends_on).is_(None), col(PausePeriod.ends_on) > today),
    )
    if user.checkins_paused and not was_paused:
        session.add(PausePeriod(user_id=user.id, starts_on=today, ends_on=user.paused_until, created_at=now))
    elif user.checkins_paused:  # a new end for the pause in force
        session.execute(update(PausePeriod).where(*open_now).values(ends_on=user.paused_until))
    elif was_paused:  # resumed
        session.execute(update(PausePeriod).where(*open_now).values(ends_on=today))


def _track_plan(session: Session, goal: StudyGoal, now: datetime) -> None:
    if goal.id is None or not _changed(goal, "weekly_hours", "exam_date"):
        return
    if any(isinstance(row, PlanChange) and row.goal_id == goal.id for row in session.new):
        return  # recorded explicitly, with its kind
    session.add(
        PlanChange(
            user_id=goal.user_id,
            goal_id=goal.id,
            at=now,
            kind="edit",
            weekly_hours=goal.weekly_hours,
            exam_date=goal.exam_date,
            previous_weekly_hours=_old(goal, "weekly_hours"),
            previous_exam_date=_old(goal, "exam_date"),
        )
    )


def _fill_exam_date(session: Session, result: ExamResult) -> None:
    """A result added without its exam date belongs to the goal's date as it was before this flush."""
    if result.exam_date is not None:
        return
    goal = session.get(StudyGoal, result.goal_id)
    if goal is not None:
        result.exam_date = _old(goal, "exam_date")


@event.listens_for(Session, "before_flush")
def _keep_history(session: Session, _context: object, _instances: object) -> None:
    now = _now(session)
    for row in list(session.dirty):
        if isinstance(row, User):
            _track_pause(session, row, now)
        elif isinstance(row, StudyGoal):
            _track_plan(session, row, now)
    for row in list(session.new):
        if isinstance(row, ExamResult):
            _fill_exam_date(session, row)
