"""Tables about the running service rather than about users: requests already taken, processes running,
Telegram updates not yet handled.

None belongs to a user (no ``user_id``): export, erasure and merging pass them by. Only the inbox holds
what a user wrote, for the seconds until it is handled, encrypted like every user's text.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Column
from sqlmodel import Field, SQLModel

from storage.crypto import EncryptedText
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


class TelegramInbox(SQLModel, table=True):
    """A Telegram update written down before Telegram was told it arrived, until it has been handled.

    ``claimed_by`` names the process handling it since ``claimed_at``; a claim older than the inbox lease
    belongs to a process that died (or is very slow), and another process takes the update over. A row is
    deleted once its update was handled; the coach takes each update once (a receipt keyed by its id), so
    an update taken over after it was handled changes nothing.
    """

    update_id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    payload: str = Field(sa_type=EncryptedText)  # the update as Telegram sent it (JSON)
    received_at: datetime = Field(sa_type=UTCDateTime)
    claimed_by: str = Field(max_length=64)
    claimed_at: datetime = Field(sa_type=UTCDateTime, index=True)


class SendPace(SQLModel, table=True):
    """The pace of one bot token (``name``) for every replica (see :mod:`storage.pace`): when its recent
    messages went, and until when a 429 holds it (``next_at``). Used on PostgreSQL only."""

    name: str = Field(primary_key=True, max_length=64)
    next_at: datetime = Field(sa_type=UTCDateTime)
    recent: str = ""  # when its messages of the last second went: seconds since 1970, comma-separated
