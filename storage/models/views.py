"""What was last shown on a platform surface that Encore rewrites whole (Slack's App Home), per identity."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, Integer
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime


class PublishedView(SQLModel, table=True):
    """The digest of the view last published for an identity, and the platform's own hash of it.

    A view whose digest matches is not published again; the platform's hash goes with the next publish,
    so the platform refuses it if another replica published in between. Rows go with their identity.
    """

    identity_id: int = Field(
        sa_column=Column(Integer, ForeignKey("identity.id", ondelete="CASCADE"), primary_key=True)
    )
    surface: str = Field(primary_key=True, max_length=16)
    digest: str = Field(max_length=64)
    platform_hash: str | None = Field(default=None, max_length=128)
    published_at: datetime = Field(sa_type=UTCDateTime)
