"""Several replicas on one PostgreSQL database (issue 16, item 6): real processes started together.

Run only with ``ENCORE_TEST_DATABASE_URL`` (CI sets it): replicas share PostgreSQL, not a SQLite file.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from storage.db import Database
from tests.conftest import PG_URL, _create_pg_database, _drop_pg_database
from tests.fakes.telegram_api import FakeTelegram, private_chat, user
from tests.telegram_support import encore_run_env
from tests.test_inbox import KEPT, _enrol, _kept, _note

ROOT = Path(__file__).resolve().parents[1]
PEOPLE = 20
FIRST_ID = 720_000
POLLS = "this replica polls Telegram now"
WAITS = "another replica polls Telegram"
pytestmark = pytest.mark.skipif(not PG_URL, reason="needs PostgreSQL: set ENCORE_TEST_DATABASE_URL")


@pytest.fixture
async def empty_database() -> AsyncIterator[str]:
    """A PostgreSQL database with no tables at all, as a new deployment has."""
    name = f"encore_empty_{uuid.uuid4().hex[:10]}"
    await _create_pg_database(PG_URL, name)
    try:
        yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        await _drop_pg_database(PG_URL, name)


async def test_four_replicas_started_together_on_an_empty_database_all_migrate_it(
    empty_database: str, tmp_path: Path
) -> None:
    env = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(ROOT), "ENCORE_DATABASE_URL": empty_database}
    processes = [
        await asyncio.create_subprocess_exec(
            sys.executable,
            *("-m", "bot", "db", "upgrade"),
            cwd=tmp_path,
            env=env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        for _ in range(4)
    ]
    results = await asyncio.wait_for(asyncio.gather(*(p.communicate() for p in processes)), 120)
    failures = [err.decode()[-800:] for p, (_, err) in zip(processes, results, strict=True) if p.returncode]
    assert failures == []
    database = Database(empty_database)
    try:
        async with database.engine.connect() as connection:
            versions = (await connection.execute(text("SELECT version_num FROM alembic_version"))).all()
            users = (await connection.execute(text('SELECT count(*) FROM "user"'))).scalar_one()
    finally:
        await database.dispose()
    assert len(versions) == 1 and users == 0


async def _replica(fake: FakeTelegram, database_url: str, cwd: Path, log: Path) -> asyncio.subprocess.Process:
    env = encore_run_env(
        fake,
        database_url,
        ENCORE_LOG_LEVEL="INFO",  # says which replica polls (no user's words at INFO)
        ENCORE_INBOX_LEASE_SECONDS="1",
    )
    with log.open("w") as stderr:
        return await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", cwd=cwd, env=env, stderr=stderr
        )


async def _says(log: Path, words: str, timeout: float = 60) -> None:
    async def until() -> None:
        while words not in log.read_text():
            await asyncio.sleep(0.1)

    await asyncio.wait_for(until(), timeout)


async def _all_kept(database: Database, wanted: Counter[str], timeout: float = 60) -> None:
    async def until() -> None:
        while await _kept(database) != wanted:
            await asyncio.sleep(0.1)

    await asyncio.wait_for(until(), timeout)


async def test_two_replicas_poll_one_at_a_time_and_the_other_takes_over_when_the_poller_is_killed(
    database_url: str, database: Database, tmp_path: Path
) -> None:
    people = [user(FIRST_ID + n, f"R{n}") for n in range(PEOPLE)]
    chats = [private_chat(person) for person in people]
    await _enrol(database, [chat["id"] for chat in chats])
    wanted: Counter[str] = Counter()
    logs = {name: tmp_path / f"{name}.log" for name in ("first", "second")}
    async with FakeTelegram() as fake:
        first = await _replica(fake, database_url, tmp_path, logs["first"])
        second: asyncio.subprocess.Process | None = None
        try:
            await _says(logs["first"], POLLS)
            second = await _replica(fake, database_url, tmp_path, logs["second"])
            await _says(logs["second"], WAITS)
            for n in range(2):  # everyone writes two notes; the replica that polls takes them
                for person, chat in zip(people, chats, strict=True):
                    fake.add_update(fake.message(person, chat, _note(chat["id"], n)))
                    wanted[_note(chat["id"], n)] = 1
            await _all_kept(database, wanted)
            await fake.wait_for(
                lambda: all(sum(KEPT in m.text for m in fake.messages(c["id"])) == 2 for c in chats), 30
            )
            assert fake.conflicts == 0, "two replicas polled at once"

            first.kill()  # the poller dies; the other replica takes over
            await first.wait()
            await _says(logs["second"], POLLS)
            for n in range(2, 4):
                for person, chat in zip(people, chats, strict=True):
                    fake.add_update(fake.message(person, chat, _note(chat["id"], n)))
                    wanted[_note(chat["id"], n)] = 1
            await _all_kept(database, wanted)
            await fake.wait_for(
                lambda: all(sum(KEPT in m.text for m in fake.messages(c["id"])) == 4 for c in chats), 30
            )
        finally:
            for process in (first, second):
                if process is not None and process.returncode is None:
                    process.send_signal(signal.SIGTERM)
                    await asyncio.wait_for(process.wait(), 30)
        assert second is not None and second.returncode == 0, logs["second"].read_text()[-2000:]
        assert await _kept(database) == wanted  # each note kept once
        for chat in chats:  # and answered once
            assert sum(KEPT in m.text for m in fake.messages(chat["id"])) == 4, chat["id"]
