"""Target roles, skill assessments and study goals, in the coach's words."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from storage.models import ExamResult, SkillAssessment, StudyCheckin, StudyGoal, TargetRole
from storage.plan import load_history, refresh_history

# -- target roles -------------------------------------------------------------------------------------


async def extra_target_roles(session: AsyncSession, user_id: int) -> list[str]:
    """Role keys the user follows besides their main target, in the order they were added."""
    result = await session.execute(
        select(TargetRole.role_key).where(TargetRole.user_id == user_id).order_by(col(TargetRole.id))
    )
    return list(result.scalars())


async def add_target_role(session: AsyncSession, user_id: int, role_key: str, now: datetime) -> None:
    if role_key not in await extra_target_roles(session, user_id):
        session.add(TargetRole(user_id=user_id, role_key=role_key, added_at=now))
        await session.flush()


async def remove_target_role(session: AsyncSession, user_id: int, role_key: str) -> None:
    result = await session.execute(
        select(TargetRole).where(TargetRole.user_id == user_id, TargetRole.role_key == role_key)
    )
    for row in result.scalars():
        await session.delete(row)
    await session.flush()


# -- skill assessments --------------------------------------------------------------------------------


async def open_assessment(session: AsyncSession, user_id: int, role_key: str) -> SkillAssessment | None:
    """The unfinished assessment of ``role_key``, if the user stopped one half-way."""
    result = await session.execute(
        select(SkillAssessment)
        .where(
            SkillAssessment.user_id == user_id,
            SkillAssessment.role_key == role_key,
            col(SkillAssessment.completed_at).is_(None),
        )
        .order_by(col(SkillAssessment.id).desc())
        .limit(1)
    )
    return result.scalar_one_or_none()


async def open_assessments(session: AsyncSession, user_id: int) -> list[SkillAssessment]:
    result = await session.execute(
        select(SkillAssessment)
        .where(SkillAssessment.user_id == user_id, col(SkillAssessment.completed_at).is_(None))
        .order_by(col(SkillAssessment.id).desc())
    )
    return list(result.scalars())


async def start_assessment(
    session: AsyncSession, user_id: int, role_key: str, now: datetime
) -> SkillAssessment:
    """A fresh assessment; an unfinished one of the same role is discarded (the user chose to start over)."""
    previous = await open_assessment(session, user_id, role_key)
    if previous is not None:
        await session.delete(previous)
    assessment = SkillAssessment(user_id=user_id, role_key=role_key, ratings={}, started_at=now)
    session.add(assessment)
    await session.flush()
    return assessment


async def get_assessment(session: AsyncSession, user_id: int, assessment_id: int) -> SkillAssessment | None:
    assessment = await session.get(SkillAssessment, assessment_id)
    return assessment if assessment is not None and assessment.user_id == user_id else None


async def completed_assessments(
    session: AsyncSession, user_id: int, role_key: str, *, limit: int = 2
) -> list[SkillAssessment]:
    """The latest finished assessments of ``role_key``, newest first."""
    result = await session.execute(
        select(SkillAssessment)
        .where(
            SkillAssessment.user_id == user_id,
            SkillAssessment.role_key == role_key,
            col(SkillAssessment.completed_at).is_not(None),
        )
        .order_by(col(SkillAssessment.completed_at).desc(), col(SkillAssessment.id).desc())
        .limit(limit)
    )
    return list(result.scalars())


async def latest_assessment(session: AsyncSession, user_id: int, role_key: str) -> SkillAssessment | None:
    found = await completed_assessments(session, user_id, role_key, limit=1)
    return found[0] if found else None


async def complete_assessment(session: AsyncSession, assessment: SkillAssessment, at: datetime) -> None:
    """Mark ``assessment`` finished at ``at``, written at once so history queries count it."""
    assessment.completed_at = at
    await session.flush()


# -- study goals --------------------------------------------------------------------------------------


async def add_goal(session: AsyncSession, goal: StudyGoal) -> StudyGoal:
    """Store a new goal, loaded with what the plan model reads alongside it."""
    session.add(goal)
    return await refresh_history(session, goal)


async def active_goals(session: AsyncSession, user_id: int) -> list[StudyGoal]:
    """The user's active goals, oldest first, each with what the plan model reads (storage.plan)."""
    result = await session.execute(
        select(StudyGoal)
        .where(StudyGoal.user_id == user_id, StudyGoal.status == "active")
        .order_by(col(StudyGoal.id))
    )
    goals = list(result.scalars())
    await load_history(session, goals)
    return goals


async def all_goals(session: AsyncSession, user_id: int) -> list[StudyGoal]:
    """Every goal of the user (active, passed, dropped), each with what the plan model reads."""
    result = await session.execute(
        select(StudyGoal).where(StudyGoal.user_id == user_id).order_by(col(StudyGoal.id))
    )
    goals = list(result.scalars())
    await load_history(session, goals)
    return goals


async def get_goal(session: AsyncSession, user_id: int, goal_id: int) -> StudyGoal | None:
    goal = await session.get(StudyGoal, goal_id)
    if goal is None or goal.user_id != user_id:
        return None
    await load_history(session, [goal])
    return goal


async def add_checkin(session: AsyncSession, checkin: StudyCheckin) -> StudyCheckin:
    session.add(checkin)
    await session.flush()
    return checkin


async def get_checkin(session: AsyncSession, user_id: int, checkin_id: int) -> StudyCheckin | None:
    checkin = await session.get(StudyCheckin, checkin_id)
    return checkin if checkin is not None and checkin.user_id == user_id else None


async def checkins_of(session: AsyncSession, goal_id: int) -> list[StudyCheckin]:
    """A goal's check-ins, oldest first."""
    result = await session.execute(
        select(StudyCheckin)
        .where(StudyCheckin.goal_id == goal_id)
        .order_by(col(StudyCheckin.at), col(StudyCheckin.id))
    )
    return list(result.scalars())


async def checkins_of_user(session: AsyncSession, user_id: int) -> list[StudyCheckin]:
    """Every check-in of the user across goals, oldest first."""
    result = await session.execute(
        select(StudyCheckin)
        .where(StudyCheckin.user_id == user_id)
        .order_by(col(StudyCheckin.at), col(StudyCheckin.id))
    )
    return list(result.scalars())


async def add_exam_result(session: AsyncSession, result: ExamResult) -> ExamResult:
    """Store a result; without an exam date it belongs to its goal's (see :mod:`storage.plan`)."""
    session.add(result)
    await session.flush()
    return result


async def exam_results(session: AsyncSession, user_id: int) -> list[ExamResult]:
    result = await session.execute(
        select(ExamResult).where(ExamResult.user_id == user_id).order_by(col(ExamResult.recorded_at))
    )
    return list(result.scalars())


async def count_checkins(session: AsyncSession, user_id: int) -> int:
    result = await session.execute(
        select(func.count()).select_from(StudyCheckin).where(StudyCheckin.user_id == user_id)
    )
    return int(result.scalar_one())


async def latest_checkin_since(
    session: AsyncSession, user_id: int, goal_id: int, since: datetime
) -> StudyCheckin | None:
    """The user's newest check-in on ``goal_id`` logged at or after ``since`` (to spot a quick log sent twice)."""
    result = await session.execute(
        select(StudyCheckin)
        .where(
            StudyCheckin.user_id == user_id,
            StudyCheckin.goal_id == goal_id,
            col(StudyCheckin.at) >= since,
        )
        .order_by(col(StudyCheckin.at).desc(), col(StudyCheckin.id).desc())
        .limit(1)
    )
    return result.scalars().first()


async def delete_checkin(session: AsyncSession, user_id: int, checkin_id: int, *, since: datetime) -> bool:
    """Delete the user's check-in ``checkin_id`` if it was logged at or after ``since`` (an undo)."""
    checkin = await get_checkin(session, user_id, checkin_id)
    if checkin is None or checkin.at < since:
        return False
    await session.delete(checkin)
    await session.flush()
    return True
