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

from sqlalchemy import event, inspect, or_
from sqlalchemy import select as select_columns  # sqlmodel's select types at most four columns
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import col, select

from storage.models import CheckinSlot, ExamResult, PausePeriod, PlanChange, StudyCheckin, StudyGoal, User

# -- loading, a batch of users at a time ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class UserHistory:
    """One user's logs, check-in slots and pauses, oldest first (as the plan model reads them): rows with
    the columns as attributes, plain rows for a batch of users, table objects for a goal loaded in a flow."""

    logs: list[Any]
    slots: list[Any]
    pauses: list[Any]


_LOG_COLUMNS = (
    col(StudyCheckin.id),
    col(StudyCheckin.user_id),
    col(StudyCheckin.goal_id),
    col(StudyCheckin.at),
    col(StudyCheckin.hours),
    col(StudyCheckin.domains),
    col(StudyCheckin.practice_score),
    col(StudyCheckin.weakest_domain),
)
_SLOT_COLUMNS = (
    col(CheckinSlot.user_id),
    col(CheckinSlot.slot_at),
    col(CheckinSlot.status),
    col(CheckinSlot.reason),
    col(CheckinSlot.answered_at),
)
_PAUSE_COLUMNS = (col(PausePeriod.user_id), col(PausePeriod.starts_on), col(PausePeriod.ends_on))


async def histories(session: AsyncSession, user_ids: Sequence[int]) -> dict[int, UserHistory]:
    """Every user's history as plain rows, for many users at once (users with none get an empty one)."""
    found = {user_id: UserHistory([], [], []) for user_id in user_ids}
    if not user_ids:
        return found
    logs = await session.execute(
        select_columns(*_LOG_COLUMNS)
        .where(col(StudyCheckin.user_id).in_(user_ids))
        .order_by(col(StudyCheckin.at), col(StudyCheckin.id))
    )
    for log in logs:
        found[log.user_id].logs.append(log)
    slots = await session.execute(
        select_columns(*_SLOT_COLUMNS)
        .where(col(CheckinSlot.user_id).in_(user_ids))
        .order_by(col(CheckinSlot.slot_at))
    )
    for slot in slots:
        found[slot.user_id].slots.append(slot)
    pauses = await session.execute(
        select_columns(*_PAUSE_COLUMNS)
        .where(col(PausePeriod.user_id).in_(user_ids))
        .order_by(col(PausePeriod.starts_on), col(PausePeriod.id))
    )
    for pause in pauses:
        found[pause.user_id].pauses.append(pause)
    return found


async def _user_rows(session: AsyncSession, user_ids: Sequence[int]) -> dict[int, UserHistory]:
    """The same history as table objects (what a goal's collections hold), for the users of a flow."""
    found = {user_id: UserHistory([], [], []) for user_id in user_ids}
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
    )
    goals: dict[int, list[StudyGoal]] = defaultdict(list)
    found = list(result.scalars())
    await load_history(session, found, user_history=False)
    for goal in found:
        goals[goal.user_id].append(goal)
    return goals


async def load_history(
    session: AsyncSession, goals: Sequence[StudyGoal], *, user_history: bool = True, again: bool = False
) -> None:
    """Give each goal what the plan model reads with it (see ``StudyGoal``), unless this session already
    did: goals loaded twice in one event cost one query the second time. ``again`` reloads it."""
    todo = [g for g in goals if g.id is not None and (again or "plan_changes" not in g.__dict__)]
    if not todo:
        return
    ids = [g.id for g in todo]
    changes: dict[int, list[PlanChange]] = defaultdict(list)
    for change in (
        await session.execute(
            select(PlanChange)
            .where(col(PlanChange.goal_id).in_(ids))
            .order_by(col(PlanChange.at), col(PlanChange.id))
        )
    ).scalars():
        changes[change.goal_id].append(change)
    results: dict[int, list[ExamResult]] = defaultdict(list)
    for found in (
        await session.execute(
            select(ExamResult)
            .where(col(ExamResult.goal_id).in_(ids))
            .order_by(col(ExamResult.recorded_at), col(ExamResult.id))
        )
    ).scalars():
        results[found.goal_id].append(found)
    mine = await _user_rows(session, sorted({g.user_id for g in todo})) if user_history else {}
    for goal in todo:
        set_committed_value(goal, "plan_changes", changes.get(goal.id or 0, []))
        set_committed_value(goal, "results", results.get(goal.id or 0, []))
        if goal.user_id in mine:
            history = mine[goal.user_id]
            set_committed_value(goal, "user_logs", list(history.logs))
            set_committed_value(goal, "user_slots", list(history.slots))
            set_committed_value(goal, "user_pauses", list(history.pauses))


async def refresh_history(session: AsyncSession, goal: StudyGoal) -> StudyGoal:
    """Load (again) what the plan model reads with ``goal``: after creating it, or after a change."""
    await session.flush()
    await load_history(session, [goal], again=True)
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
        return
    # A new end for the pause in force, or the pause is over (resumed): the rows change as objects, so a
    # goal loaded in this session sees the new end too.
    ends_on = user.paused_until if user.checkins_paused else today
    if user.checkins_paused or was_paused:
        for pause in session.execute(select(PausePeriod).where(*open_now)).scalars():
            pause.ends_on = ends_on


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


# Rows a loaded goal carries (see StudyGoal): the collection each new row joins, and how it finds its goals.
_CARRIED: dict[type, tuple[str, str, str]] = {
    PlanChange: ("plan_changes", "goal_id", "id"),
    ExamResult: ("results", "goal_id", "id"),
    StudyCheckin: ("user_logs", "user_id", "user_id"),
    CheckinSlot: ("user_slots", "user_id", "user_id"),
    PausePeriod: ("user_pauses", "user_id", "user_id"),
}
_ORDER = {
    "plan_changes": lambda row: (row.at, row.id or 0),
    "results": lambda row: (row.recorded_at, row.id or 0),
    "user_logs": lambda row: (row.at, row.id or 0),
    "user_slots": lambda row: row.slot_at,
    "user_pauses": lambda row: (row.starts_on, row.id or 0),
}


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
    added = session.info.setdefault("plan_rows_added", [])
    added += [row for row in session.new if type(row) in _CARRIED]


@event.listens_for(Session, "after_flush_postexec")
def _keep_loaded_goals_current(session: Session, _context: object) -> None:
    """Goals loaded earlier in this session see the rows it has just added (no reload needed)."""
    added = session.info.pop("plan_rows_added", [])
    if not added:
        return
    goals = [row for row in session.identity_map.values() if isinstance(row, StudyGoal)]
    for row in added:
        name, key, goal_key = _CARRIED[type(row)]
        for goal in goals:
            loaded = goal.__dict__.get(name)
            if loaded is not None and getattr(goal, goal_key) == getattr(row, key) and row not in loaded:
                set_committed_value(goal, name, sorted([*loaded, row], key=_ORDER[name]))
