"""What the one plan model needs besides goals and check-ins: when check-ins were paused, and how a study
plan changed over time (so each week is measured against the plan in force then)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Column, ForeignKey, Integer
from sqlmodel import Field, SQLModel

from storage.models.core import _user_fk
from storage.types import UTCDateTime


class PausePeriod(SQLModel, table=True):
    """Check-ins paused from ``starts_on`` until the day before ``ends_on`` (local dates of the user).

    ``ends_on`` is ``None`` while a pause "until I resume" lasts; resuming sets it. Paused days do not count
    against a study plan.
    """

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = _user_fk(index=True)
    starts_on: date
    ends_on: date | None = None
    created_at: datetime = Field(sa_type=UTCDateTime)


def _goal_fk() -> Any:
    return Field(
        sa_column=Column(Integer, ForeignKey("studygoal.id", ondelete="CASCADE"), nullable=False, index=True)
    )


class PlanChange(SQLModel, table=True):
    """A study plan changed at ``at``: the weekly hours and exam date from then on, and what they were.

    ``kind`` says why: ``raise`` (more hours to make the date), ``move`` (the exam moved to fit the pace),
    ``lower`` / ``restart`` (a plan without a date, started afresh), ``keep`` (the user chose to keep the plan
    as it was; nothing changed but the choice is remembered), ``edit`` (changed by hand in /study),
    ``postpone`` (the exam was postponed to a new date).
    """

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = _user_fk(index=True)
    goal_id: int = _goal_fk()
    at: datetime = Field(sa_type=UTCDateTime)
    kind: str = Field(max_length=16)
    weekly_hours: float
    exam_date: date | None = None
    previous_weekly_hours: float
    previous_exam_date: date | None = None
