"""SQLite while another process holds the write lock: the coach waits for it without freezing.

Statements run on the event loop while the database is free; these tests hold SQLite's write lock from a
plain sqlite3 connection, as ``encore`` commands or a backup in another process would, and check what a
user sees: other users' answers keep coming, the waiting answer arrives once the lock goes, and a lock
that never goes ends in an error rather than a hang. They use a SQLite file even when the rest of the
suite runs on PostgreSQL, because that is what they are about.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from coach.core import Coach
from storage.db import Database
from storage.migrate import upgrade
from tests.support import FakeClock, Talker, person


@pytest.fixture
async def sqlite_file(tmp_path: Path) -> AsyncIterator[Path]:
    path = tmp_path / "encore.db"
    database = Database(f"sqlite+aiosqlite:///{path}")
    await upgrade(database)
    await database.dispose()
    yield path


@contextmanager
def write_lock(path: Path) -> Iterator[sqlite3.Connection]:
    """Another process's write transaction on the file, held until the block ends (then rolled back)."""
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        yield other
        other.execute("ROLLBACK")
    finally:
        other.close()


async def count(database: Database, query: str) -> int:
    async with database.session() as session:
        return int((await session.execute(text(query))).scalar_one())


async def ticks_during(seconds: float, every: float = 0.01) -> int:
    """How many times a 10 ms timer fires in ``seconds``: about seconds/every when the loop is free."""
    count = 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        await asyncio.sleep(every)
        count += 1
    return count


async def test_a_waiting_answer_arrives_once_the_lock_goes_and_others_are_served_meanwhile(
    sqlite_file: Path,
) -> None:
    database = Database(f"sqlite+aiosqlite:///{sqlite_file}")
    coach = Coach(database, clock=FakeClock())
    reader = Talker(coach, person("reader", language="en"))
    await reader.command("start")  # an existing user, for the read below
    newcomer = Talker(coach, person("newcomer", language="en"))
    try:
        with write_lock(sqlite_file):
            waiting = asyncio.create_task(newcomer.command("start"))  # must write the new user
            ticks = await ticks_during(0.4)
            # The loop kept running (a blocked loop would tick once or not at all) ...
            assert ticks >= 15, ticks
            # ... and reads are still served from the last committed state.
            board = await coach.dashboard(reader.identity)
            assert board.language == "en"
            assert not waiting.done()
        await asyncio.wait_for(waiting, 10)
        assert "current role" in newcomer.text, "the newcomer is asked the first onboarding question"
        assert await count(database, "SELECT count(*) FROM identity WHERE external_id = 'newcomer'") == 1
    finally:
        await database.dispose()


async def test_a_lock_held_past_the_busy_timeout_fails_instead_of_hanging(sqlite_file: Path) -> None:
    database = Database(f"sqlite+aiosqlite:///{sqlite_file}", busy_timeout=0.3)
    coach = Coach(database, clock=FakeClock())
    newcomer = Talker(coach, person("newcomer", language="en"))
    try:
        with write_lock(sqlite_file):
            started = time.monotonic()
            with pytest.raises(OperationalError, match="locked"):
                await newcomer.command("start")
            waited = time.monotonic() - started
        assert 0.25 <= waited < 5, waited
        # Nothing half-written is left: once the lock is gone, the same message works.
        await newcomer.command("start")
        assert "current role" in newcomer.text
    finally:
        await database.dispose()


async def test_commands_from_two_connections_take_turns_without_losing_a_write(sqlite_file: Path) -> None:
    """Two engines on one file (two processes' worth): every answer either takes is stored."""
    first = Database(f"sqlite+aiosqlite:///{sqlite_file}")
    second = Database(f"sqlite+aiosqlite:///{sqlite_file}")
    clock = FakeClock()
    coaches = [Coach(first, clock=clock), Coach(second, clock=clock)]
    try:
        talkers = [
            Talker(coaches[number % 2], person(f"user{number}", language="en")) for number in range(20)
        ]
        await asyncio.gather(*(talker.command("start") for talker in talkers))
        await asyncio.gather(*(talker.say(f"Branch manager {talker.identity.user_id}") for talker in talkers))
        assert all("How many years" in talker.text for talker in talkers)
        stored = "SELECT count(*) FROM profile WHERE current_role LIKE 'Branch manager user%'"
        assert await count(first, stored) == 20
    finally:
        await first.dispose()
        await second.dispose()


async def test_reading_the_journal_needs_no_write_lock(sqlite_file: Path) -> None:
    """/journal and /help change nothing, so they answer at once even while another process writes."""
    database = Database(f"sqlite+aiosqlite:///{sqlite_file}", busy_timeout=5)
    clock = FakeClock()
    coach = Coach(database, clock=clock)
    reader = Talker(coach, person("reader", language="en"))
    await reader.command("reflect")
    await reader.say("Twenty years of keeping a bank's branches online.")
    await reader.press("4")
    clock.advance(seconds=30)  # a little later, as people read
    try:
        # The lock is held throughout: an event that tried to write would wait out the busy timeout and
        # then fail with "database is locked".
        with write_lock(sqlite_file):
            await reader.command("journal")
            assert "Twenty years of keeping" in reader.text
            await reader.command("help")
            assert "/reflect" in reader.text
    finally:
        await database.dispose()
