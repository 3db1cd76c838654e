"""One scheduler tick: claim what is due, render it, send it through the outbox, record what happened.

The tick keeps no coaching judgement: what a check-in says comes from the coach (:mod:`coach.nudges`,
reading the plan model through :func:`coach.study_facts.checkin_study`); this module only claims, renders
through the coach and sends.

Work comes a batch at a time (``batch_size`` users or slots), so memory stays flat however many users are
due. Every batch is claimed in its own transaction before anything is sent, and outcomes are recorded in
small groups as sends complete. A process that dies mid-batch leaves claimed slots behind; their lease
runs out and a later tick (of any process) sends them. Nothing is ever sent twice for one (user, slot).
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import time
import uuid
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.inflight import InFlightMarks
from bot.outbox import Delivered, Outbox
from coach.content import Content, get_content
from coach.delivery import Recipient
from coach.flows import default_flows
from coach.i18n import Translator, normalize_language, translator
from coach.messages import Reply
from coach.nudges import (
    LATE_AFTER,
    CheckinPlan,
    StudyView,
    plan_checkin,
    render_checkin,
    render_followup,
    render_holiday,
)
from coach.public_holidays import holiday_name
from coach.schedule import checkin_after_slot, pause_is_over, skipped_holidays
from coach.study_facts import checkin_study
from storage import nudges as store
from storage import plan as plan_store
from storage import users
from storage.db import Database
from storage.nudges import CHECKIN, FOLLOWUP, HOLIDAY, REMINDER, Advance, CheckinUser, DueUser, Reach, Work

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
BATCH_SIZE = 1000
RECORD_EVERY = timedelta(seconds=0.5)  # how long finished sends wait to be recorded, at most
LEASE = timedelta(minutes=10)
HOLIDAY_LOOKBACK = timedelta(weeks=8)  # holiday weeks passed over before the first tick saw them
MAX_BACKOFF = timedelta(minutes=30)


def _worker_name() -> str:
    return f"{socket.gethostname()[:32]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


@dataclass
class TickReport:
    """What one tick did, by outcome."""

    sent: int = 0
    late: int = 0
    reminders: int = 0
    followups: int = 0
    missed: int = 0
    retrying: int = 0
    unreachable: int = 0
    answered: int = 0  # follow-ups not needed: the user had already written
    dropped: int = 0  # reminders and follow-ups that came due during downtime
    holidays: int = 0  # "no check-in this week" notes for a public holiday
    uncertain: int = 0  # check-ins whose send timed out after going out: perhaps delivered, never resent

    def summary(self) -> str:
        return ", ".join(f"{name} {value}" for name, value in vars(self).items())


@dataclass
class _Send:
    work: Work
    person: CheckinUser
    reach: Reach
    replies: list[Reply]
    plan: CheckinPlan | None
    late: bool = False
    delivered: Delivered | None = None
    marked_at: datetime | None = None  # when the slot was marked in flight, right before the send


class CheckinRunner:
    """Runs ticks against ``database``, sending through ``outbox``.

    ``clock`` gives "now" (a fixed instant for ``encore nudges send-due --now``); ``catchup`` is how late a
    check-in may still go out after downtime; ``commands`` are the coach's commands (default: every flow's),
    so a check-in never offers a button that leads nowhere; ``worker`` names this process in its claims.
    """

    def __init__(
        self,
        database: Database,
        outbox: Outbox,
        *,
        clock: Clock = lambda: datetime.now(UTC),
        catchup: timedelta = timedelta(hours=12),
        content: Content | None = None,
        commands: Collection[str] | None = None,
        batch_size: int = BATCH_SIZE,
        lease: timedelta = LEASE,
        worker: str | None = None,
    ) -> None:
        self.database = database
        self.outbox = outbox
        self.clock = clock
        self.catchup = catchup
        self.content = content or get_content()
        self.commands = (
            frozenset(commands)
            if commands is not None
            else frozenset(command for flow in default_flows() for command in flow.commands)
        )
        self.batch_size = batch_size
        self.lease = lease
        self.worker = worker or _worker_name()
        self._marks = InFlightMarks(database, self.worker, clock)

    async def tick(self) -> TickReport:
        """Send everything due now: weekly check-ins first, then retries, reminders and follow-ups."""
        report = TickReport()
        for claim in (self._claim_weekly, self._claim_pending):
            # The next batch is claimed and rendered while the previous one is still being sent, so a
            # paced platform never waits on the database; at most two batches are in memory.
            sending: asyncio.Task[None] | None = None
            try:
                while work := await claim():
                    sends = await self._prepare(work, report)
                    if sending is not None:
                        await sending
                    sending = asyncio.ensure_future(self._deliver(sends, report))
                if sending is not None:
                    await sending
            finally:
                if sending is not None and not sending.done():
                    sending.cancel()
        if any(vars(report).values()):
            log.info("check-in tick: %s", report.summary())
        return report

    # -- claiming ---------------------------------------------------------------------------------------
    async def _claim_weekly(self) -> list[Work]:
        """Claim the next batch of due weekly check-ins and move those users on to their next one."""
        while True:
            now = self.clock()
            async with self.database.session() as session:
                due = await store.due_checkins(session, now, self.batch_size)
                if not due:
                    return []
                work = await store.claim_slots(session, due, now, worker=self.worker, lease=self.lease)
                advances = [self._advance(user, now) for user in due]
                await store.advance_users(session, [advance for advance, _ in advances])
                await store.add_holiday_slots(
                    session, [(advance.user_id, at) for advance, holidays in advances for at in holidays]
                )
                await store.settle_earlier_slots(session, [w.user_id for w in work])
            if work:
                return work
            # Every slot of this batch was already claimed elsewhere; those users moved on all the same.

    def _advance(self, user: DueUser, now: datetime) -> tuple[Advance, list[datetime]]:
        """The user's next check-in, and the holiday weeks passed over on the way (before and after)."""
        next_at = checkin_after_slot(user, user.slot_at, now, self.catchup)
        since = max(user.last_slot_at or user.slot_at - HOLIDAY_LOOKBACK, user.slot_at - HOLIDAY_LOOKBACK)
        holidays = skipped_holidays(user, since, user.slot_at)
        if next_at is not None:
            holidays += skipped_holidays(user, user.slot_at, next_at)
        advance = Advance(
            user.user_id,
            user.slot_at,
            next_at,
            resume=pause_is_over(user, user.slot_at),
            last_slot_at=max([user.slot_at, *holidays]),
        )
        return advance, holidays

    async def _claim_pending(self) -> list[Work]:
        async with self.database.session() as session:
            return await store.claim_pending(
                session, self.clock(), limit=self.batch_size, worker=self.worker, lease=self.lease
            )

    # -- deciding and rendering -------------------------------------------------------------------------
    async def _prepare(self, batch: Sequence[Work], report: TickReport) -> list[_Send]:
        """Render what is to be sent; record at once what is not (missed, unreachable, answered)."""
        now = self.clock()
        user_ids = sorted({w.user_id for w in batch})
        async with self.database.session() as session:
            people = await store.checkin_users(session, user_ids)
            answered = await store.answered_prompts(session, user_ids)
            histories = await plan_store.histories(session, user_ids)
            goals = await plan_store.active_goals_of(session, user_ids)
        outcomes: list[dict[str, Any]] = []
        sends: list[_Send] = []
        for work in batch:
            person = people.get(work.user_id)
            if person is None:  # the user deleted their data meanwhile; the slot went with it
                continue
            final = self._without_sending(work, person, now, report)
            if final is not None:
                outcomes.append(final)
                continue
            reach = _choose_identity(person, self.outbox)
            if reach is None:
                report.unreachable += 1
                outcomes.append(self._outcome(work, _unreachable(work)))
                continue
            if work.action == HOLIDAY:
                t = _translator(person, reach)
                name = holiday_name(person.holiday_country, _local_day(work.slot_at, person), t.language)
                if name is None:  # the user changed their settings since: the week is not a holiday now
                    outcomes.append(self._outcome(work, _no_longer_holiday()))
                else:
                    sends.append(_Send(work, person, reach, [render_holiday(name, t)], None))
                continue
            history = histories[work.user_id]
            study, streak = checkin_study(
                goals.get(work.user_id, []),
                history.logs,
                history.slots,
                history.pauses,
                timezone=person.timezone,
                now=now,
                content=self.content,
            )
            plan = self._plan(work, person, answered.get(work.user_id, []), study)
            send = _Send(work, person, reach, [], plan)
            send.replies = [self._render(send, now, study, streak)]
            send.late = work.action == CHECKIN and now - work.slot_at >= LATE_AFTER
            sends.append(send)
        await self._record(outcomes, [])
        return sends

    def _without_sending(
        self, work: Work, person: CheckinUser, now: datetime, report: TickReport
    ) -> dict[str, Any] | None:
        """The outcome of work that must not be sent at all, or ``None`` to send it."""
        if now - work.due_at > self.catchup:
            if work.action == CHECKIN:
                report.missed += 1
                reason = "downtime" if work.state["status"] == "claimed" else "undeliverable"
                return self._outcome(
                    work, {"status": "missed", "reason": reason, "pending": None, "action_at": None}
                )
            report.dropped += 1
            return self._outcome(work, {"pending": None, "action_at": None})
        if work.action == FOLLOWUP:
            last_sent = work.state["last_sent_at"] or work.state["sent_at"]
            seen = person.checkin_seen_at
            if last_sent is not None and seen is not None and seen >= last_sent:
                report.answered += 1
                return self._outcome(work, {"answered_at": seen, "pending": None, "action_at": None})
        return None

    def _plan(
        self, work: Work, person: CheckinUser, answered: Sequence[str], study: StudyView | None
    ) -> CheckinPlan:
        return plan_checkin(
            kept=(work.state["kind"], work.state["topic"]),
            study=study,
            answered_prompts=answered,
            content=self.content,
            commands=self.commands,
            created_at=person.created_at,
            slot_at=work.slot_at,
            timezone=person.timezone,
        )

    def _render(self, send: _Send, now: datetime, study: StudyView | None, streak: int) -> Reply:
        work, person, plan = send.work, send.person, send.plan
        assert plan is not None
        t = _translator(person, send.reach)
        if work.action == FOLLOWUP:
            return render_followup(plan, slot_id=work.slot_id, t=t, content=self.content)
        return render_checkin(
            plan,
            slot_id=work.slot_id,
            slot_at=work.slot_at,
            now=now,
            timezone=person.timezone,
            t=t,
            content=self.content,
            study=study,
            streak=streak if work.action == CHECKIN else 0,
            reminder=work.action == REMINDER,
        )

    # -- sending and recording --------------------------------------------------------------------------
    async def _deliver(self, sends: Sequence[_Send], report: TickReport) -> None:
        if not sends:
            return
        tasks = [asyncio.ensure_future(self._send_one(send)) for send in sends]
        outcomes: list[dict[str, Any]] = []
        unreachable: list[int] = []
        recorded_at = time.monotonic()
        try:
            # Record as sends finish (so a button pressed on a just-sent check-in finds it recorded), but in
            # groups: one transaction per half second rather than one per message.
            for finished in asyncio.as_completed(tasks):
                send = await finished
                if send.delivered is not None and send.delivered.result == "withdrawn":
                    continue  # another process took the slot over: its outcome is theirs to record
                outcomes.append(self._after_send(send, report))
                if send.delivered is not None and send.delivered.result == "unreachable":
                    unreachable.append(send.reach.identity_id)
                if time.monotonic() - recorded_at >= RECORD_EVERY.total_seconds():
                    await self._record(outcomes, unreachable)
                    outcomes, unreachable, recorded_at = [], [], time.monotonic()
            await self._record(outcomes, unreachable)
        finally:
            for task in tasks:
                task.cancel()

    async def _send_one(self, send: _Send) -> _Send:
        reach = send.reach
        recipient = Recipient(
            identity_id=reach.identity_id,
            user_id=send.person.user_id,
            platform=reach.platform,
            workspace=reach.workspace,
            external_id=reach.external_id,
            chat_id=reach.chat_id,
        )
        send.delivered = await self.outbox.send(
            recipient, send.replies, about_to_send=lambda: self._mark(send)
        )
        return send

    async def _mark(self, send: _Send) -> bool:
        send.marked_at = self.clock()
        return await self._marks.mark(send.work.slot_id, awaiting=send.work.action in (CHECKIN, REMINDER))

    def _after_send(self, send: _Send, report: TickReport) -> dict[str, Any]:
        work, delivered, now = send.work, send.delivered, self.clock()
        assert delivered is not None
        if delivered.result == "unreachable":
            report.unreachable += 1
            return self._outcome(work, _unreachable(work))
        if delivered.result == "retry":
            report.retrying += 1
            wait = max(_backoff(work.attempts), timedelta(seconds=delivered.retry_after))
            changes: dict[str, Any] = {"action_at": now + wait}
            if work.action == CHECKIN:
                changes |= {"status": "failed", "reason": delivered.reason[:16]}
            return self._outcome(work, changes)
        follow_up = timedelta(hours=send.person.followup_hours) if send.person.followup_hours > 0 else None
        if work.action == FOLLOWUP:
            report.followups += 1
            return self._outcome(work, {"followup_sent_at": now, "pending": None, "action_at": None})
        sent_at = send.marked_at or now
        if work.action == HOLIDAY:
            report.holidays += 1
            return self._outcome(
                work, {"sent_at": sent_at, "last_sent_at": sent_at, "pending": None, "action_at": None}
            )
        assert send.plan is not None
        changes = {"last_sent_at": sent_at, "kind": send.plan.kind, "topic": send.plan.topic}
        if work.action == CHECKIN:
            # A timed-out send counts as sent (it may have arrived, so it is never sent again), marked so.
            uncertain = delivered.result == "uncertain"
            report.uncertain += uncertain
            report.late += send.late and not uncertain
            report.sent += not send.late and not uncertain
            reason = "uncertain" if uncertain else None
            changes |= {"status": "sent", "reason": reason, "sent_at": sent_at, "late": send.late}
        else:
            report.reminders += 1
        if follow_up is not None and work.state["followup_sent_at"] is None and send.plan.kind != "result":
            changes |= {"followup_due_at": now + follow_up, "pending": FOLLOWUP, "action_at": now + follow_up}
        else:
            changes |= {"pending": None, "action_at": None}
        return self._outcome(work, changes)

    def _outcome(self, work: Work, changes: dict[str, Any]) -> dict[str, Any]:
        return {
            **work.state,
            **changes,
            "slot_id": work.slot_id,
            "claimed_by": work.claimed_by,
            "claimed_at": work.claimed_at,
        }

    async def _record(self, outcomes: Sequence[dict[str, Any]], unreachable: Sequence[int]) -> None:
        if not outcomes and not unreachable:
            return
        async with self.database.session() as session:
            await store.record_outcomes(session, outcomes)
            for identity_id in unreachable:
                await users.mark_unreachable(session, identity_id)


def _unreachable(work: Work) -> dict[str, Any]:
    if work.action == CHECKIN:
        return {"status": "failed", "reason": "unreachable", "pending": None, "action_at": None}
    return {"pending": None, "action_at": None}


def _backoff(attempts: int) -> timedelta:
    """One minute after the first failure, doubling, at most half an hour."""
    return min(timedelta(minutes=2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def _choose_identity(person: CheckinUser, outbox: Outbox) -> Reach | None:
    """Where a check-in goes: the reachable identity the user wrote from last, on a platform we can send to.

    ``None`` when every identity is unreachable. A reachable identity on a platform with no sender in this
    process is still returned: the outbox hands it back for a retry, so another process (or a restart
    with that adapter configured) sends it.
    """
    reachable = [reach for reach in person.identities if not reach.unreachable]
    if not reachable:
        return None
    sendable = [reach for reach in reachable if outbox.can_send(reach.platform)] or reachable
    return max(sendable, key=lambda reach: reach.last_seen_at)


def _translator(person: CheckinUser, reach: Reach) -> Translator:
    return translator(person.language or normalize_language(reach.language_code))


def _local_day(instant: datetime, person: CheckinUser) -> date:
    return instant.astimezone(ZoneInfo(person.timezone)).date()


def _no_longer_holiday() -> dict[str, Any]:
    return {"status": "missed", "reason": "changed", "pending": None, "action_at": None}
