"""Cooling-off reminders going out: claim what is due, render the user's note back to them, send, record.

Runs in the same scheduler tick as weekly check-ins and through the same outbox (same pace, same senders).
Each reminder is claimed before anything is sent and marked in flight right before its request, so a crash,
a retry or a second instance never sends it twice (see :mod:`storage.cooling_off`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from bot.checkins import LEASE, _backoff, _choose_identity, _worker_name
from bot.outbox import Outbox
from coach.delivery import Recipient
from coach.i18n import normalize_language, translator
from coach.moments import cooling_off_reminder
from storage import cooling_off, users
from storage import nudges as checkin_store
from storage.db import Database

log = logging.getLogger(__name__)

BATCH_SIZE = 200


class ReminderRunner:
    """Sends due cooling-off reminders through ``outbox``; ``clock`` gives "now" (tests inject one)."""

    def __init__(
        self,
        database: Database,
        outbox: Outbox,
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        lease: timedelta = LEASE,
        batch_size: int = BATCH_SIZE,
        worker: str | None = None,
    ) -> None:
        self.database = database
        self.outbox = outbox
        self.clock = clock
        self.lease = lease
        self.batch_size = batch_size
        self.worker = worker or _worker_name()

    async def tick(self) -> int:
        """Send every reminder due now; returns how many went out."""
        sent = 0
        while True:
            async with self.database.session() as session:
                due = await cooling_off.claim_due(
                    session, self.clock(), limit=self.batch_size, worker=self.worker, lease=self.lease
                )
            if not due:
                break
            for reminder in due:
                sent += await self._send(reminder)
        if sent:
            log.info("cooling-off reminders sent: %d", sent)
        return sent

    async def _send(self, reminder: cooling_off.DueReminder) -> int:
        async with self.database.session() as session:
            people = await checkin_store.checkin_users(session, [reminder.user_id])
        person = people.get(reminder.user_id)
        if person is None:  # erased meanwhile: the reminder went with them
            return 0
        reach = _choose_identity(person, self.outbox)
        if reach is None:
            async with self.database.session() as session:
                await cooling_off.record_dropped(session, reminder, "unreachable")
            return 0
        now = self.clock()
        t = translator(person.language or normalize_language(reach.language_code))
        reply = cooling_off_reminder(
            t,
            note_id=reminder.note_id,
            note_text=reminder.note_text,
            written_at=reminder.note_written_at,
            now=now,
            timezone=person.timezone,
        )
        recipient = Recipient(
            identity_id=reach.identity_id,
            user_id=person.user_id,
            platform=reach.platform,
            workspace=reach.workspace,
            external_id=reach.external_id,
            chat_id=reach.chat_id,
        )

        async def mark() -> bool:
            async with self.database.session() as session:
                held = await cooling_off.mark_in_flight(session, [reminder.reminder_id], self.worker)
            return reminder.reminder_id in held

        delivered = await self.outbox.send(recipient, [reply], about_to_send=mark)
        async with self.database.session() as session:
            if delivered.result in ("sent", "uncertain"):  # uncertain: it may have arrived; never resent
                await cooling_off.record_sent(session, reminder, self.clock())
                return 1
            if delivered.result == "unreachable":
                await users.mark_unreachable(session, reach.identity_id)
                await cooling_off.record_dropped(session, reminder, "unreachable")
            elif delivered.result == "retry":
                wait = max(_backoff(reminder.attempts), timedelta(seconds=delivered.retry_after))
                await cooling_off.record_retry(
                    session, reminder, at=self.clock() + wait, reason=delivered.reason
                )
        return 0
