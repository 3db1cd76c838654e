"""Coaching tables: extra target roles, skill assessments, study goals with their check-ins and results."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, ForeignKey, Integer, UniqueConstraint
from sqlalchemy.orm import relationship
from sqlmodel import Field, Relationship, SQLModel

from storage.crypto import EncryptedText
from storage.models.core import _user_fk
from storage.models.nudges import CheckinSlot
from storage.models.plan import PausePeriod, PlanChange
from storage.types import UTCDateTime


class TargetRole(SQLModel, table=True):
    """A catalog role the user follows besides their main one (``Profile.target_role``)."""

    __table_args__ = (UniqueConstraint("user_id", "role_key", name="uq_targetrole_user_role"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = _user_fk(index=True)
    role_key: str = Field(max_length=64)
    added_at: datetime = Field(sa_type=UTCDateTime)


class SkillAssessment(SQLModel, table=True):
    """One self-rating of a role's skills; ``completed_at`` is ``None`` while it is being filled in.

    ``ratings`` maps a skill key to 1..5, or to ``None`` when the user skipped that skill. Every tap is
    stored at once, so an interrupted assessment resumes where it stopped.
    """

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = _user_fk(index=True)
    role_key: str = Field(max_length=64)
    ratings: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    started_at: datetime = Field(sa_type=UTCDateTime)
    completed_at: datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)


def _goal_fk() -> Any:
    return Field(
        sa_column=Column(Integer, ForeignKey("studygoal.id", ondelete="CASCADE"), nullable=False, index=True)
    )


class StudyCheckin(SQLModel, table=True):
    """Hours studied for a goal since the previous check-in, which domains, and an optional practice score."""

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = _user_fk(index=True)
    goal_id: int = _goal_fk()
    at: datetime = Field(sa_type=UTCDateTime, index=True)
    hours: float
    domains: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    practice_score: float | None = None
    weakest_domain: str | None = Field(default=None, max_length=64)  # lowest on that practice exam


class ExamResult(SQLModel, table=True):
    """The outcome of a sitting of the real exam; ``score`` is a percentage when the user gave one.

    ``exam_date`` is the day of the sitting the result belongs to (the goal's exam date then), which may be
    days before ``recorded_at``.
    """

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = _user_fk(index=True)
    goal_id: int = _goal_fk()
    passed: bool
    score: float | None = None
    recorded_at: datetime = Field(sa_type=UTCDateTime)
    exam_date: date | None = None


class StudyGoal(SQLModel, table=True):
    """A certification (from the catalog, or the user's own) being prepared for.

    ``status`` is ``active``, ``passed`` or ``dropped``; a failed exam keeps the goal active for a retake.
    ``typical_hours_min/max`` are the user's own estimate for a custom goal (the catalog's for others).
    """

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = _user_fk(index=True)
    cert_key: str | None = Field(default=None, max_length=64)
    custom_name: str | None = Field(default=None, sa_type=EncryptedText)  # typed by the user
    exam_date: date | None = None
    weekly_hours: float
    typical_hours_min: int | None = None
    typical_hours_max: int | None = None
    status: str = Field(default="active", max_length=16)
    created_at: datetime = Field(sa_type=UTCDateTime)
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)

    # What the plan model reads besides the goal itself, so a goal is all the plan needs: its own plan changes
    # and exam results, and the user's study logs, check-in slots and pauses (a streak and a week's excuse
    # are the user's). Storage loads them with the goal (storage.plan.load_history), once per session: a
    # read before that raises rather than quietly querying.
    plan_changes: list[PlanChange] = Relationship(
        sa_relationship=relationship(
            PlanChange,
            primaryjoin="foreign(PlanChange.goal_id) == StudyGoal.id",
            order_by="PlanChange.at, PlanChange.id",
            lazy="raise",
            viewonly=True,
        )
    )
    results: list[ExamResult] = Relationship(
        sa_relationship=relationship(
            ExamResult,
            primaryjoin="foreign(ExamResult.goal_id) == StudyGoal.id",
            order_by="ExamResult.recorded_at, ExamResult.id",
            lazy="raise",
            viewonly=True,
        )
    )
    user_logs: list[StudyCheckin] = Relationship(
        sa_relationship=relationship(
            StudyCheckin,
            primaryjoin="foreign(StudyCheckin.user_id) == StudyGoal.user_id",
            order_by="StudyCheckin.at, StudyCheckin.id",
            lazy="raise",
            viewonly=True,
        )
    )
    user_slots: list[CheckinSlot] = Relationship(
        sa_relationship=relationship(
            CheckinSlot,
            primaryjoin="foreign(CheckinSlot.user_id) == StudyGoal.user_id",
            order_by="CheckinSlot.slot_at",
            lazy="raise",
            viewonly=True,
        )
    )
    user_pauses: list[PausePeriod] = Relationship(
        sa_relationship=relationship(
            PausePeriod,
            primaryjoin="foreign(PausePeriod.user_id) == StudyGoal.user_id",
            order_by="PausePeriod.starts_on, PausePeriod.id",
            lazy="raise",
            viewonly=True,
        )
    )
