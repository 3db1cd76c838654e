"""Tables about the running service rather than about users: requests already taken, processes running.

Neither holds anything a user wrote, so neither belongs to a user (no ``user_id``): export, erasure and
merging pass them by.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime


class DeliveryReceipt(SQLModel, table=True):
    """A platform request that was taken (a Slack event id, a slash command's signature).

    Whichever process inserts the key first handles the request; a second delivery of it (a platform's
    retry, a replay, the same event sent to two replicas) finds the key and is only acknowledged.
    """

    key: str = Field(primary_key=True, max_length=128)
    received_at: datetime = Field(sa_type=UTCDateTime, index=True)


class RunningProcess(SQLModel, table=True):
    """A lease: an Encore process (``encore run``, ``encore chat``) that works on this database now.

    The process writes ``beat_at`` every few seconds and deletes its row when it stops; a row whose beat is
    older than the lease belongs to a process that died. Restoring a backup is refused while a lease lives.
    """

    id: str = Field(primary_key=True, max_length=36)
    command: str = Field(max_length=16)
    host: str = Field(max_length=255)
    pid: int
    started_at: datetime = Field(sa_type=UTCDateTime)
    beat_at: datetime = Field(sa_type=UTCDateTime)
