"""``encore nudges send-due`` (in bot/cli.py): one tick from the command line, for cron; two of them racing."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, insert, select, text

from storage.db import Database
from storage.models import CheckinSlot, Identity, User
from tests.conftest import PG_URL
from tests.support import FakeClock
from tests.test_checkins import SEOUL_SLOT, enrol

ROOT = Path(__file__).resolve().parents[1]


def encore(*args: str, database_url: str, outbox: Path) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "ENCORE_DATABASE_URL": database_url,
        "ENCORE_CONSOLE_OUTBOX": str(outbox),
        "ENCORE_LOG_LEVEL": "WARNING",
    }
    for name in ("TELEGRAM_BOT_TOKEN", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN"):
        env.pop(name, None)
    return subprocess.Popen(
        [sys.executable, "-m", "bot", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def run(*args: str, database_url: str, outbox: Path) -> tuple[int, str, str]:
    process = encore(*args, database_url=database_url, outbox=outbox)
    out, err = process.communicate(timeout=120)
    return process.returncode, out, err


def lines(outbox: Path) -> list[dict[str, object]]:
    if not outbox.exists():
        return []
    return [json.loads(line) for line in outbox.read_text(encoding="utf-8").splitlines()]


async def test_send_due_sends_what_is_due_at_now_once_and_exits(
    database: Database, database_url: str, clock: FakeClock, tmp_path: Path
) -> None:
    await enrol(database, clock, "jiho")
    await enrol(database, clock, "minsu", language="ko")
    outbox = tmp_path / "outbox.jsonl"
    early = (SEOUL_SLOT - timedelta(minutes=1)).isoformat()
    assert run("nudges", "send-due", "--now", early, database_url=database_url, outbox=outbox)[0] == 0
    assert lines(outbox) == []
    code, out, _ = run(
        "nudges", "send-due", "--now", "2026-12-01T09:00:00+09:00", database_url=database_url, outbox=outbox
    )
    assert code == 0 and "sent 2" in out
    sent = lines(outbox)
    assert sorted(line["user"] for line in sent) == ["jiho", "minsu"]
    korean = next(line for line in sent if line["user"] == "minsu")
    assert "이번 주 체크인" in str(korean["text"])
    assert ["이번 주 건너뛰기", korean["choices"][-1][1]] == korean["choices"][-1]  # type: ignore[index]
    # Run again (cron fires twice, or a retry): nothing is sent twice.
    code, out, _ = run(
        "nudges", "send-due", "--now", SEOUL_SLOT.isoformat(), database_url=database_url, outbox=outbox
    )
    assert code == 0 and "sent 0" in out
    assert len(lines(outbox)) == 2


@pytest.mark.parametrize(
    ("value", "complaint"),
    [("yesterday", "not an ISO 8601 time"), ("2026-12-01T09:00:00", "has no UTC offset")],
)
def test_send_due_refuses_an_unclear_now(value: str, complaint: str, tmp_path: Path) -> None:
    code, _, err = run(
        "nudges",
        "send-due",
        "--now",
        value,
        database_url=f"sqlite+aiosqlite:///{tmp_path}/x.db",
        outbox=tmp_path / "o",
    )
    assert code == 2 and complaint in err


async def add_due_users(database: Database, count: int, due_at: datetime) -> None:
    """``count`` console users whose check-in is due at ``due_at``, inserted in bulk."""
    async with database.session() as session:
        for first in range(0, count, 1000):
            numbers = range(first, min(first + 1000, count))
            ids = (
                await session.scalars(
                    insert(User).returning(User.id),
                    [
                        {
                            "created_at": due_at - timedelta(days=30),
                            "last_seen_at": due_at - timedelta(days=30),
                            "timezone": "Asia/Seoul",
                            "language": "en",
                            "checkin_weekday": due_at.weekday(),
                            "checkin_hour": 9,
                            "checkin_minute": 0,
                            "checkins_paused": False,
                            "followup_hours": 24,
                            "next_checkin_at": due_at,
                        }
                        for _ in numbers
                    ],
                )
            ).all()
            await session.execute(
                insert(Identity),
                [
                    {
                        "user_id": user_id,
                        "platform": "console",
                        "workspace": "",
                        "external_id": f"user{n}",
                        "chat_id": f"chat{n}",
                        "unreachable": False,
                        "created_at": due_at,
                        "last_seen_at": due_at - timedelta(days=30),
                    }
                    for n, user_id in zip(numbers, ids, strict=True)
                ],
            )


@pytest.mark.postgres
@pytest.mark.skipif(not PG_URL, reason="needs PostgreSQL: set ENCORE_TEST_DATABASE_URL")
async def test_two_send_due_processes_racing_on_postgresql_send_each_check_in_exactly_once(
    database: Database, database_url: str, tmp_path: Path
) -> None:
    users = 5000
    await add_due_users(database, users, SEOUL_SLOT)
    outbox = tmp_path / "outbox.jsonl"
    now = SEOUL_SLOT.isoformat()
    # Hold both processes at the starting line: until this lock goes, neither can lock a due user.
    gate = await database.engine.connect()
    await gate.execute(text('LOCK TABLE "user" IN EXCLUSIVE MODE'))
    racers = [
        encore(
            "nudges",
            "send-due",
            "--now",
            now,
            "--batch-size",
            "100",
            database_url=database_url,
            outbox=outbox,
        )
        for _ in range(2)
    ]
    try:
        await wait_until_blocked(database, count=2)
    finally:
        await gate.rollback()
        await gate.close()
    results = await asyncio.gather(*(asyncio.to_thread(p.communicate, timeout=120) for p in racers))
    assert [p.returncode for p in racers] == [0, 0], [err for _, err in results]
    sent = lines(outbox)
    assert len(sent) == users
    assert len({line["user"] for line in sent}) == users
    async with database.session() as session:
        statuses = dict(
            (
                await session.execute(select(CheckinSlot.status, func.count()).group_by(CheckinSlot.status))
            ).all()
        )
        workers = (
            await session.execute(select(func.count(func.distinct(CheckinSlot.claimed_by))))
        ).scalar_one()
    assert statuses == {"sent": users}
    assert workers == 2  # both really took part


async def wait_until_blocked(database: Database, count: int) -> None:
    """Wait (for the subprocesses, not for time) until ``count`` other sessions queue behind our lock."""
    query = text(
        "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()"
    )
    for _ in range(1200):
        async with database.engine.connect() as probe:  # a fresh transaction sees fresh activity
            waiting = await probe.scalar(query)
        if waiting is not None and waiting >= count:
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the send-due processes never reached the due-user query")
