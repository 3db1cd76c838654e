"""Who a batch of check-ins goes to, and what rendering them needs: each user with their identities and the
reflection prompts they answered. Read a batch at a time, never per user."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select as select_columns  # sqlmodel's select types at most four columns
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from storage.models import Identity, JournalEntry, User


@dataclass(frozen=True, slots=True)
class Reach:
    """One identity of a user, as far as sending to it goes."""

    identity_id: int
    platform: str
    workspace: str
    external_id: str
    chat_id: str
    language_code: str | None
    unreachable: bool
    last_seen_at: datetime


@dataclass(frozen=True, slots=True)
class CheckinUser:
    """What rendering and sending a check-in needs to know about its user."""

    user_id: int
    language: str | None
    timezone: str
    created_at: datetime
    last_seen_at: datetime
    followup_hours: int
    checkin_hour: int | None
    checkin_minute: int
    identities: tuple[Reach, ...]
    checkin_seen_at: datetime | None = None  # the first event after the latest check-in went out
    holiday_country: str | None = None


async def checkin_users(session: AsyncSession, user_ids: Sequence[int]) -> dict[int, CheckinUser]:
    result = await session.execute(
        select_columns(
            col(User.id),
            col(User.language),
            col(User.timezone),
            col(User.created_at),
            col(User.last_seen_at),
            col(User.followup_hours),
            col(User.checkin_hour),
            col(User.checkin_minute),
            col(User.checkin_seen_at),
            col(User.holiday_country),
            col(Identity.id),
            col(Identity.platform),
            col(Identity.workspace),
            col(Identity.external_id),
            col(Identity.chat_id),
            col(Identity.language_code),
            col(Identity.unreachable),
            col(Identity.last_seen_at),
        )
        .join(Identity, col(Identity.user_id) == col(User.id))
        .where(col(User.id).in_(user_ids))
    )
    users: dict[int, tuple[Any, ...]] = {}
    reach: dict[int, list[Reach]] = defaultdict(list)
    for row in result:
        values: tuple[Any, ...] = tuple(row)
        users[values[0]] = values[:10]
        reach[values[0]].append(Reach(*values[10:]))
    return {
        user_id: CheckinUser(
            user_id=user_id,
            language=fields[1],
            timezone=fields[2],
            created_at=fields[3],
            last_seen_at=fields[4],
            followup_hours=fields[5],
            checkin_hour=fields[6],
            checkin_minute=fields[7],
            checkin_seen_at=fields[8],
            holiday_country=fields[9],
            identities=tuple(reach[user_id]),
        )
        for user_id, fields in users.items()
    }


async def answered_prompts(session: AsyncSession, user_ids: Sequence[int]) -> dict[int, list[str]]:
    """Each user's answered reflection prompt keys, oldest first."""
    result = await session.execute(
        select(JournalEntry.user_id, JournalEntry.prompt_key)
        .where(col(JournalEntry.user_id).in_(user_ids), col(JournalEntry.kind) == "reflection")
        .order_by(col(JournalEntry.user_id), col(JournalEntry.created_at), col(JournalEntry.id))
    )
    answered: dict[int, list[str]] = defaultdict(list)
    for user_id, key in result:
        answered[user_id].append(key)
    return answered
