"""A check-in through the real Telegram adapter and python-telegram-bot, against the fake Bot API."""

from __future__ import annotations

from bot.checkins import CheckinRunner
from bot.outbox import Outbox
from coach.schedule import refresh_next_checkin
from storage import users
from storage.db import Database
from tests.fakes.platform import FakeTime
from tests.fakes.telegram_api import FakeTelegram
from tests.support import FakeClock
from tests.telegram_support import ChatUser, running_bot, texts
from tests.test_checkins import SEOUL_SLOT, TUESDAY


async def schedule(database: Database, clock: FakeClock, telegram_user_id: int) -> None:
    """The Telegram user chose Tuesdays at 09:00 in Seoul."""
    async with database.session() as session:
        identity = await users.find_identity(session, "telegram", "", str(telegram_user_id))
        assert identity is not None
        user = await users.get_user(session, identity.user_id)
        assert user is not None
        user.timezone, user.checkin_weekday, user.checkin_hour = "Asia/Seoul", TUESDAY, 9
        refresh_next_checkin(user, clock())


async def test_a_check_in_reaches_telegram_survives_a_5xx_and_its_snooze_works_there(
    database: Database, clock: FakeClock
) -> None:
    async with FakeTelegram() as fake, running_bot(fake, database, clock=clock) as bot:
        alice = ChatUser(bot, 1001)
        await alice.send("/help")
        await schedule(database, clock, 1001)
        time = FakeTime()
        runner = CheckinRunner(
            database, Outbox({"telegram": bot.adapter.sender}, clock=time, sleep=time.sleep), clock=clock
        )

        fake.fail_next("sendMessage", status=502)
        clock.now = SEOUL_SLOT
        assert (await runner.tick()).retrying == 1
        clock.advance(minutes=1)
        assert (await runner.tick()).sent == 1
        checkin = alice.last
        assert checkin.text.startswith("Your weekly check-in")
        assert checkin.labels == ["Start now", "In 1 hour", "In 3 hours", "Tomorrow", "Skip this week"]
        assert len([m for m in alice.messages if "weekly check-in" in m.text]) == 1

        replies = await alice.press("In 1 hour")
        assert "I'll bring it back today at 10:01" in texts(replies) + str(alice.answer)
        clock.advance(hours=1)
        assert (await runner.tick()).reminders == 1
        assert "again, as you asked" in alice.last.text
        await alice.press("Start now", on=alice.last)
        assert "Answer in your own words" in alice.last.text


async def test_a_429_is_waited_out_and_a_block_marks_the_user_unreachable(
    database: Database, clock: FakeClock
) -> None:
    async with FakeTelegram() as fake, running_bot(fake, database, clock=clock) as bot:
        alice, bob = ChatUser(bot, 1001), ChatUser(bot, 1002, first_name="Bob")
        for person in (alice, bob):
            await person.send("/help")
            await schedule(database, clock, int(person.user["id"]))
        time = FakeTime()
        runner = CheckinRunner(
            database, Outbox({"telegram": bot.adapter.sender}, clock=time, sleep=time.sleep), clock=clock
        )
        fake.fail_next("sendMessage", status=429, retry_after=3)
        fake.blocked.add(bob.chat_id)
        clock.now = SEOUL_SLOT
        report = await runner.tick()
        assert (report.sent, report.unreachable) == (1, 1)
        assert len([m for m in alice.messages if "weekly check-in" in m.text]) == 1
        assert time.now >= 3  # nothing went to Telegram before its retry_after had passed
        async with database.session() as session:
            blocked = await users.find_identity(session, "telegram", "", "1002")
        assert blocked is not None and blocked.unreachable
