"""A send that timed out may have arrived: it is never sent again (issue 16, item 8).

Real python-telegram-bot against the fake Bot API, which carries out a request and then never answers it,
as Telegram does when the answer is lost on the way back.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from telegram import Bot
from telegram.request import HTTPXRequest

from bot.checkins import CheckinRunner
from bot.outbox import Outbox
from bot.stats import collect
from bot.telegram.sender import TelegramSender
from storage.db import Database
from tests.fakes.platform import FakeTime
from tests.fakes.telegram_api import TOKEN, FakeTelegram
from tests.support import FakeClock
from tests.telegram_support import ChatUser, running_bot
from tests.test_checkins import SEOUL_SLOT
from tests.test_checkins_telegram import schedule

CHECKIN = "Your weekly check-in"
HELP = "Here is what I can do"


def _first(words: str) -> Any:
    """A stall for the first message containing ``words`` only."""
    seen: list[str] = []

    def when(params: dict[str, Any]) -> bool:
        if words in str(params.get("text", "")) and not seen:
            seen.append(words)
            return True
        return False

    return when


async def test_a_check_in_that_timed_out_is_never_sent_again_and_stats_count_it(
    database: Database, clock: FakeClock
) -> None:
    async with FakeTelegram() as fake, running_bot(fake, database, clock=clock) as bot:
        alice = ChatUser(bot, 1001)
        await alice.send("/help")
        await schedule(database, clock, 1001)
        # The scheduler's own Bot, waiting half a second for an answer (the default is five).
        impatient = Bot(TOKEN, base_url=fake.base_url, request=HTTPXRequest(read_timeout=0.5))
        await impatient.initialize()
        time = FakeTime()
        runner = CheckinRunner(
            database,
            Outbox({"telegram": TelegramSender(impatient)}, clock=time, sleep=time.sleep),
            clock=clock,
        )
        try:
            fake.stall("sendMessage", _first(CHECKIN))
            clock.now = SEOUL_SLOT
            report = await runner.tick()
            assert (report.uncertain, report.sent, report.retrying) == (1, 0, 0)
            for later in (timedelta(minutes=1), timedelta(minutes=11), timedelta(hours=2)):
                clock.now = SEOUL_SLOT + later
                await runner.tick()
            assert sum(CHECKIN in m.text for m in alice.messages) == 1  # Telegram had it; not sent twice
        finally:
            await impatient.shutdown()
    report_text = await collect(database, SEOUL_SLOT + timedelta(hours=2), weeks=1)
    assert "1 sent, 0 answered (answer rate 0%), 1 uncertain" in report_text
    assert "it may have arrived, so it is never sent again" in report_text


async def test_a_reply_that_timed_out_is_not_sent_again_nor_followed_by_an_apology(
    database: Database,
) -> None:
    async with FakeTelegram() as fake, running_bot(fake, database) as bot:
        alice = ChatUser(bot, 1002)
        fake.stall("sendMessage", _first(HELP))
        await bot.settle(fake.add_update(fake.message(alice.user, alice.chat, "/help")), timeout=30)
        assert [HELP in m.text for m in alice.messages] == [True]  # once, and no "something went wrong"
        replies = await alice.send("/help")  # the bot carries on
        assert len(replies) == 1 and HELP in replies[0].text
