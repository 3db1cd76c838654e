"""encore restore never runs under a live Encore, never takes a file that is not a whole backup, and treats
paths as paths; the lease behind the first works on both engines."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from subprocess import DEVNULL

import pytest

from bot.cli import main
from bot.lease import ProcessLease
from coach.core import Coach
from storage import processes
from storage.db import Database
from storage.migrate import upgrade
from tests.support import FakeClock, Talker, person
from tests.trust_support import reflect

ROOT = str(Path(__file__).resolve().parents[1])
ENCORE = (sys.executable, "-m", "bot")


@pytest.fixture(autouse=True)
def restore_logging() -> Iterator[None]:
    import logging

    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:], root.level = handlers, level


def _live(folder: Path, monkeypatch: pytest.MonkeyPatch, users: int = 5) -> Path:
    """A migrated SQLite database in ``folder`` with ``users`` people who wrote one entry each."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "encore.db"
    url = f"sqlite+aiosqlite:///{path}"

    async def populate() -> None:
        database = Database(url)
        await upgrade(database)
        coach = Coach(database, clock=FakeClock())
        for n in range(users):
            await reflect(Talker(coach, person(f"user{n}")), f"Entry of user {n}")
        await database.dispose()

    asyncio.run(populate())
    monkeypatch.setenv("ENCORE_DATABASE_URL", url)
    monkeypatch.delenv("ENCORE_ENCRYPTION_KEY", raising=False)
    return path


def _count(path: Path, table: str) -> int:
    connection = sqlite3.connect(path)
    try:
        return int(connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0])
    finally:
        connection.close()


async def _wait_for_lease(path: Path) -> None:
    for _ in range(600):
        if path.exists() and _count(path, "runningprocess") == 1:
            return
        await asyncio.sleep(0.05)
    raise AssertionError("encore chat never took its lease")


def test_restore_is_refused_while_encore_runs_and_done_once_it_stopped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    live = _live(tmp_path / "data", monkeypatch)
    backup = tmp_path / "monday.db"
    assert main(["backup", str(backup)]) == 0
    env = os.environ | {"PYTHONPATH": ROOT, "ENCORE_DATABASE_URL": f"sqlite+aiosqlite:///{live}"}
    chat = subprocess.Popen(
        [*ENCORE, "chat"], cwd=tmp_path, env=env, stdin=subprocess.PIPE, stdout=DEVNULL, stderr=DEVNULL
    )
    try:
        asyncio.run(_wait_for_lease(live))
        assert main(["restore", str(backup)]) == 2
    finally:
        assert chat.stdin is not None
        chat.stdin.close()  # end of input: the console says goodbye and gives its lease back
        assert chat.wait(30) == 0
    error = capsys.readouterr().err
    assert "Encore is running on" in error and "encore chat (pid" in error
    assert not list(live.parent.glob("encore.db.before-restore-*")), "nothing was touched"
    assert _count(live, "runningprocess") == 0
    assert main(["restore", str(backup)]) == 0


def test_a_lease_of_a_process_that_died_is_ignored_after_it_lapses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    live = _live(tmp_path / "data", monkeypatch, users=1)
    backup = tmp_path / "backup.db"
    assert main(["backup", str(backup)]) == 0
    killed = datetime.now(UTC) - processes.LEASE - timedelta(seconds=1)  # SIGKILLed: never said goodbye
    asyncio.run(_take_lease(f"sqlite+aiosqlite:///{live}", killed))
    assert main(["restore", str(backup)]) == 0


async def _take_lease(url: str, at: datetime) -> None:
    database = Database(url)
    await processes.take(database, "run", at)
    await database.dispose()


def test_a_file_with_two_empty_tables_is_refused_and_users_stay(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    live = _live(tmp_path / "data", monkeypatch)
    hollow = tmp_path / "hollow.db"
    connection = sqlite3.connect(hollow)
    connection.executescript(
        "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL);"
        "INSERT INTO alembic_version VALUES ('0005_trust_edges');"
        'CREATE TABLE "user" (id INTEGER PRIMARY KEY);'
    )
    connection.close()
    assert main(["restore", str(hollow)]) == 2
    error = capsys.readouterr().err
    assert "not a whole backup" in error and "conversationstate" in error
    assert _count(live, "user") == 5 and not list(live.parent.glob("*.before-restore-*"))

    future = tmp_path / "future.db"
    assert main(["backup", str(future)]) == 0
    connection = sqlite3.connect(future)
    connection.execute("UPDATE alembic_version SET version_num = '0099_from_the_future'")
    connection.commit()
    connection.close()
    assert main(["restore", str(future)]) == 2
    assert "does not know" in capsys.readouterr().err
    assert _count(live, "user") == 5


def test_paths_with_hash_spaces_and_korean_are_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    live = _live(tmp_path / "live #1 데이터", monkeypatch, users=2)
    folder = tmp_path / "백업 #2 (월요일)"
    folder.mkdir()
    backup = folder / "encore #1?.db"
    assert main(["backup", str(backup)]) == 0
    assert backup.is_file() and _count(backup, "user") == 2
    connection = sqlite3.connect(live)  # the live database loses both people meanwhile...
    connection.execute('DELETE FROM "user"')
    connection.commit()
    connection.close()
    assert main(["restore", str(backup)]) == 0  # ...and the backup brings both people back
    assert _count(live, "user") == 2 and _count(live, "journalentry") == 2


async def test_a_running_process_holds_a_lease_on_either_engine(database: Database) -> None:
    ticks = iter(datetime(2026, 11, 25, 1, 0, tzinfo=UTC) + timedelta(seconds=n) for n in range(10_000))
    lease = ProcessLease(database, "run", beat_every=timedelta(milliseconds=20), clock=lambda: next(ticks))
    await lease.start()
    try:
        (holder,) = await processes.holders(database, datetime(2026, 11, 25, 1, 0, 1, tzinfo=UTC))
        assert (holder.command, holder.pid) == ("run", os.getpid())
        await asyncio.sleep(0.2)  # a few beats
        (renewed,) = await processes.holders(database, datetime(2026, 11, 25, 1, 0, 5, tzinfo=UTC))
        assert renewed.beat_at > holder.beat_at
        # Had it died, its lease would lapse (the fake clock moves a second a beat: it never gets that far).
        an_hour_on = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)
        assert await processes.holders(database, an_hour_on) == []
    finally:
        await lease.stop()
    assert await processes.holders(database, datetime(2026, 11, 25, 1, 0, 1, tzinfo=UTC)) == []
