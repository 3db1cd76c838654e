"""Words at rest: with a key, every free text a user typed (or their platform name) is ciphertext in the
database, key rotation includes it, and after /delete nothing of it remains in any SQLite file."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import String, Text, cast, select, text
from sqlmodel import SQLModel

from bot.cli import main
from coach.core import Coach
from storage import crypto
from storage.crypto import EncryptedText, Keyring
from storage.db import Database
from storage.migrate import upgrade
from tests.conftest import PG_URL
from tests.support import FakeClock, Talker, person
from tests.trust_support import reflect

KEY = crypto.generate_key()
ROLE = "Quokka-harbour reliability lead"
TARGET = "Bonsai nursery in Jeonju"
EXAM = "Goldsmith master exam"
NAME = "Jisoo Parkwood-Lantern"
ANSWER = "Zebra lantern confession, 벼랑끝 해바라기 우체국"
DRAFT = "half-written thought about the ferris wheel"
PHRASES = (ROLE, TARGET, EXAM, NAME, ANSWER, DRAFT)

# Text columns that hold keys, codes and names of our own making, never what a person typed.
NOT_TYPED = {
    "user": {"language", "timezone", "holiday_country"},
    "identity": {"platform", "workspace", "external_id", "chat_id", "language_code"},
    "profile": {"target_role"},
    "conversationstate": {"flow", "step"},
    "journalentry": {"prompt_key", "theme", "language"},
    "targetrole": {"role_key"},
    "skillassessment": {"role_key"},
    "studygoal": {"cert_key", "status"},
    "studycheckin": {"weakest_domain"},
    "checkinslot": {"status", "reason", "kind", "topic", "claimed_by", "pending"},
    "linkcode": {"code_hash"},
    "deliveryreceipt": {"key"},
    "runningprocess": {"id", "command", "host"},
}


@pytest.fixture(autouse=True)
def no_key_leaks_between_tests() -> Iterator[None]:
    with crypto.configured(None):
        yield


@pytest.fixture(autouse=True)
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:], root.level = handlers, level


async def live_a_little(coach: Coach, user: str = "jisoo") -> Talker:
    """Onboarding with a role and a path of one's own, a custom exam, a journal entry and a draft."""
    talker = Talker(coach, replace(person(user, platform="telegram"), display_name=NAME))
    await talker.command("start")
    await talker.say(ROLE)
    await talker.say("22")
    await talker.press("Something else")
    await talker.say(TARGET)
    await talker.press("3 years")
    await talker.press("Tuesday")
    await talker.press("09:00")
    await talker.say("Seoul")
    await talker.command("study")
    await talker.say(EXAM)
    await talker.press("Yes, track it")
    await talker.say("about 200 hours")
    await talker.press("Not booked yet")
    await talker.press("5 h")
    await reflect(talker, ANSWER)
    await talker.command("reflect")
    await talker.say(DRAFT)
    return talker


async def stored_text(database: Database) -> str:
    """Every value of every table as the database holds it (ciphertext stays ciphertext)."""
    values: list[str] = []
    async with database.engine.connect() as connection:
        for table in SQLModel.metadata.sorted_tables:
            rows = await connection.execute(select(*(cast(c, Text) for c in table.c)).select_from(table))
            values += [str(value) for row in rows for value in row]
    return "\n".join(values)


def test_every_text_column_is_encrypted_or_holds_no_typed_words() -> None:
    """A new column for words people type must use EncryptedText/EncryptedJSON (and this list stays true)."""
    plain = {
        (table.name, column.name)
        for table in SQLModel.metadata.sorted_tables
        for column in table.columns
        if isinstance(column.type, String | Text) and not isinstance(column.type, EncryptedText)
    }
    known = {(table, column) for table, columns in NOT_TYPED.items() for column in columns}
    assert plain <= known, f"plain text columns not known to hold only keys: {sorted(plain - known)}"
    for table, column in [
        ("profile", "current_role"),
        ("profile", "target_role_custom"),
        ("studygoal", "custom_name"),
        ("identity", "display_name"),
    ]:
        assert isinstance(SQLModel.metadata.tables[table].c[column].type, EncryptedText), (table, column)


async def test_with_a_key_no_typed_word_is_stored_readable(coach: Coach, database: Database) -> None:
    crypto.configure(Keyring(KEY))
    talker = await live_a_little(coach)
    stored = await stored_text(database)
    assert "fernet:" in stored
    for phrase in PHRASES:
        assert phrase not in stored, phrase
    await talker.command("progress")  # the user still reads their own words
    assert ROLE in talker.text and TARGET in talker.text


def test_key_rotation_encrypts_names_roles_and_exams_written_before_the_key(
    database_url: str, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def write_plain() -> str:
        database = Database(database_url)
        await live_a_little(Coach(database, clock=clock))
        stored = await stored_text(database)
        await database.dispose()
        return stored

    before = asyncio.run(write_plain())
    assert all(phrase in before for phrase in PHRASES)  # no key yet: plain, and still readable later

    monkeypatch.setenv("ENCORE_DATABASE_URL", database_url)
    monkeypatch.setenv("ENCORE_ENCRYPTION_KEY", KEY)
    assert main(["keys", "rotate"]) == 0

    async def read_back() -> tuple[str, str]:
        database = Database(database_url)
        stored = await stored_text(database)
        with crypto.configured(Keyring(KEY)):
            talker = Talker(Coach(database, clock=clock), person("jisoo", platform="telegram"))
            await talker.command("study")
            shown = talker.text
            await talker.command("progress")
            shown += talker.text
        await database.dispose()
        return stored, shown

    after, shown = asyncio.run(read_back())
    for phrase in PHRASES:
        assert phrase not in after, phrase
    assert ROLE in shown and TARGET in shown and EXAM in shown


@pytest.fixture
def sqlite_file(tmp_path: Path) -> Path:
    """A SQLite database of its own (this is about SQLite's files, whichever engine the suite runs on).

    The folder's name has a space, a ``#`` and Korean in it, as a real path may."""
    folder = tmp_path / "encore data #1 데이터"
    folder.mkdir()
    return folder / "encore.db"


def _left_in_files(path: Path, phrases: tuple[str, ...]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for name in (path.name, f"{path.name}-wal"):
        file = path.with_name(name)
        data = file.read_bytes() if file.exists() else b""
        found[name] = [phrase for phrase in phrases if phrase.encode() in data]
    return found


async def test_after_delete_no_phrase_remains_in_any_sqlite_file_while_encore_runs(
    sqlite_file: Path, clock: FakeClock
) -> None:
    database = Database(f"sqlite+aiosqlite:///{sqlite_file}")
    await upgrade(database)
    try:
        coach = Coach(database, clock=clock)
        jisoo = await live_a_little(coach)
        others = [Talker(coach, person(f"other{n}")) for n in range(8)]
        for other in others:
            await reflect(other, f"Another person's answer number {other.identity.user_id}")
        assert any(_left_in_files(sqlite_file, PHRASES).values()), "the phrases were written somewhere"

        await jisoo.command("delete")
        await jisoo.press("Yes, erase everything")
        assert "Everything I kept about you is erased" in jisoo.text
        assert _left_in_files(sqlite_file, PHRASES) == {"encore.db": [], "encore.db-wal": []}

        for n in range(400):  # the process keeps running, and others keep writing
            other = others[n % len(others)]
            await (
                other.command("reflect")
                if n % 2 == 0
                else other.say(f"draft {n} of {other.identity.user_id}")
            )
        assert _left_in_files(sqlite_file, PHRASES) == {"encore.db": [], "encore.db-wal": []}
        wal = sqlite_file.with_name("encore.db-wal")
        assert wal.exists() and wal.stat().st_size > 0  # the WAL is in use again, just not with her words
    finally:
        await database.dispose()


@pytest.mark.skipif(not PG_URL, reason="VACUUM statistics are PostgreSQL's")
def test_db_vacuum_vacuums_every_user_table_on_postgresql(
    database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ENCORE_DATABASE_URL", database_url)
    assert main(["db", "vacuum"]) == 0
    assert "Vacuumed" in capsys.readouterr().out

    async def vacuumed() -> set[str]:
        database = Database(database_url)
        async with database.engine.connect() as connection:
            rows = await connection.execute(
                text("SELECT relname FROM pg_stat_user_tables WHERE last_vacuum IS NOT NULL")
            )
            names = {row[0] for row in rows}
        await database.dispose()
        return names

    assert {"user", "identity", "profile", "journalentry", "conversationstate", "studygoal"} <= asyncio.run(
        vacuumed()
    )


def test_db_vacuum_on_sqlite_compacts_the_file(sqlite_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite+aiosqlite:///{sqlite_file}"
    monkeypatch.setenv("ENCORE_DATABASE_URL", url)
    assert main(["db", "upgrade"]) == 0
    assert main(["db", "vacuum"]) == 0
    wal = sqlite_file.with_name("encore.db-wal")
    assert sqlite_file.exists() and (not wal.exists() or wal.stat().st_size == 0)
