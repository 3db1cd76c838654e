"""Cooling-off reminders in storage: scheduling one for a note, claiming due ones once, recording outcomes.

The life of a row: ``pending`` with ``action_at = due_at``; claimed by one scheduler (a conditional update,
``FOR UPDATE SKIP LOCKED`` on PostgreSQL) with a lease in ``action_at``; marked in flight (``action_at``
cleared) right before its request; then ``sent``. A claim whose process died before the mark is taken over
when its lease runs out; one that died after the mark is never sent again (at most once per row).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import text, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from storage.models import CoolingOff, JournalEntry
from storage.models.understanding import CANCELLED, CLAIMED, PENDING, SENT


@dataclass(frozen=True, slots=True)
class DueReminder:
    """A claimed reminder with the note it brings back."""

    reminder_id: int
    user_id: int
    note_id: int
    due_at: datetime
    attempts: int
    claimed_by: str
    claimed_at: datetime
    note_text: str
    note_written_at: datetime


def _is_postgres(session: AsyncSession) -> bool:
    return session.get_bind().dialect.name == "postgresql"


async def schedule_reminder(
    session: AsyncSession, user_id: int, note_id: int, *, due_at: datetime, now: datetime
) -> CoolingOff:
    """Remind the user of their note at ``due_at``; a note has one reminder, so asking again moves it."""
    result = await session.execute(select(CoolingOff).where(CoolingOff.note_id == note_id))
    reminder = result.scalars().first()
    if reminder is None:
        reminder = CoolingOff(user_id=user_id, note_id=note_id, created_at=now, due_at=due_at)
        session.add(reminder)
    elif reminder.user_id != user_id:
        raise LookupError("that note belongs to someone else")
    reminder.due_at = reminder.action_at = due_at
    reminder.status, reminder.reason, reminder.claimed_by, reminder.claimed_at = PENDING, None, None, None
    await session.flush()
    return reminder


async def reminder_for_note(session: AsyncSession, user_id: int, note_id: int) -> CoolingOff | None:
    result = await session.execute(
        select(CoolingOff).where(CoolingOff.note_id == note_id, CoolingOff.user_id == user_id)
    )
    return result.scalars().first()


async def cancel_reminder(session: AsyncSession, user_id: int, note_id: int) -> bool:
    """Call off a reminder not yet sent; False if there is none (or it went out already)."""
    reminder = await reminder_for_note(session, user_id, note_id)
    if reminder is None or reminder.status not in (PENDING, CLAIMED) or reminder.reason == "in_flight":
        return False
    reminder.status, reminder.action_at = CANCELLED, None
    await session.flush()
    return True


async def pending_reminders(session: AsyncSession, user_id: int) -> list[CoolingOff]:
    """The user's reminders still to come, soonest first."""
    result = await session.execute(
        select(CoolingOff)
        .where(CoolingOff.user_id == user_id, col(CoolingOff.status).in_((PENDING, CLAIMED)))
        .order_by(col(CoolingOff.due_at))
    )
    return list(result.scalars())


async def claim_due(
    session: AsyncSession, now: datetime, *, limit: int, worker: str, lease: timedelta
) -> list[DueReminder]:
    """Claim up to ``limit`` reminders whose time has come (or whose earlier claim's lease ran out)."""
    due = (
        select(CoolingOff.id)
        .where(col(CoolingOff.action_at) <= now, col(CoolingOff.status).in_((PENDING, CLAIMED)))
        .order_by(col(CoolingOff.action_at))
        .limit(limit)
    )
    if _is_postgres(session):
        due = due.with_for_update(skip_locked=True)
    result = await session.execute(
        update(CoolingOff)
        .where(col(CoolingOff.id).in_(due.scalar_subquery()), col(CoolingOff.action_at) <= now)
        .values(
            status=CLAIMED,
            claimed_by=worker,
            claimed_at=now,
            attempts=col(CoolingOff.attempts) + 1,
            action_at=now + lease,
        )
        .returning(
            col(CoolingOff.id),
            col(CoolingOff.user_id),
            col(CoolingOff.note_id),
            col(CoolingOff.due_at),
            col(CoolingOff.attempts),
        )
        .execution_options(synchronize_session=False)
    )
    claimed = list(result)
    if not claimed:
        return []
    notes = await session.execute(
        select(JournalEntry.id, JournalEntry.answer, JournalEntry.created_at).where(
            col(JournalEntry.id).in_([row.note_id for row in claimed])
        )
    )
    by_id = {note_id: (answer, written) for note_id, answer, written in notes}
    return [
        DueReminder(
            reminder_id=row.id,
            user_id=row.user_id,
            note_id=row.note_id,
            due_at=row.due_at,
            attempts=row.attempts,
            claimed_by=worker,
            claimed_at=now,
            note_text=by_id[row.note_id][0],
            note_written_at=by_id[row.note_id][1],
        )
        for row in claimed
        if row.note_id in by_id
    ]


async def mark_in_flight(session: AsyncSession, reminder_ids: Sequence[int], worker: str) -> set[int]:
    """Mark reminders about to go out; returns the ones this worker still holds (send only those)."""
    if not reminder_ids:
        return set()
    if _is_postgres(session):
        await session.execute(text("SET LOCAL synchronous_commit TO OFF"))
    result = await session.execute(
        update(CoolingOff)
        .where(
            col(CoolingOff.id).in_(reminder_ids),
            col(CoolingOff.claimed_by) == worker,
            col(CoolingOff.status) == CLAIMED,
            col(CoolingOff.action_at).is_not(None),
        )
        .values(action_at=None, reason="in_flight")
        .returning(col(CoolingOff.id))
        .execution_options(synchronize_session=False)
    )
    return {reminder_id for reminder_id in result.scalars() if reminder_id is not None}


async def record_sent(session: AsyncSession, reminder: DueReminder, now: datetime) -> None:
    await _record(session, reminder, status=SENT, reason=None, action_at=None, sent_at=now)


async def record_retry(session: AsyncSession, reminder: DueReminder, *, at: datetime, reason: str) -> None:
    """Nothing went out: try again at ``at``."""
    await _record(session, reminder, status=PENDING, reason=reason[:16], action_at=at, sent_at=None)


async def record_dropped(session: AsyncSession, reminder: DueReminder, reason: str) -> None:
    """The reminder will not be sent (every identity unreachable, the note gone)."""
    await _record(session, reminder, status=CANCELLED, reason=reason[:16], action_at=None, sent_at=None)


async def _record(
    session: AsyncSession,
    reminder: DueReminder,
    *,
    status: str,
    reason: str | None,
    action_at: datetime | None,
    sent_at: datetime | None,
) -> None:
    """Write the outcome only where this claim still holds the row (a lost lease changes nothing)."""
    await session.execute(
        update(CoolingOff)
        .where(
            col(CoolingOff.id) == reminder.reminder_id,
            col(CoolingOff.claimed_by) == reminder.claimed_by,
            col(CoolingOff.claimed_at) == reminder.claimed_at,
        )
        .values(status=status, reason=reason, action_at=action_at, sent_at=sent_at)
        .execution_options(synchronize_session=False)
    )
