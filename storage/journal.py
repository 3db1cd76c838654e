"""The private reflection journal."""

from __future__ import annotations

from sqlalchemy import func
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from storage.models import JournalEntry


async def add_entry(session: AsyncSession, entry: JournalEntry) -> JournalEntry:
    session.add(entry)
    await session.flush()
    return entry


async def count_entries(session: AsyncSession, user_id: int) -> int:
    result = await session.execute(
        select(func.count()).select_from(JournalEntry).where(JournalEntry.user_id == user_id)
    )
    return int(result.scalar_one())


async def page_of_entries(
    session: AsyncSession, user_id: int, *, offset: int, limit: int
) -> list[JournalEntry]:
    """Entries newest first."""
    result = await session.execute(
        select(JournalEntry)
        .where(JournalEntry.user_id == user_id)
        .order_by(col(JournalEntry.created_at).desc(), col(JournalEntry.id).desc())
        .offset(offset)
        .limit(limit)
    )
    return list(result.scalars())


async def answered_prompt_keys(session: AsyncSession, user_id: int) -> list[str]:
    """Keys of the prompts this user has answered, oldest first."""
    result = await session.execute(
        select(JournalEntry.prompt_key)
        .where(JournalEntry.user_id == user_id)
        .order_by(col(JournalEntry.created_at), col(JournalEntry.id))
    )
    return list(result.scalars())


async def latest_entry(session: AsyncSession, user_id: int) -> JournalEntry | None:
    entries = await page_of_entries(session, user_id, offset=0, limit=1)
    return entries[0] if entries else None


async def entries_matching(
    session: AsyncSession, user_id: int, words: str, *, limit: int
) -> tuple[list[JournalEntry], int]:
    """Entries whose prompt or answer holds ``words`` (any case), newest first: at most ``limit`` of them,
    and how many match in all.

    Journal text is encrypted at rest, so the database cannot search it: the user's entries are read and
    matched here, in this process, and never leave it for anyone else.
    """
    needle = words.casefold()
    result = await session.execute(
        select(JournalEntry)
        .where(JournalEntry.user_id == user_id)
        .order_by(col(JournalEntry.created_at).desc(), col(JournalEntry.id).desc())
    )
    found = [
        entry
        for entry in result.scalars()
        if needle in entry.answer.casefold() or needle in entry.prompt_text.casefold()
    ]
    return found[:limit], len(found)
