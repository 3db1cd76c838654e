"""The private journal: answered reflection prompts, and notes the user wrote outside any question."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from storage.models import JournalEntry
from storage.models.core import NOTE, NOTE_KINDS, REFLECTION


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
        .where(JournalEntry.user_id == user_id, JournalEntry.kind == REFLECTION)
        .order_by(col(JournalEntry.created_at), col(JournalEntry.id))
    )
    return list(result.scalars())


async def latest_entry(session: AsyncSession, user_id: int) -> JournalEntry | None:
    """The newest answered reflection (a note is not a reflection)."""
    result = await session.execute(
        select(JournalEntry)
        .where(JournalEntry.user_id == user_id, JournalEntry.kind == REFLECTION)
        .order_by(col(JournalEntry.created_at).desc(), col(JournalEntry.id).desc())
        .limit(1)
    )
    return result.scalars().first()


async def add_note(
    session: AsyncSession,
    user_id: int,
    text: str,
    *,
    label: str,
    language: str,
    now: datetime,
    kind: str = NOTE,
) -> JournalEntry:
    """Keep what the user wrote outside any question; ``label`` (in their language) heads it in /journal."""
    if kind not in NOTE_KINDS:
        raise ValueError(f"not a note kind: {kind!r}")
    entry = JournalEntry(
        user_id=user_id,
        prompt_key=kind,
        theme=kind,
        prompt_text=label,
        answer=text,
        language=language,
        created_at=now,
        kind=kind,
    )
    return await add_entry(session, entry)


async def get_note(session: AsyncSession, user_id: int, note_id: int) -> JournalEntry | None:
    """The user's own note ``note_id``; ``None`` for someone else's, a reflection, or none at all."""
    entry = await session.get(JournalEntry, note_id)
    if entry is None or entry.user_id != user_id or entry.kind not in NOTE_KINDS:
        return None
    return entry


async def delete_note(session: AsyncSession, user_id: int, note_id: int) -> bool:
    """Delete the user's note (its cooling-off reminder goes with it); False if it is not theirs."""
    entry = await get_note(session, user_id, note_id)
    if entry is None:
        return False
    await session.delete(entry)
    await session.flush()
    return True


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
