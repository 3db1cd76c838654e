"""One pace per bot token across replicas (issue 16, item 6), against a fake that enforces Telegram's limits.

Three schedulers (as three replicas run them) send one check-in round while people chat with the bot; the
fake refuses (429) anything past 30 messages a second for the bot or about one a second in a chat. Only
PostgreSQL is shared by replicas, so this runs only with ``ENCORE_TEST_DATABASE_URL``.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from telegram.ext import ExtBot

from bot.checkins import CheckinRunner, TickReport
from bot.outbox import Outbox
from bot.telegram.pace import SharedPace
from bot.telegram.poller import bot_key
from bot.telegram.sender import TelegramSender
from storage import pace, users
from storage.db import Database
from tests.conftest import PG_URL
from tests.fakes.telegram_api import TOKEN, FakeTelegram, private_chat, user
from tests.telegram_support import ChatUser, running_bot

pytestmark = pytest.mark.skipif(not PG_URL, reason="needs PostgreSQL: set ENCORE_TEST_DATABASE_URL")

DUE = 150
FIRST_ID = 730_000
CHATTING = 10
# Messages a second for every sender here. Under the fake's 30 with room for this one process (the fake,
# three schedulers and the chat on one event loop) being late with a few sends on a busy machine: the
# test is about one pace for three senders (without it they send at three times the pace).
PACE = 25
CHECKIN = "Your weekly check-in"
HELP = "Here is what I can do"


async def _due_now(database: Database, fake: FakeTelegram) -> None:
    due = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(minutes=1)
    async with database.session() as session:
        for n in range(DUE):
            chat = private_chat(user(FIRST_ID + n, f"D{n}"))
            fake.chats[chat["id"]] = chat  # they have talked to the bot before
            person, _, _ = await users.resolve_identity(
                session,
                platform="telegram",
                workspace="",
                external_id=str(chat["id"]),
                chat_id=str(chat["id"]),
                language_code="en",
                display_name=None,
                timezone="UTC",
                now=due - timedelta(days=1),
            )
            person.checkin_weekday, person.checkin_hour, person.checkin_minute = (
                due.weekday(),
                due.hour,
                due.minute,
            )
            person.next_checkin_at = due


async def test_three_replicas_check_in_and_chat_without_a_429_each_check_in_once(database: Database) -> None:
    async with FakeTelegram() as fake, running_bot(fake, database, telegram_messages_per_second=PACE) as bot:
        fake.limit(per_second=30, per_chat=1)
        await _due_now(database, fake)
        replicas = [
            ExtBot(
                TOKEN,
                base_url=fake.base_url,
                rate_limiter=SharedPace(database, f"telegram:{bot_key(TOKEN)}", PACE),
            )
            for _ in range(3)
        ]
        for replica in replicas:
            await replica.initialize()
        runners = [
            CheckinRunner(database, Outbox({"telegram": TelegramSender(replica)}), batch_size=20)
            for replica in replicas
        ]
        people = [ChatUser(bot, 740_000 + n, first_name=f"C{n}") for n in range(CHATTING)]

        async def chat(person: ChatUser) -> int:
            answered = 0
            for _ in range(3):
                replies = await person.send("/help")
                answered += sum(HELP in reply.text for reply in replies)
                await asyncio.sleep(1.0)  # a person reads before writing again
            return answered

        try:
            results = await asyncio.wait_for(
                asyncio.gather(*(runner.tick() for runner in runners), *(chat(p) for p in people)), 120
            )
        finally:
            for replica in replicas:
                await replica.shutdown()
        reports = [result for result in results if isinstance(result, TickReport)]
        assert fake.too_many == 0, fake.refusals
        assert sum(report.sent + report.late for report in reports) == DUE
        assert all(report.sent > 0 for report in reports), "every replica sent its share"
        for n in range(DUE):
            assert sum(CHECKIN in m.text for m in fake.messages(FIRST_ID + n)) == 1, FIRST_ID + n
        assert [result for result in results if isinstance(result, int)] == [3] * CHATTING


async def test_a_message_late_on_its_way_counts_for_a_second_after_it_arrived(database: Database) -> None:
    """Telegram counts a message when it arrives. One whose request took long (a busy host) must keep its
    place in the pace for a second after that, or the next second's messages land on top of it (429)."""
    name = "telegram:late"
    async with database.session() as session:
        wait, turn = await pace.take_turn(session, name, 1)
    assert wait == 0 and turn
    await asyncio.sleep(0.6)  # the request is on its way, then comes back
    async with database.session() as session:
        await pace.settle(session, name, turn)
    async with database.session() as session:
        wait, turn = await pace.take_turn(session, name, 1)
    # A second from when it arrived (counted from its turn, the wait would be at most 0.4 s). No sleep comes
    # between the two, so a busy machine cannot eat the margin.
    assert 0.7 < wait <= 1.0 and not turn
    await asyncio.sleep(wait)
    async with database.session() as session:
        wait, turn = await pace.take_turn(session, name, 1)
    assert wait == 0 and turn
