"""Cooling-off reminders: "remind me in N days to decide with a clear head", one row per note.

A reminder is claimed before it is sent and marked in flight right before its request, like a weekly
check-in (see :mod:`storage.models.nudges`): a crash, a retry or a second instance never sends it twice.
``action_at`` says when the scheduler must look at the row next (the due time, or a claim's lease); rows
with nothing left to do have ``None``, so the index only holds the live ones.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, Index, Integer, text
from sqlmodel import Field, SQLModel

from storage.models.core import _user_fk
from storage.types import UTCDateTime

PENDING, CLAIMED, SENT, CANCELLED = "pending", "claimed", "sent", "cancelled"


class CoolingOff(SQLModel, table=True):
    """A reminder to look again at a note written on a hard day.

    ``status`` is ``pending`` (waiting for ``due_at``), ``claimed`` (being sent by ``claimed_by``),
    ``sent`` or ``cancelled``; ``reason`` says why a claim is still open (``in_flight``, a send error).
    """

    __table_args__ = (
        Index(
            "ix_coolingoff_action_at",
            "action_at",
            postgresql_where=text("action_at IS NOT NULL"),
            sqlite_where=text("action_at IS NOT NULL"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = _user_fk(index=True)
    note_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("journalentry.id", ondelete="CASCADE"), nullable=False, unique=True
        )
    )
    created_at: datetime = Field(sa_type=UTCDateTime)
    due_at: datetime = Field(sa_type=UTCDateTime)
    status: str = Field(default=PENDING, max_length=16)
    reason: str | None = Field(default=None, max_length=16)
    attempts: int = 0
    claimed_by: str | None = Field(default=None, max_length=64)
    claimed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    action_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
