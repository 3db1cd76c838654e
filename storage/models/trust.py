"""Tables behind linking accounts and the operator's view: link codes, failed link attempts, weeks of activity."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Field, SQLModel

from storage.models.core import _user_fk
from storage.types import UTCDateTime


class LinkCode(SQLModel, table=True):
    """A one-time code that joins another platform identity to this user.

    Only a hash of the code is kept, so a leaked database row cannot be typed into a chat.
    """

    __table_args__ = {"info": {"exported": False}}  # a used or expired hash tells the user nothing

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = _user_fk(index=True)
    code_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class ActiveWeek(SQLModel, table=True):
    """A week (starting Monday, UTC) in which the user wrote to the coach: enough for weekly retention."""

    user_id: int = _user_fk(primary_key=True)
    week: date = Field(primary_key=True)


class LinkAttempt(SQLModel, table=True):
    """A code a user entered that did not link anything: counted so codes cannot be guessed by the thousand."""

    __table_args__ = {"info": {"exported": False}}  # when someone mistyped a code is no part of their data

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = _user_fk(index=True)
    at: datetime = Field(sa_type=UTCDateTime)
