"""Weekly check-ins in storage: which are due, claiming each (user, slot) once, and recording outcomes.

Two kinds of work come out of here, a batch at a time so no process ever holds every user:

- weekly check-ins that are due: users whose ``next_checkin_at`` has come (an indexed range query). Each
  is claimed by inserting its ``CheckinSlot`` row; the unique (user_id, slot_at) key lets exactly one
  process win, and on PostgreSQL ``FOR UPDATE SKIP LOCKED`` keeps concurrent processes off each other's
  users instead of racing for them. The same transaction moves ``next_checkin_at`` to the following week.
- pending actions on slots (``action_at`` has come): a retry after a failure, a claim whose process died
  before recording its outcome (the lease ran out), a snoozed check-in coming back, the follow-up.

Outcomes are written back only by the claim that sent them (``claimed_by`` and ``claimed_at`` match), so a
process that lost its lease, or a user pressing a button meanwhile, is never overwritten.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Select, bindparam, func, text, update
from sqlalchemy import select as select_columns  # sqlmodel's select types at most four columns
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from storage.models import CheckinSlot, User
from storage.recipients import CheckinUser as CheckinUser
from storage.recipients import Reach as Reach
from storage.recipients import answered_prompts as answered_prompts
from storage.recipients import checkin_users as checkin_users
from storage.slots import latest_slot as latest_slot
from storage.slots import latest_slot_at as latest_slot_at
from storage.slots import slot_for_update as slot_for_update
from storage.slots import slots_of as slots_of
from storage.types import UTCDateTime

# What a slot can still be waiting for (``CheckinSlot.pending``); a holiday slot waits to announce itself.
CHECKIN, REMINDER, FOLLOWUP, HOLIDAY = "checkin", "reminder", "followup", "holiday"
# The columns an outcome rewrites.
OUTCOME_FIELDS = (
    "status",
    "reason",
    "kind",
    "topic",
    "sent_at",
    "late",
    "last_sent_at",
    "answered_at",
    "followup_due_at",
    "followup_sent_at",
    "pending",
    "action_at",
)
_DATETIMES = {"sent_at", "last_sent_at", "answered_at", "followup_due_at", "followup_sent_at", "action_at"}


@dataclass(frozen=True, slots=True)
class DueUser:
    """A user whose weekly check-in has come, with what it takes to schedule the next one."""

    user_id: int
    slot_at: datetime
    timezone: str
    checkin_weekday: int | None
    checkin_hour: int | None
    checkin_minute: int
    checkins_paused: bool
    paused_until: date | None
    holiday_country: str | None
    last_slot_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Work:
    """One claimed thing to send: ``action`` is ``checkin``, ``reminder`` or ``followup``, due at ``due_at``.

    ``state`` holds the slot's :data:`OUTCOME_FIELDS` as claimed; the outcome is written as a changed copy.
    """

    slot_id: int
    user_id: int
    slot_at: datetime
    action: str
    due_at: datetime
    attempts: int
    claimed_at: datetime
    claimed_by: str
    state: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Advance:
    """Move a claimed user's ``next_checkin_at`` from ``slot_at`` to ``next_at`` (``resume``: pause ended).

    ``last_slot_at`` is the latest slot now taken (the claimed one, or a holiday after it).
    """

    user_id: int
    slot_at: datetime
    next_at: datetime | None
    resume: bool = False
    last_slot_at: datetime | None = None


def _is_postgres(session: AsyncSession) -> bool:
    return session.get_bind().dialect.name == "postgresql"


# -- weekly check-ins -----------------------------------------------------------------------------------


def due_checkins_query(now: datetime, limit: int) -> Select[*tuple[Any, ...]]:
    """Users whose check-in has come, earliest first: a range scan of ``ix_user_next_checkin_at``."""
    return (
        select_columns(
            col(User.id),
            col(User.next_checkin_at),
            col(User.timezone),
            col(User.checkin_weekday),
            col(User.checkin_hour),
            col(User.checkin_minute),
            col(User.checkins_paused),
            col(User.paused_until),
            col(User.holiday_country),
            col(User.last_slot_at),
        )
        .where(col(User.next_checkin_at) <= now)
        .order_by(col(User.next_checkin_at))
        .limit(limit)
    )


async def due_checkins(session: AsyncSession, now: datetime, limit: int) -> list[DueUser]:
    """Up to ``limit`` users whose check-in is due at ``now``.

    On PostgreSQL the rows are locked until the transaction ends and rows another process has locked are
    skipped, so concurrent schedulers each take different users.
    """
    query = due_checkins_query(now, limit)
    if _is_postgres(session):
        query = query.with_for_update(of=User, skip_locked=True)
    result = await session.execute(query)
    return [DueUser(*row) for row in result]


def _insert(session: AsyncSession) -> Any:
    return pg_insert if _is_postgres(session) else sqlite_insert


async def claim_slots(
    session: AsyncSession, due: Sequence[DueUser], now: datetime, *, worker: str, lease: timedelta
) -> list[Work]:
    """Insert a claimed slot for each due user; only the ones this call inserted are returned.

    A slot someone else already holds (or already sent) conflicts on (user_id, slot_at) and is left alone.
    """
    if not due:
        return []
    rows = [
        {
            "user_id": user.user_id,
            "slot_at": user.slot_at,
            "status": "claimed",
            "attempts": 1,
            "claimed_at": now,
            "claimed_by": worker,
            "pending": CHECKIN,
            "action_at": now + lease,
            "late": False,
        }
        for user in due
    ]
    table = CheckinSlot.__table__  # type: ignore[attr-defined]
    statement = (
        _insert(session)(table)
        .on_conflict_do_nothing(index_elements=["user_id", "slot_at"])
        .returning(table.c.id, table.c.user_id, table.c.slot_at)
    )
    # A list of parameter sets runs as batched multi-row INSERTs ("insertmanyvalues"), compiled once.
    result = await session.execute(statement, rows)
    fresh = {name: None for name in OUTCOME_FIELDS} | {"status": "claimed", "late": False, "pending": CHECKIN}
    return [
        Work(
            slot_id=slot_id,
            user_id=user_id,
            slot_at=slot_at,
            action=CHECKIN,
            due_at=slot_at,
            attempts=1,
            claimed_at=now,
            claimed_by=worker,
            state=dict(fresh, action_at=now + lease),
        )
        for slot_id, user_id, slot_at in result
    ]


async def advance_users(session: AsyncSession, advances: Sequence[Advance]) -> None:
    """Move each claimed user on to their next check-in, unless their schedule changed meanwhile."""
    table = User.__table__  # type: ignore[attr-defined]
    unchanged = (table.c.id == bindparam("b_id")) & (
        table.c.next_checkin_at == bindparam("b_old", type_=UTCDateTime)
    )
    next_at = bindparam("b_next", type_=UTCDateTime)
    last = bindparam("b_last", type_=UTCDateTime)

    def params(advance: Advance) -> dict[str, Any]:
        latest = max(advance.slot_at, advance.last_slot_at or advance.slot_at)
        return {
            "b_id": advance.user_id,
            "b_old": advance.slot_at,
            "b_next": advance.next_at,
            "b_last": latest,
        }

    plain = [params(a) for a in advances if not a.resume]
    resumed = [params(a) for a in advances if a.resume]
    if plain:
        await session.execute(
            update(table).where(unchanged).values(next_checkin_at=next_at, last_slot_at=last), plain
        )
    if resumed:  # a pause until a date has run out: it is over, not just ignored
        statement = update(table).where(unchanged)
        await session.execute(
            statement.values(
                next_checkin_at=next_at, checkins_paused=False, paused_until=None, last_slot_at=last
            ),
            resumed,
        )


async def add_holiday_slots(session: AsyncSession, holidays: Sequence[tuple[int, datetime]]) -> None:
    """Record weeks skipped for a public holiday, each to announce itself at its slot's time."""
    if not holidays:
        return
    rows = [
        {
            "user_id": user_id,
            "slot_at": slot_at,
            "status": "skipped",
            "reason": "holiday",
            "kind": HOLIDAY,
            "attempts": 0,
            "late": False,
            "pending": HOLIDAY,
            "action_at": slot_at,
        }
        for user_id, slot_at in holidays
    ]
    table = CheckinSlot.__table__  # type: ignore[attr-defined]
    await session.execute(
        _insert(session)(table).on_conflict_do_nothing(index_elements=["user_id", "slot_at"]), rows
    )


async def settle_earlier_slots(session: AsyncSession, user_ids: Sequence[int]) -> None:
    """A new week begins for these users: close what their earlier check-ins were still waiting for.

    An earlier check-in counts as answered if the user's first event after it came within its week (a
    message weeks later answers nothing); a snooze or a follow-up still pending from it is dropped (the new
    check-in replaces it).
    """
    if not user_ids:
        return
    open_slots = await session.execute(
        select_columns(
            col(CheckinSlot.id),
            col(CheckinSlot.slot_at),
            col(CheckinSlot.last_sent_at),
            col(User.checkin_seen_at),
        )
        .join(User, col(User.id) == col(CheckinSlot.user_id))
        .where(
            col(CheckinSlot.user_id).in_(user_ids),
            col(CheckinSlot.status) == "sent",
            col(CheckinSlot.answered_at).is_(None),
            col(CheckinSlot.last_sent_at) <= col(User.checkin_seen_at),
        )
    )
    answered = [
        {"b_id": slot_id, "b_seen": seen}
        for slot_id, slot_at, _sent, seen in open_slots
        if seen is not None and seen < slot_at + timedelta(days=7)
    ]
    if answered:
        table = CheckinSlot.__table__  # type: ignore[attr-defined]
        await session.execute(
            update(table)
            .where(table.c.id == bindparam("b_id"))
            .values(answered_at=bindparam("b_seen", type_=UTCDateTime)),
            answered,
        )
    await session.execute(
        update(CheckinSlot)
        .where(col(CheckinSlot.user_id).in_(user_ids), col(CheckinSlot.pending).in_((REMINDER, FOLLOWUP)))
        .values(pending=None, action_at=None)
        .execution_options(synchronize_session=False)
    )


# -- pending actions --------------------------------------------------------------------------------------


async def claim_pending(
    session: AsyncSession, now: datetime, *, limit: int, worker: str, lease: timedelta
) -> list[Work]:
    """Claim up to ``limit`` slots whose next action is due: retries, expired claims, reminders, follow-ups."""
    due = (
        select(CheckinSlot.id)
        .where(col(CheckinSlot.action_at) <= now)
        .order_by(col(CheckinSlot.action_at))
        .limit(limit)
    )
    if _is_postgres(session):
        due = due.with_for_update(skip_locked=True)
    slot = CheckinSlot
    result = await session.execute(
        update(slot)
        .where(col(slot.id).in_(due.scalar_subquery()), col(slot.action_at) <= now)
        .values(
            claimed_at=now,
            claimed_by=worker,
            attempts=col(slot.attempts) + 1,
            action_at=now + lease,
        )
        .returning(
            col(slot.id),
            col(slot.user_id),
            col(slot.slot_at),
            col(slot.attempts),
            col(slot.snoozed_until),
            *(getattr(slot, name) for name in OUTCOME_FIELDS),
        )
        .execution_options(synchronize_session=False)
    )
    claimed = []
    for row in result:
        state = {name: getattr(row, name) for name in OUTCOME_FIELDS}
        action = state["pending"] or CHECKIN
        due_at = {REMINDER: row.snoozed_until, FOLLOWUP: state["followup_due_at"]}.get(action) or row.slot_at
        claimed.append(
            Work(
                slot_id=row.id,
                user_id=row.user_id,
                slot_at=row.slot_at,
                action=action,
                due_at=due_at,
                attempts=row.attempts,
                claimed_at=now,
                claimed_by=worker,
                state=state,
            )
        )
    return claimed


# -- what rendering needs, a batch at a time (who the users are: storage/recipients.py) -------------------


# -- outcomes ---------------------------------------------------------------------------------------------


async def mark_in_flight(
    session: AsyncSession,
    slot_ids: Sequence[int],
    worker: str,
    now: datetime | None = None,
    *,
    awaiting: Sequence[int] = (),
) -> set[int]:
    """Mark slots whose message is about to go out; returns those this worker still holds.

    A marked slot has no ``action_at``, so a process that dies while the request is under way leaves it
    claimed but never taken over: whether that message arrived cannot be known, and sending it again could
    make it arrive twice. The outcome recorded after the send sets ``action_at`` again where a retry is due.
    For the ``awaiting`` slots (a check-in or its reminder, which expect an answer) the user row notes the
    instant, so the user's next event is recorded as an answer however soon it comes.
    """
    if not slot_ids:
        return set()
    if _is_postgres(session):
        # The mark guards against this process dying, not the database server: it need not wait for the
        # WAL flush, which would otherwise pace every send at disk latency.
        await session.execute(text("SET LOCAL synchronous_commit TO OFF"))
    result = await session.execute(
        update(CheckinSlot)
        .where(
            col(CheckinSlot.id).in_(slot_ids),
            col(CheckinSlot.claimed_by) == worker,
            col(CheckinSlot.action_at).is_not(None),
        )
        .values(action_at=None, reason="in_flight")
        .returning(col(CheckinSlot.id), col(CheckinSlot.user_id))
        .execution_options(synchronize_session=False)
    )
    held: dict[int, int] = {slot_id: user_id for slot_id, user_id in result if slot_id is not None}
    answering = sorted({held[slot_id] for slot_id in awaiting if slot_id in held})
    if answering and now is not None:
        await session.execute(
            update(User)
            .where(col(User.id).in_(answering))
            .values(checkin_sent_at=now)
            .execution_options(synchronize_session=False)
        )
    return set(held)


async def record_outcomes(session: AsyncSession, outcomes: Sequence[dict[str, Any]]) -> None:
    """Write each slot's new state (every key of :data:`OUTCOME_FIELDS` plus ``slot_id``, ``claimed_by``
    and ``claimed_at``), only where that claim still holds the slot."""
    if not outcomes:
        return
    table = CheckinSlot.__table__  # type: ignore[attr-defined]
    statement = (
        update(table)
        .where(
            table.c.id == bindparam("b_slot_id"),
            table.c.claimed_by == bindparam("b_claimed_by"),
            table.c.claimed_at == bindparam("b_claimed_at", type_=UTCDateTime),
        )
        .values(
            {
                name: bindparam(f"b_{name}", type_=UTCDateTime)
                if name in _DATETIMES
                else bindparam(f"b_{name}")
                for name in OUTCOME_FIELDS
            }
            # An answer recorded meanwhile (a button pressed while the send was under way) is never undone.
            | {
                "answered_at": func.coalesce(
                    table.c.answered_at, bindparam("b_answered_at", type_=UTCDateTime)
                )
            }
        )
    )
    await session.execute(statement, [{f"b_{key}": value for key, value in o.items()} for o in outcomes])


# -- what a check-in button needs ------------------------------------------------------------------------
