"""Proactive messages (check-ins) through the Telegram sender: delivered, or failed in the coach's terms."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from telegram import Bot
from telegram.request import HTTPXRequest

from bot.telegram.sender import TelegramSender
from coach.actions import shortcut
from coach.delivery import RateLimited, Recipient, TemporaryFailure, Unreachable
from coach.messages import Choice, Reply
from storage import users
from storage.db import Database
from tests.fakes.telegram_api import TOKEN, FakeTelegram
from tests.telegram_support import ChatUser, RunningBot, free_port, running_bot

CHECKIN = Reply(
    "*Weekly check-in*\n\nHow did this week go?",
    choices=(Choice("Reflect now", shortcut("reflect")), Choice("Not this week", shortcut("help"))),
    columns=2,
)


@pytest.fixture
async def bot(database: Database) -> AsyncIterator[RunningBot]:
    async with FakeTelegram() as fake, running_bot(fake, database) as running:
        yield running


async def recipient_for(chat: ChatUser, database: Database) -> Recipient:
    await chat.send("/help")  # a user who has written to the bot before
    async with database.session() as session:
        identity = await users.find_identity(session, "telegram", "", str(chat.user["id"]))
    assert identity is not None and identity.id is not None
    return Recipient(identity.id, identity.user_id, "telegram", "", identity.external_id, identity.chat_id)


async def test_a_checkin_arrives_with_its_buttons(bot: RunningBot, database: Database) -> None:
    alice = ChatUser(bot, 1001)
    recipient = await recipient_for(alice, database)
    await bot.adapter.sender.deliver(recipient, [CHECKIN])
    assert alice.last.text == "Weekly check-in\n\nHow did this week go?"
    assert alice.last.keyboard is not None and len(alice.last.keyboard) == 1  # two columns: one row
    replies = await alice.press("Reflect now")  # the check-in's button starts a reflection
    assert "Another question" in replies[-1].labels


async def test_failures_are_reported_once_without_retrying(bot: RunningBot, database: Database) -> None:
    fake = bot.fake
    alice = ChatUser(bot, 1001)
    recipient = await recipient_for(alice, database)
    sender = bot.adapter.sender
    tried = len(fake.calls_to("sendMessage"))

    fake.fail_next("sendMessage", status=429, retry_after=7)
    with pytest.raises(RateLimited) as limited:
        await sender.deliver(recipient, [CHECKIN])
    assert limited.value.retry_after == 7.0

    fake.fail_next("sendMessage", status=502)
    with pytest.raises(TemporaryFailure):
        await sender.deliver(recipient, [CHECKIN])

    fake.blocked.add(alice.chat_id)
    with pytest.raises(Unreachable):
        await sender.deliver(recipient, [CHECKIN])

    assert len(fake.calls_to("sendMessage")) == tried + 3  # the scheduler paces and retries, not us

    gone = Recipient(recipient.identity_id, recipient.user_id, "telegram", "", "5555", "5555")
    with pytest.raises(Unreachable):  # "chat not found": the account is gone
        await sender.deliver(gone, [CHECKIN])


async def test_telegram_out_of_reach_is_a_temporary_failure() -> None:
    request = HTTPXRequest(connect_timeout=1)
    sender = TelegramSender(Bot(TOKEN, base_url=f"http://127.0.0.1:{free_port()}/bot", request=request))
    try:
        with pytest.raises(TemporaryFailure):
            await sender.deliver(Recipient(1, 1, "telegram", "", "1001", "1001"), [CHECKIN])
    finally:
        await request.shutdown()
