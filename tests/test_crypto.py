"""Journal text and drafts are encrypted at rest with ENCORE_ENCRYPTION_KEY; keys rotate; no key, no start."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from sqlalchemy import text

from bot.cli import main
from coach.core import Coach
from storage import crypto
from storage.crypto import Keyring
from storage.db import Database
from tests.support import FakeClock, Talker, person
from tests.trust_support import reflect

ANSWER = "I am afraid my bank will not renew my contract next year."
KEY_A, KEY_B = crypto.generate_key(), crypto.generate_key()


@pytest.fixture(autouse=True)
def no_key_leaks_between_tests() -> Iterator[None]:
    with crypto.configured(None):
        yield


pytestmark = pytest.mark.usefixtures("restore_logging")  # commands install log handlers


async def _raw(database: Database, sql: str) -> list[str]:
    async with database.engine.connect() as connection:
        return [str(row[0]) for row in await connection.execute(text(sql))]


async def _raw_on(url: str, sql: str) -> list[str]:
    database = Database(url)
    try:
        return await _raw(database, sql)
    finally:
        await database.dispose()


async def _journal(coach: Coach, who: str = "alice") -> str:
    talker = Talker(coach, person(who))
    await talker.command("journal")
    return talker.text


async def test_journal_answers_prompts_and_drafts_are_ciphertext_in_the_table(
    coach: Coach, database: Database
) -> None:
    crypto.configure(Keyring(KEY_A))
    alice = Talker(coach, person("alice"))
    await reflect(alice, ANSWER)
    await alice.command("reflect")
    await alice.say("A draft about leaving in anger")

    answers = await _raw(database, "SELECT answer FROM journalentry")
    prompts = await _raw(database, "SELECT prompt_text FROM journalentry")
    drafts = await _raw(database, "SELECT CAST(data AS TEXT) FROM conversationstate")
    assert answers[0].startswith("fernet:") and "afraid" not in answers[0]
    assert prompts[0].startswith("fernet:") and "Prompt" not in prompts[0]
    assert "fernet:" in drafts[0] and "leaving in anger" not in drafts[0]

    assert ANSWER in await _journal(coach)  # the round trip: the user reads their own words


def test_rows_written_before_the_key_still_read_and_rotation_encrypts_them(
    database_url: str, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def write_plain_then_encrypted() -> tuple[list[str], str]:
        database = Database(database_url)
        coach = Coach(database, clock=clock)
        await reflect(Talker(coach, person("alice")), "Written before encryption was on.")
        plain = await _raw(database, "SELECT answer FROM journalentry")
        with crypto.configured(Keyring(KEY_A)):
            await reflect(Talker(coach, person("alice")), ANSWER)
            journal = await _journal(coach)
        await database.dispose()
        return plain, journal

    plain, journal = asyncio.run(write_plain_then_encrypted())
    assert plain == ["Written before encryption was on."]
    assert "Written before encryption was on." in journal and ANSWER in journal

    monkeypatch.setenv("ENCORE_DATABASE_URL", database_url)
    monkeypatch.setenv("ENCORE_ENCRYPTION_KEY", KEY_A)
    assert main(["keys", "rotate"]) == 0
    answers = asyncio.run(_raw_on(database_url, "SELECT answer FROM journalentry"))
    assert len(answers) == 2 and all(a.startswith("fernet:") for a in answers)


def test_rotation_moves_every_row_to_the_new_key(
    database_url: str, clock: FakeClock, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    async def write() -> None:
        database = Database(database_url)
        with crypto.configured(Keyring(KEY_A)):
            for n in range(3):
                await reflect(Talker(Coach(database, clock=clock), person(f"user{n}")), f"{ANSWER} ({n})")
        await database.dispose()

    asyncio.run(write())
    before = asyncio.run(_raw_on(database_url, "SELECT answer FROM journalentry ORDER BY id"))

    monkeypatch.setenv("ENCORE_DATABASE_URL", database_url)
    monkeypatch.setenv("ENCORE_ENCRYPTION_KEY", KEY_B)
    monkeypatch.setenv("ENCORE_ENCRYPTION_OLD_KEYS", KEY_A)
    assert main(["keys", "rotate"]) == 0
    assert "Re-encrypted" in capsys.readouterr().out

    after = asyncio.run(_raw_on(database_url, "SELECT answer FROM journalentry ORDER BY id"))
    assert len(after) == 3 and all(a.startswith("fernet:") for a in after) and set(after).isdisjoint(before)

    async def read_as_user1(keyring: Keyring) -> str:
        database = Database(database_url)
        try:
            with crypto.configured(keyring):
                return await _journal(Coach(database, clock=clock), "user1")
        finally:
            await database.dispose()

    assert f"{ANSWER} (1)" in asyncio.run(read_as_user1(Keyring(KEY_B)))  # the new key alone opens all
    with pytest.raises(crypto.EncryptionError):
        asyncio.run(read_as_user1(Keyring(KEY_A)))  # and the old key alone opens nothing


@pytest.fixture
def encrypted_database(database_url: str, clock: FakeClock) -> str:
    async def write() -> None:
        database = Database(database_url)
        with crypto.configured(Keyring(KEY_A)):
            await reflect(Talker(Coach(database, clock=clock), person("alice")), ANSWER)
        await database.dispose()

    asyncio.run(write())
    return database_url


def test_start_refuses_without_the_key_when_rows_are_encrypted(
    encrypted_database: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ENCORE_DATABASE_URL", encrypted_database)
    monkeypatch.delenv("ENCORE_ENCRYPTION_KEY", raising=False)
    assert main(["db", "upgrade"]) == 2
    error = capsys.readouterr().err
    assert "holds encrypted rows" in error and "ENCORE_ENCRYPTION_KEY is not set" in error
    assert ANSWER not in error


def test_start_refuses_a_key_that_does_not_open_the_rows(
    encrypted_database: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ENCORE_DATABASE_URL", encrypted_database)
    monkeypatch.setenv("ENCORE_ENCRYPTION_KEY", KEY_B)
    assert main(["db", "upgrade"]) == 2
    assert "ENCORE_ENCRYPTION_OLD_KEYS" in capsys.readouterr().err


def test_start_with_the_right_key_succeeds(encrypted_database: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ENCORE_DATABASE_URL", encrypted_database)
    monkeypatch.setenv("ENCORE_ENCRYPTION_KEY", KEY_A)
    assert main(["db", "upgrade"]) == 0


def test_a_malformed_key_is_a_configuration_error(
    database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ENCORE_DATABASE_URL", database_url)
    monkeypatch.setenv("ENCORE_ENCRYPTION_KEY", "my-password-123")
    assert main(["db", "upgrade"]) == 2
    error = capsys.readouterr().err
    assert "ENCORE_ENCRYPTION_KEY" in error and "encore keys generate" in error
    assert "my-password-123" not in error


def test_rotating_without_a_key_explains_what_to_set(
    database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ENCORE_DATABASE_URL", database_url)
    monkeypatch.delenv("ENCORE_ENCRYPTION_KEY", raising=False)
    assert main(["keys", "rotate"]) == 2
    assert "set ENCORE_ENCRYPTION_KEY" in capsys.readouterr().err


def test_generated_keys_are_fresh_and_usable(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["keys", "generate"]) == 0
    key = capsys.readouterr().out.strip()
    assert key != KEY_A
    assert Keyring(key).decrypt(Keyring(key).encrypt("안녕하세요 🙂")) == "안녕하세요 🙂"


def test_an_answer_that_looks_like_ciphertext_is_just_text(
    database_url: str, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Someone typing "fernet:…" must not lock their journal, nor stop Encore from starting."""
    lookalike = "fernet:gAAAAABhello — what does this do?"

    async def write_and_read() -> str:
        database = Database(database_url)
        coach = Coach(database, clock=clock)
        await reflect(Talker(coach, person("curious")), lookalike)
        await reflect(Talker(coach, person("curious")), "plain: my second answer")
        journal = await _journal(coach, "curious")
        await database.dispose()
        return journal

    journal = asyncio.run(write_and_read())
    assert lookalike in journal and "plain: my second answer" in journal
    monkeypatch.setenv("ENCORE_DATABASE_URL", database_url)
    monkeypatch.delenv("ENCORE_ENCRYPTION_KEY", raising=False)
    assert main(["db", "upgrade"]) == 0  # no key needed: nothing is encrypted
    monkeypatch.setenv("ENCORE_ENCRYPTION_KEY", KEY_A)
    assert main(["keys", "rotate"]) == 0

    async def read_with_key() -> str:
        database = Database(database_url)
        try:
            with crypto.configured(Keyring(KEY_A)):
                return await _journal(Coach(database, clock=clock), "curious")
        finally:
            await database.dispose()

    journal = asyncio.run(read_with_key())
    assert lookalike in journal and "plain: my second answer" in journal
