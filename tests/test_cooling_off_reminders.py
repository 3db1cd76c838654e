"""Cooling-off reminders end to end: stored, claimed, rendered in the user's language, sent once through the
outbox to a fake platform, retried after a failure, never twice after a crash mid-request, and surviving a
restart (a new runner on the same database). Also through ``encore nudges send-due`` to the console file."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from bot.outbox import Outbox
from bot.reminders import ReminderRunner
from coach.delivery import TemporaryFailure
from storage import cooling_off, journal, users
from storage.db import Database
from storage.models import CoolingOff
from tests.fakes.platform import FakePlatform, FakeTime
from tests.support import FakeClock

WRITTEN = datetime(2026, 11, 25, 13, 0, tzinfo=UTC)
DUE = WRITTEN + timedelta(days=3)


class Crash(BaseException):
    """The process dies mid-request: nothing after this runs."""


@pytest.fixture
def platform() -> FakePlatform:
    return FakePlatform("console")


def runner(
    database: Database, clock: FakeClock, platform: FakePlatform, worker: str = "w1"
) -> ReminderRunner:
    time = FakeTime()
    outbox = Outbox({platform.platform: platform}, clock=time, sleep=time.sleep)
    return ReminderRunner(database, outbox, clock=clock, worker=worker)


async def remind(database: Database, name: str, text: str, *, language: str = "ko") -> tuple[int, int]:
    """A user who wrote ``text`` in anger and asked to see it again in three days."""
    async with database.session() as session:
        user, _identity, _new = await users.resolve_identity(
            session,
            platform="console",
            workspace="",
            external_id=name,
            chat_id=f"chat-{name}",
            language_code=language,
            display_name=None,
            timezone="Asia/Seoul",
            now=WRITTEN,
        )
        assert user.id is not None
        note = await journal.add_note(
            session, user.id, text, label="-", language=language, now=WRITTEN, kind="quit_note"
        )
        assert note.id is not None
        await cooling_off.schedule_reminder(session, user.id, note.id, due_at=DUE, now=WRITTEN)
        return user.id, note.id


async def status(database: Database, note_id: int) -> tuple[str, str | None]:
    async with database.session() as session:
        result = await session.execute(select(CoolingOff).where(CoolingOff.note_id == note_id))
        row = result.scalars().one()
        return row.status, row.reason


async def test_the_reminder_goes_out_once_when_due_in_the_users_language(
    database: Database, platform: FakePlatform
) -> None:
    _user, note_id = await remind(database, "minsu", "정말 내일 사표 내고 싶습니다")
    clock = FakeClock(DUE - timedelta(minutes=1))
    tick = runner(database, clock, platform)
    assert await tick.tick() == 0
    clock.now = DUE
    assert await tick.tick() == 1
    [delivery] = platform.deliveries
    assert delivery.recipient.chat_id == "chat-minsu"
    assert "3일 전, 힘든 날에 이렇게 쓰셨어요." in delivery.text
    assert "정말 내일 사표 내고 싶습니다" in delivery.text
    assert delivery.labels == ["지금 글로 정리하기", "그대로 두기"]
    assert delivery.action("그대로 두기") == f"cool:{note_id}:keep"
    clock.advance(days=1)
    assert await tick.tick() == 0
    assert len(platform.deliveries) == 1
    assert await status(database, note_id) == ("sent", None)


async def test_a_restart_before_the_due_time_loses_nothing(
    database: Database, platform: FakePlatform
) -> None:
    await remind(database, "jiho", "I want to quit tomorrow", language="en")
    clock = FakeClock(DUE - timedelta(days=1))
    await runner(database, clock, platform, worker="before-restart").tick()
    clock.now = DUE + timedelta(minutes=1)
    assert await runner(database, clock, platform, worker="after-restart").tick() == 1
    assert platform.deliveries[0].text.startswith("3 days ago, on a hard day, you wrote:")


async def test_a_failed_send_is_retried_later(database: Database, platform: FakePlatform) -> None:
    _user, note_id = await remind(database, "minsu", "때려치고 싶다")
    clock = FakeClock(DUE)
    tick = runner(database, clock, platform)
    platform.fail_next(TemporaryFailure("502"))
    assert await tick.tick() == 0
    assert await status(database, note_id) == ("pending", "error")
    clock.advance(minutes=2)
    assert await tick.tick() == 1
    assert len(platform.deliveries) == 1


async def test_a_crash_mid_request_never_sends_it_again(database: Database, platform: FakePlatform) -> None:
    _user, note_id = await remind(database, "minsu", "퇴사하고 싶어요")
    clock = FakeClock(DUE)
    platform.fail_next(Crash())
    with pytest.raises(Crash):
        await runner(database, clock, platform, worker="dies").tick()
    assert await status(database, note_id) == ("claimed", "in_flight")
    for _ in range(3):
        clock.advance(minutes=20)
        assert await runner(database, clock, platform, worker="next").tick() == 0
    assert platform.deliveries == [] and platform.attempts == 1


async def test_a_blocked_user_is_not_retried(database: Database, platform: FakePlatform) -> None:
    _user, note_id = await remind(database, "minsu", "사표 쓸까")
    platform.block("chat-minsu")
    clock = FakeClock(DUE)
    await runner(database, clock, platform).tick()
    assert await status(database, note_id) == ("cancelled", "unreachable")


async def test_send_due_sends_cooling_off_reminders_to_the_console_file(
    database: Database, database_url: str, tmp_path: Path
) -> None:
    from tests.test_cli_nudges import run

    await remind(database, "minsu", "정말 내일 사표 내고 싶습니다")
    outbox = tmp_path / "outbox.jsonl"
    code, out, _ = run(
        "nudges", "send-due", "--now", DUE.isoformat(), database_url=database_url, outbox=outbox
    )
    assert code == 0 and "Cooling-off reminders sent: 1." in out
    [line] = [json.loads(text) for text in outbox.read_text().splitlines()]
    assert line["user"] == "minsu" and "정말 내일 사표 내고 싶습니다" in line["text"]
    code, out, _ = run(
        "nudges", "send-due", "--now", DUE.isoformat(), database_url=database_url, outbox=outbox
    )
    assert "Cooling-off reminders sent: 0." in out and len(outbox.read_text().splitlines()) == 1
