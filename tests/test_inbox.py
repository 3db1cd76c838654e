"""Nothing lost on a kill (issue 16, item 7): updates Telegram handed over are written down first.

Real ``encore run`` processes against the fake Bot API. Telegram forgets an update once the bot has asked
for the next ones; a process killed after that but before handling it used to lose it for good. Now the
next process finds it in the inbox and handles it, and nothing is handled twice.
"""

from __future__ import annotations

import asyncio
import signal
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from sqlmodel import col, func, select

from storage.db import Database
from storage.models import JournalEntry, TelegramInbox
from tests.fakes.telegram_api import FakeTelegram, private_chat, user
from tests.telegram_support import known_person
from tests.test_crash_recovery import _start_encore

PEOPLE = 30
NOTES = 3
FIRST_ID = 710_000
KEPT = "Kept in your journal"
LEASE = "1"  # seconds before another process takes over what a killed one had claimed


def _note(chat_id: int, n: int) -> str:
    return f"Note {n} from {chat_id}: the migration plan for the billing servers needs a second reviewer."


async def _enrol(database: Database, telegram_ids: list[int]) -> None:
    async with database.session() as session:
        for telegram_id in telegram_ids:
            await known_person(session, telegram_id, datetime.now(UTC))


async def _kept(database: Database) -> Counter[str]:
    async with database.session() as session:
        result = await session.execute(select(JournalEntry.answer))
        return Counter(str(answer) for answer in result.scalars())


async def _inbox_rows(database: Database) -> int:
    async with database.engine.connect() as connection:
        result = await connection.execute(select(func.count()).select_from(TelegramInbox))
        return int(result.scalar_one())


async def test_updates_a_killed_process_had_taken_are_handled_by_the_next_exactly_once(
    database_url: str, database: Database, tmp_path: Path
) -> None:
    people = [user(FIRST_ID + n, f"N{n}") for n in range(PEOPLE)]
    chats = [private_chat(person) for person in people]
    await _enrol(database, [chat["id"] for chat in chats])
    wanted = Counter({_note(chat["id"], n): 1 for chat in chats for n in range(NOTES)})
    async with FakeTelegram() as fake:
        # Replies take a second to be answered, so each person's later notes wait behind their first.
        fake.hold("sendMessage", 1.0)
        process = await _start_encore(fake, database_url, tmp_path, ENCORE_INBOX_LEASE_SECONDS=LEASE)
        try:
            last = 0
            for n in range(NOTES):
                for person, chat in zip(people, chats, strict=True):
                    last = fake.add_update(fake.message(person, chat, _note(chat["id"], n)))
            await fake.handed_over(last, timeout=30)  # Telegram will not send any of them again
            kept_before = await _kept(database)
            process.kill()
            await process.wait()
        finally:
            if process.returncode is None:
                process.kill()
                await process.wait()
        assert process.returncode == -signal.SIGKILL
        assert sum(kept_before.values()) < len(wanted), "the kill should come before every note was kept"
        assert await _inbox_rows(database) > 0

        fake.hold("sendMessage", 0)
        restarted = await _start_encore(fake, database_url, tmp_path, ENCORE_INBOX_LEASE_SECONDS=LEASE)
        try:
            for _ in range(600):
                if await _kept(database) == wanted and await _inbox_rows(database) == 0:
                    break
                await asyncio.sleep(0.1)
        finally:
            restarted.send_signal(signal.SIGTERM)
            _, err = await asyncio.wait_for(restarted.communicate(), 30)
        assert restarted.returncode == 0, err.decode()

        kept = await _kept(database)
        assert kept == wanted, {note: count for note, count in (kept - wanted + (wanted - kept)).items()}
        assert await _inbox_rows(database) == 0
        # Each note was answered at most once ("Kept in your journal"); a reply cut off by the kill, after
        # its note was kept, is not sent again.
        for chat in chats:
            replies = [m for m in fake.messages(chat["id"]) if KEPT in m.text]
            assert len(replies) <= NOTES, (chat["id"], [m.text for m in replies])
    async with database.session() as session:
        entries = await session.execute(select(func.count()).where(col(JournalEntry.id).is_not(None)))
        assert entries.scalar_one() == len(wanted)
