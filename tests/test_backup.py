"""encore backup / restore: a consistent copy of the SQLite database while the coach writes to it."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import sys
from pathlib import Path

import pytest

from bot.cli import main
from coach.core import Coach
from storage.db import Database
from storage.migrate import upgrade
from tests.support import FakeClock, Talker, person
from tests.trust_support import reflect

ROOT = str(Path(__file__).resolve().parents[1])


@pytest.fixture
def sqlite_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A migrated SQLite database of its own (these commands are for SQLite even when the suite runs on PG)."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'encore.db'}"

    async def migrate() -> None:
        database = Database(url)
        await upgrade(database)
        await database.dispose()

    asyncio.run(migrate())
    monkeypatch.setenv("ENCORE_DATABASE_URL", url)
    monkeypatch.delenv("ENCORE_ENCRYPTION_KEY", raising=False)
    return url


pytestmark = pytest.mark.usefixtures("restore_logging")  # commands install log handlers


def _answers(path: Path) -> list[str]:
    connection = sqlite3.connect(path)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        return [row[0] for row in connection.execute("SELECT answer FROM journalentry ORDER BY id")]
    finally:
        connection.close()


def test_a_backup_taken_while_users_write_is_consistent(sqlite_url: str, tmp_path: Path) -> None:
    target = tmp_path / "backup.db"

    async def write_and_back_up() -> list[str]:
        database = Database(sqlite_url)
        coach = Coach(database, clock=FakeClock())
        rounds = [0]

        async def write_round() -> None:
            await asyncio.gather(
                *(reflect(Talker(coach, person(f"user{n}")), f"answer {n}.{rounds[0]}") for n in range(4))
            )
            rounds[0] += 1

        await write_round()
        # Another process backs up while this one keeps writing, until the backup is done and once more.
        backup = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "backup",
            str(target),
            cwd=ROOT,
            env=os.environ | {"PYTHONPATH": ROOT},
        )
        while backup.returncode is None:
            await write_round()
        await write_round()
        assert backup.returncode == 0
        await database.dispose()
        return _answers(Path(sqlite_url.split("///", 1)[1]))

    everything = asyncio.run(write_and_back_up())
    copied = _answers(target)
    assert set(copied) <= set(everything)  # a snapshot of whole entries, nothing half-written
    assert 4 <= len(copied) < len(everything)  # taken after the first round, before the last
    assert not target.with_name("backup.db-wal").exists()


def test_restore_brings_back_the_backup_and_keeps_what_it_replaced(sqlite_url: str, tmp_path: Path) -> None:
    live = Path(sqlite_url.split("///", 1)[1])

    async def reflect_as(name: str, answer: str) -> None:
        database = Database(sqlite_url)
        await reflect(Talker(Coach(database, clock=FakeClock()), person(name)), answer)
        await database.dispose()

    asyncio.run(reflect_as("alice", "Before the backup"))
    assert main(["backup", str(tmp_path / "monday.db")]) == 0
    asyncio.run(reflect_as("alice", "After the backup"))

    assert main(["restore", str(tmp_path / "monday.db")]) == 0
    assert _answers(live) == ["Before the backup"]
    (kept,) = tmp_path.glob("encore.db.before-restore-*")
    assert _answers(kept) == ["Before the backup", "After the backup"]


def test_backup_never_overwrites_by_accident(
    sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "backup.db"
    target.write_text("an older backup")
    assert main(["backup", str(target)]) == 2
    assert "already exists" in capsys.readouterr().err
    assert target.read_text() == "an older backup"
    assert main(["backup", str(target), "--force"]) == 0
    assert _answers(target) == []


def test_restore_refuses_what_is_not_an_encore_backup(
    sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text_file, other_db = tmp_path / "notes.txt", tmp_path / "other.db"
    text_file.write_text("not a database" * 100)
    sqlite3.connect(other_db).execute("CREATE TABLE t (x)").connection.close()
    assert main(["restore", str(text_file)]) == 2
    assert "not a SQLite database" in capsys.readouterr().err
    assert main(["restore", str(other_db)]) == 2
    assert "not an Encore backup" in capsys.readouterr().err
    assert main(["restore", str(tmp_path / "missing.db")]) == 2
    assert "no backup file" in capsys.readouterr().err


def test_postgresql_is_pointed_to_pg_dump(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ENCORE_DATABASE_URL", "postgresql+asyncpg://encore@db/encore")
    assert main(["backup", "/tmp/never-written.db"]) == 2
    assert "pg_dump" in capsys.readouterr().err
    assert main(["restore", "/tmp/never-written.db"]) == 2
    assert "pg_restore" in capsys.readouterr().err
