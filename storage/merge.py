"""Joining two users into one (``/link``), keeping everything either of them had.

Every row of every user-owned table moves to the user who stays. Where a table allows one row per user
(a profile) or per user and key (a skill, a check-in slot), the two rows cannot both stay: the more
complete one is kept. The tables are found from the schema (see :mod:`storage.ownership`), so tables added
by later features are merged without being listed here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Column, Table, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import SQLModel, col

from storage.models import User
from storage.ownership import owned_tables, unique_keys, user_table

# Settings that belong together: copied as a group from the absorbed user when the survivor has none.
_SCHEDULE = (
    "timezone",
    "checkin_weekday",
    "checkin_hour",
    "checkin_minute",
    "checkins_paused",
    "paused_until",
    "next_checkin_at",
)


def completeness(row: Mapping[str, Any], skip: set[str]) -> int:
    """How many of the row's own fields hold something (not null, not empty)."""
    return sum(1 for name, value in row.items() if name not in skip and value not in (None, "", {}, []))


async def choose_survivor(session: AsyncSession, first_id: int, second_id: int) -> tuple[int, int]:
    """(keep, absorb): the older account stays, so its id, settings and history anchor the merge."""
    result = await session.execute(
        select(col(User.id))
        .where(col(User.id).in_([first_id, second_id]))
        .order_by(col(User.created_at), col(User.id))
    )
    ids = [row[0] for row in result if row[0] is not None]
    if len(ids) != 2:
        raise LookupError("one of the users to merge no longer exists")
    return ids[0], ids[1]


async def merge_users(session: AsyncSession, keep_id: int, absorb_id: int) -> None:
    """Move everything of ``absorb_id`` to ``keep_id`` and delete ``absorb_id``.

    Objects loaded in this session are forgotten afterwards (rows moved under them); the caller should
    not use them to write.
    """
    await session.flush()
    # Lock both users, oldest first, so a concurrent event of either waits for the merge to finish.
    users = user_table()
    await session.execute(
        select(users.c.id).where(users.c.id.in_([keep_id, absorb_id])).order_by(users.c.id).with_for_update()
    )
    state_revision = await _highest_revision(session, keep_id, absorb_id)
    for table, owner in owned_tables():
        await _move_rows(session, table, owner, keep_id, absorb_id)
    await _merge_user_row(session, keep_id, absorb_id)
    # A button shown to either account before the merge must not match the kept conversation.
    states = _conversation_states()
    await session.execute(
        update(states).where(states.c.user_id == keep_id).values(revision=state_revision + 1)
    )
    await session.execute(delete(users).where(users.c.id == absorb_id))
    session.expunge_all()


def _conversation_states() -> Table:
    return SQLModel.metadata.tables["conversationstate"]


async def _highest_revision(session: AsyncSession, keep_id: int, absorb_id: int) -> int:
    table = _conversation_states()
    result = await session.execute(
        select(func.max(table.c.revision)).where(table.c.user_id.in_([keep_id, absorb_id]))
    )
    return int(result.scalar_one() or 0)


async def _move_rows(
    session: AsyncSession, table: Table, owner: Column[Any], keep_id: int, absorb_id: int
) -> None:
    keys = unique_keys(table, owner)
    if not keys:
        await session.execute(update(table).where(owner == absorb_id).values({owner.name: keep_id}))
        return
    primary = list(table.primary_key.columns)
    skip = {owner.name, *(c.name for c in primary if c.autoincrement is True or c.name == "id")}
    result = await session.execute(select(table).where(owner == absorb_id))
    moved = [dict(row) for row in result.mappings()]
    for row in moved:
        rival = await _rival(session, table, owner, keep_id, row, keys)
        here = [column == row[column.name] for column in primary]
        if rival is not None:
            if completeness(row, skip) <= completeness(rival, skip):
                await session.execute(delete(table).where(*here))
                continue
            await session.execute(delete(table).where(*(column == rival[column.name] for column in primary)))
        await session.execute(update(table).where(*here).values({owner.name: keep_id}))


async def _rival(
    session: AsyncSession,
    table: Table,
    owner: Column[Any],
    keep_id: int,
    row: Mapping[str, Any],
    keys: list[tuple[str, ...]],
) -> Mapping[str, Any] | None:
    """The survivor's row that ``row`` would collide with under one of the unique ``keys``."""
    for key in keys:
        others = [name for name in key if name != owner.name]
        if any(row[name] is None for name in others):
            continue  # NULLs never collide in a unique constraint
        found = await session.execute(
            select(table).where(owner == keep_id, *(table.c[name] == row[name] for name in others)).limit(1)
        )
        rival = found.mappings().first()
        if rival is not None:
            return dict(rival)
    return None


async def _merge_user_row(session: AsyncSession, keep_id: int, absorb_id: int) -> None:
    users = user_table()
    rows = (await session.execute(select(users).where(users.c.id.in_([keep_id, absorb_id])))).mappings().all()
    keep = next(row for row in rows if row["id"] == keep_id)
    absorb = next(row for row in rows if row["id"] == absorb_id)
    values: dict[str, Any] = {
        "created_at": min(keep["created_at"], absorb["created_at"]),
        "last_seen_at": max(keep["last_seen_at"], absorb["last_seen_at"]),
    }
    if keep["checkin_weekday"] is None and absorb["checkin_weekday"] is not None:
        values.update({name: absorb[name] for name in _SCHEDULE})
    for name in users.columns.keys():
        if name not in values and name not in _SCHEDULE and keep[name] is None and absorb[name] is not None:
            values[name] = absorb[name]
    await session.execute(update(users).where(users.c.id == keep_id).values(values))
