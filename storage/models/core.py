"""The tables every flow relies on: users, their platform identities, profile, conversation and journal."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Column, ForeignKey, Index, Integer, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.crypto import EncryptedJSON, EncryptedText
from storage.types import UTCDateTime


def _user_fk(*, primary_key: bool = False, index: bool = False) -> Any:
    return Field(
        sa_column=Column(
            Integer,
            ForeignKey("user.id", ondelete="CASCADE"),
            primary_key=primary_key,
            nullable=False,
            index=index,
        )
    )


class User(SQLModel, table=True):
    """One person, whichever platforms they use. Owns every other row."""

    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(sa_type=UTCDateTime)
    last_seen_at: datetime = Field(sa_type=UTCDateTime)
    language: str | None = Field(default=None, max_length=16)  # chosen in settings; None: follow platform
    timezone: str = Field(default="UTC", max_length=64)
    checkin_weekday: int | None = None  # 0 = Monday
    checkin_hour: int | None = None
    checkin_minute: int = 0
    checkins_paused: bool = False
    paused_until: date | None = None
    next_checkin_at: datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)
    holiday_country: str | None = Field(default=None, max_length=2)  # skip check-ins on its public holidays
    followup_hours: int = 24  # one gentle follow-up this long after an unanswered check-in; 0: none
    # The latest weekly slot taken (sent, skipped or a holiday): a new check-in day never gives a second
    # check-in in the same local week.
    last_slot_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # When the latest check-in (or its reminder) went out, and the user's first event after it: an answer
    # is recorded the moment it comes, however soon after the check-in, and is never confused with a later,
    # unrelated message.
    checkin_sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    checkin_seen_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # Whether this person's words may go to the operator's AI model (None: not answered), and when they
    # were asked (once) and answered.
    ai_consent: bool | None = None
    ai_consent_asked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    ai_consent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Identity(SQLModel, table=True):
    """A user as one platform knows them. Slack user ids are unique only within a workspace."""

    __table_args__ = (UniqueConstraint("platform", "workspace", "external_id", name="uq_identity_external"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = _user_fk(index=True)
    platform: str = Field(max_length=16)
    workspace: str = Field(default="", max_length=64)
    external_id: str = Field(max_length=64)
    chat_id: str = Field(max_length=64)
    language_code: str | None = Field(default=None, max_length=16)
    display_name: str | None = Field(default=None, sa_type=EncryptedText)  # the platform's, up to 128 chars
    unreachable: bool = False
    created_at: datetime = Field(sa_type=UTCDateTime)
    last_seen_at: datetime = Field(sa_type=UTCDateTime)


class Profile(SQLModel, table=True):
    """What onboarding learns: where the user stands and where they want to go (typed words encrypted)."""

    user_id: int = _user_fk(primary_key=True)
    current_role: str | None = Field(default=None, sa_type=EncryptedText)
    years_experience: int | None = None
    target_role: str | None = Field(default=None, max_length=64)  # a catalog key
    target_role_custom: str | None = Field(default=None, sa_type=EncryptedText)  # typed instead of a key
    horizon_date: date | None = None
    completed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class ConversationState(SQLModel, table=True):
    """Where the user is in a flow, so a restart or another instance continues the conversation.

    ``revision`` grows with every question asked; a button carries the revision it was made for, so a
    button from an older question (pressed twice, or forged) is recognised as expired.
    """

    user_id: int = _user_fk(primary_key=True)
    flow: str | None = Field(default=None, max_length=32)
    step: str | None = Field(default=None, max_length=32)
    revision: int = 0
    # The draft may hold a half-written reflection, so it is encrypted like the journal.
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(EncryptedJSON, nullable=False))
    updated_at: datetime = Field(sa_type=UTCDateTime)


# What a journal entry is: an answered reflection prompt, a note the user wrote outside any question, or a
# note written in an impulse to quit (kept so they can read it again with a clear head).
REFLECTION, NOTE, QUIT_NOTE = "reflection", "note", "quit_note"
NOTE_KINDS = (NOTE, QUIT_NOTE)


class JournalEntry(SQLModel, table=True):
    """One answered reflection prompt, or a note (``kind``; a note's ``prompt_text`` is its label)."""

    # A person's newest entries (a journal page, the dashboard app) straight from the index, unsorted rows
    # never read: with a thousand entries that is 20x faster on SQLite.
    __table_args__ = (Index("ix_journalentry_user_id_created_at", "user_id", "created_at"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = _user_fk(index=True)
    prompt_key: str = Field(max_length=64)
    theme: str = Field(max_length=32)
    prompt_text: str = Field(sa_type=EncryptedText)
    answer: str = Field(sa_type=EncryptedText)
    confidence: int | None = None
    language: str = Field(default="en", max_length=16)
    created_at: datetime = Field(sa_type=UTCDateTime, index=True)
    kind: str = Field(default=REFLECTION, max_length=16, sa_column_kwargs={"server_default": REFLECTION})
