"""encore stats: user counts, weekly retention and check-in answers, as an operator reads them."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from bot.checkins import CheckinRunner
from bot.cli import main
from bot.metrics import Metrics
from bot.outbox import Outbox
from bot.stats import collect
from coach.core import Coach
from storage import stats, users
from storage.db import Database
from tests.fakes.platform import FakePlatform, FakeTime
from tests.support import FakeClock, Talker, person

pytestmark = pytest.mark.usefixtures("restore_logging")  # commands install log handlers


async def _visit(coach: Coach, clock: FakeClock, schedule: dict[str, list[int]]) -> None:
    """Each user writes in the given weeks, counted back from the current one (0 = this week)."""
    now = clock.now
    for weeks_ago in sorted({w for weeks in schedule.values() for w in weeks}, reverse=True):
        clock.now = now - timedelta(weeks=weeks_ago, hours=1 if weeks_ago else 0)
        for name, weeks in schedule.items():
            if weeks_ago in weeks:
                await Talker(coach, person(name)).command("help")
    clock.now = now


async def test_retention_counts_who_came_back_week_after_week(
    coach: Coach, clock: FakeClock, database: Database
) -> None:
    await _visit(coach, clock, {"u1": [2, 1, 0], "u2": [2, 1], "u3": [1], "u4": [0], "u5": [5]})
    async with database.session() as session:
        counts = await stats.user_counts(session, clock.now)
        retention = await stats.weekly_retention(session, clock.now, weeks=2)
    assert (counts.total, counts.active_7_days, counts.active_30_days) == (5, 2, 4)
    last_week, this_week = retention[-2], retention[-1]
    assert (last_week.active, last_week.previous_active, last_week.returned) == (3, 2, 2)
    assert last_week.rate == 1.0
    assert (this_week.active, this_week.previous_active, this_week.returned) == (2, 3, 1)
    assert this_week.rate == pytest.approx(1 / 3)

    report = await collect(database, clock.now, weeks=2)
    assert "Users                      5" in report
    rows = [line.split() for line in report.splitlines() if line.startswith("2026-")]
    assert rows == [
        ["2026-11-16", "3", "2", "2", "100%"],
        ["2026-11-23", "2", "1", "3", "33%", "(so", "far)"],
    ]


async def test_many_messages_in_one_week_count_once(
    coach: Coach, clock: FakeClock, database: Database
) -> None:
    alice = Talker(coach, person("alice"))
    for _ in range(5):  # Wednesday to Saturday
        await alice.command("help")
        clock.advance(hours=20)
    async with database.session() as session:
        (week,) = await stats.weekly_retention(session, clock.now, weeks=1)
    assert (week.active, week.previous_active, week.returned) == (1, 0, 0)
    clock.advance(days=2)  # into the next week
    await alice.command("help")
    async with database.session() as session:
        (week,) = await stats.weekly_retention(session, clock.now, weeks=1)
    assert (week.active, week.previous_active, week.returned) == (1, 1, 1)


async def test_an_empty_database_has_no_rates_not_a_division_by_zero(
    database: Database, clock: FakeClock
) -> None:
    report = await collect(database, clock.now, weeks=3)
    assert "Users                      0" in report
    assert "—" in report


def test_encore_stats_prints_the_report(
    database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    async def visit() -> None:
        database = Database(database_url)
        await Talker(Coach(database), person("alice")).command("help")  # the real clock: active now
        await database.dispose()

    asyncio.run(visit())
    monkeypatch.setenv("ENCORE_DATABASE_URL", database_url)
    assert main(["stats", "--weeks", "4"]) == 0
    out = capsys.readouterr().out
    assert "Active, last 7 days        1" in out
    assert out.count("%") + out.count("—") >= 4
    with pytest.raises(SystemExit):
        main(["stats", "--weeks", "0"])
    assert "between 1 and 52" in capsys.readouterr().err


async def _enrol_due(database: Database, clock: FakeClock, name: str) -> None:
    """Someone whose weekly check-in falls due one minute from now."""
    due = clock.now + timedelta(minutes=1)
    async with database.session() as session:
        person, _, _ = await users.resolve_identity(
            session,
            platform="console",
            workspace="",
            external_id=name,
            chat_id=f"chat-{name}",
            language_code="en",
            display_name=name,
            timezone="UTC",
            now=clock.now,
        )
        person.checkin_weekday, person.checkin_hour, person.checkin_minute = (
            due.weekday(),
            due.hour,
            due.minute,
        )
        person.next_checkin_at = due


async def test_the_answer_rate_counts_check_ins_people_wrote_back_to(
    coach: Coach, clock: FakeClock, database: Database
) -> None:
    platform = FakePlatform("console")
    time = FakeTime()
    metrics = Metrics()
    outbox = Outbox({"console": metrics.counting(platform)}, clock=time, sleep=time.sleep)
    runner = CheckinRunner(database, outbox, clock=clock)
    for name in ("ana", "bo", "cy"):
        await _enrol_due(database, clock, name)
    clock.advance(minutes=1)
    assert (await runner.tick()).sent == 3
    clock.advance(hours=2)
    for name in ("ana", "bo"):  # two of them write back; cy stays silent
        await Talker(coach, person(name)).command("reflect")
    clock.advance(hours=23)  # the follow-up time: answers are noticed, cy is reminded
    await runner.tick()

    async with database.session() as session:
        answers = await stats.checkin_answers(
            session, clock.now - timedelta(weeks=1), clock.now - timedelta(minutes=10)
        )
    assert answers is not None and (answers.sent, answers.answered, answers.uncertain) == (3, 2, 0)
    report = await collect(database, clock.now, weeks=1)
    assert "Check-ins, last 1 week: 3 sent, 2 answered (answer rate 67%), 0 uncertain" in report
    sent = metrics.registry.get_sample_value(
        "encore_checkins_total", {"platform": "console", "outcome": "sent"}
    )
    assert sent == len(platform.deliveries) == 4  # three check-ins and cy's follow-up
