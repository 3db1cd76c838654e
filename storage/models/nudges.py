"""Weekly check-in deliveries: one row per (user, weekly slot), claimed before anything is sent.

The unique (user_id, slot_at) key is what makes a check-in go out once: whichever process inserts the row
owns the slot. ``pending`` and ``action_at`` say what the scheduler must still do with the row and when
(send or retry the check-in, send the reminder the user snoozed to, send the one follow-up); rows with
nothing left to do have both ``None``, so the index on ``action_at`` only holds the live ones.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from storage.models.core import _user_fk
from storage.types import UTCDateTime


class CheckinSlot(SQLModel, table=True):
    """One weekly check-in for one user.

    ``status`` is ``claimed`` (being sent), ``sent``, ``failed`` (the last attempt failed; ``pending`` says
    whether it will be retried), ``missed`` (too late to send: downtime longer than the catch-up window) or
    ``skipped`` (the user skipped this week, or every identity of theirs is unreachable); ``reason`` adds
    why. ``claimed_by``/``claimed_at`` identify the claim that may record the outcome; a claim older than
    its lease (``action_at``) may be taken over by another process.
    """

    __table_args__ = (
        UniqueConstraint("user_id", "slot_at", name="uq_checkinslot_user_slot"),
        Index(
            "ix_checkinslot_action_at",
            "action_at",
            postgresql_where=text("action_at IS NOT NULL"),
            sqlite_where=text("action_at IS NOT NULL"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = _user_fk()  # looked up through the unique (user_id, slot_at) index
    slot_at: datetime = Field(sa_type=UTCDateTime)
    status: str = Field(default="claimed", max_length=16)
    reason: str | None = Field(default=None, max_length=16)
    kind: str | None = Field(default=None, max_length=16)  # study / reflect, fixed at the first send
    topic: str | None = Field(default=None, max_length=64)  # the reflection prompt key shown
    attempts: int = 0
    claimed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    claimed_by: str | None = Field(default=None, max_length=64)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    late: bool = False
    last_sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)  # check-in or reminder
    answered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    snoozed_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    followup_due_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    followup_sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    pending: str | None = Field(default=None, max_length=16)  # checkin / reminder / followup
    action_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
