"""The scheduler service inside ``encore run``: one job, a tick at start, a clean stop."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

from apscheduler.triggers.cron import CronTrigger

from bot.runner import build_senders, build_services
from bot.scheduler import SchedulerService
from bot.settings import Settings
from coach.core import Coach
from storage.db import Database
from tests.fakes.platform import FakePlatform
from tests.support import FakeClock
from tests.test_checkins import SEOUL_SLOT, enrol


async def test_the_scheduler_ticks_at_start_sends_what_is_due_and_stops_cleanly(
    database: Database, database_url: str, clock: FakeClock
) -> None:
    await enrol(database, clock, "jiho")
    clock.now = SEOUL_SLOT + timedelta(seconds=20)
    platform = FakePlatform("console")
    settings = Settings(encore_database_url=database_url, _env_file=None)
    service = SchedulerService(settings, database, {"console": platform}, clock=clock)
    await service.start()
    try:
        [job] = service._scheduler.get_jobs()
        assert isinstance(job.trigger, CronTrigger) and str(job.trigger.fields[-1]) == "0"  # every minute
        await asyncio.wait_for(platform.delivered.wait(), timeout=10)
    finally:
        await service.stop()
    assert not service._scheduler.running
    assert [d.recipient.chat_id for d in platform.deliveries] == ["chat-jiho"]


async def test_encore_run_builds_the_scheduler_and_a_console_sender_when_asked(
    database: Database, database_url: str, tmp_path: Path
) -> None:
    outbox = tmp_path / "outbox.jsonl"
    settings = Settings(encore_database_url=database_url, encore_console_outbox=outbox, _env_file=None)
    senders = build_senders(settings, [])
    assert list(senders) == ["console"]
    services = build_services(settings, database, Coach(database), senders)
    assert [service.name for service in services] == ["scheduler"]
    assert build_senders(Settings(encore_database_url=database_url, _env_file=None), []) == {}
