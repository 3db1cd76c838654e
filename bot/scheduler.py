"""The check-in scheduler inside ``encore run``: one APScheduler job that ticks every minute.

Schedules live in the database (``next_checkin_at`` and the check-in slots), not in the scheduler, so a
restart or a second instance loses nothing: the job only asks storage what is due. The first tick runs at
start, which is also when check-ins missed during downtime are caught up (late, or recorded missed).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger

from bot.checkins import CheckinRunner, TickReport
from bot.outbox import Outbox, paces
from bot.reminders import ReminderRunner
from bot.settings import Settings
from coach.delivery import Sender
from storage.db import Database

log = logging.getLogger(__name__)


class SchedulerService:
    """Sends weekly check-ins, reminders, follow-ups and cooling-off reminders through ``senders``.

    ``clock`` gives "now" to the tick (the APScheduler trigger itself runs on wall-clock time); ``outbox``
    replaces the default paced :class:`~bot.outbox.Outbox` over ``senders``.
    """

    name = "scheduler"

    def __init__(
        self,
        settings: Settings,
        database: Database,
        senders: Mapping[str, Sender],
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        outbox: Outbox | None = None,
    ) -> None:
        outbox = outbox or Outbox(
            senders, paces=paces(settings.telegram_messages_per_second, settings.encore_checkins_per_second)
        )
        self.runner = CheckinRunner(
            database,
            outbox,
            clock=clock,
            catchup=timedelta(hours=settings.encore_catchup_hours),
        )
        self.reminders = ReminderRunner(database, outbox, clock=clock)  # cooling-off reminders, same pace
        self._scheduler = AsyncIOScheduler(timezone=UTC)
        self._ticking: asyncio.Task[None] | None = None
        self.last_report: TickReport | None = None

    async def start(self) -> None:
        self._scheduler.add_job(
            self._tick,
            CronTrigger(second=0, timezone=UTC),  # slots fall on whole minutes
            id="checkins",
            max_instances=1,  # a long tick (a big backlog at 30 msg/s) is not run twice at once
            coalesce=True,
            misfire_grace_time=50,
            next_run_time=datetime.now(UTC),
        )
        self._scheduler.start()

    async def _tick(self) -> None:
        self._ticking = asyncio.current_task()
        try:
            self.last_report = await self.runner.tick()
        except Exception:
            log.exception("the check-in tick failed; the next one retries")
        try:
            await self.reminders.tick()
        except Exception:
            log.exception("the cooling-off reminder tick failed; the next one retries")
        finally:
            self._ticking = None

    async def stop(self) -> None:
        """Stop ticking; a tick in progress is cancelled (its unsent claims are retried after their lease)."""
        if self._scheduler.running:
            self._scheduler.shutdown(wait=False)
        task = self._ticking
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
