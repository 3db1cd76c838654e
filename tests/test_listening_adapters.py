"""What people write beyond answers, through the real adapters: python-telegram-bot against the fake Bot
API, slack-bolt against the fake Web API with signed requests, and the console as a person types into it.

The issue's quit messages get the cooling-off reply with working buttons, a reminder asked for there is
sent through the same platform later, crisis language gets help before anything else (mid-flow too), a
quick log is logged and undone, and a note is kept and deleted from its button.
"""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from bot.console import Console
from bot.outbox import Outbox
from bot.reminders import ReminderRunner
from coach.core import Coach
from storage import coaching, journal, users
from storage.db import Database
from tests.fakes.platform import FakeTime
from tests.fakes.slack_api import FakeSlackApi, SlackUser
from tests.fakes.slack_requests import running_slack
from tests.fakes.telegram_api import FakeTelegram
from tests.support import FakeClock
from tests.telegram_support import ChatUser, RunningBot, running_bot, texts

THREE_DAYS_ON = datetime(2026, 11, 28, 0, 0, tzinfo=UTC)  # Saturday 09:00 in Seoul


@pytest.fixture
async def bot(database: Database, clock: FakeClock) -> AsyncIterator[RunningBot]:
    async with FakeTelegram() as fake, running_bot(fake, database, clock=clock) as running:
        yield running


async def journal_of(database: Database, platform: str, external_id: str, workspace: str = "") -> list[str]:
    async with database.session() as session:
        identity = await users.find_identity(session, platform, workspace, external_id)
        assert identity is not None
        entries = await journal.page_of_entries(session, identity.user_id, offset=0, limit=50)
    return [entry.answer for entry in entries]


# -- Telegram -------------------------------------------------------------------------------------------------
async def test_telegram_a_korean_quit_message_a_reminder_and_its_delivery(
    bot: RunningBot, database: Database, clock: FakeClock
) -> None:
    minsu = ChatUser(bot, 2001, first_name="민수", language_code="ko")
    (cooling,) = await minsu.send("정말 내일 사표 내고 싶습니다")
    assert "머리가 맑은 날" in cooling.text
    assert cooling.labels == [
        "지금 글로 정리하기",
        "3일 뒤에 다시 알려 주기",
        "7일 뒤에 다시 알려 주기",
        "메모로만 남기기",
    ]
    replies = await minsu.press("3일 뒤에 다시 알려 주기")
    assert "토요일 09:00에 이 글을 다시 보여 드릴게요" in texts(replies) + str(minsu.answer)
    assert await journal_of(database, "telegram", "2001") == ["정말 내일 사표 내고 싶습니다"]

    time = FakeTime()
    scheduler = ReminderRunner(
        database, Outbox({"telegram": bot.adapter.sender}, clock=time, sleep=time.sleep), clock=clock
    )
    clock.now = THREE_DAYS_ON
    assert await scheduler.tick() == 1
    assert "3일 전, 힘든 날에 이렇게 쓰셨어요." in minsu.last.text
    assert "정말 내일 사표 내고 싶습니다" in minsu.last.text
    await minsu.press("지금 글로 정리하기", on=minsu.last)
    assert "감정과 결정" in minsu.last.text


async def test_telegram_crisis_mid_onboarding_comes_first_with_no_buttons(
    bot: RunningBot, database: Database
) -> None:
    alice = ChatUser(bot, 2002)
    await alice.send("/start")
    (help_message,) = await alice.send("I don't want to live anymore")
    assert "findahelpline.com" in help_message.text and help_message.labels == []
    assert "current role" not in help_message.text
    replies = await alice.send("I'm just so tired")  # not pushed into the question
    assert "How many years" not in texts(replies) and "current role" not in texts(replies)
    assert await journal_of(database, "telegram", "2002") == [
        "I'm just so tired",
        "I don't want to live anymore",
    ]


async def test_telegram_a_quick_log_twice_asks_first_and_undo_removes_it(
    bot: RunningBot, database: Database, clock: FakeClock
) -> None:
    alice = ChatUser(bot, 2003)
    for line in ("/study", "SAA-C03", "2027-06-13", "5"):
        await alice.send(line)
    await alice.press("Done")
    (logged,) = await alice.send("studied 90 minutes")
    assert "Logged 1.5 h of study" in logged.text and logged.labels == ["Undo"]
    clock.advance(minutes=2)
    (asked,) = await alice.send("studied 90 minutes")
    assert "a few minutes ago" in asked.text
    await alice.press("It was the same", on=asked)
    await alice.press("Undo", on=logged)
    async with database.session() as session:
        identity = await users.find_identity(session, "telegram", "", "2003")
        assert identity is not None
        assert await coaching.checkins_of_user(session, identity.user_id) == []


async def test_telegram_a_note_is_kept_and_deleted_and_emoji_keep_nothing(
    bot: RunningBot, database: Database
) -> None:
    alice = ChatUser(bot, 2004)
    (kept,) = await alice.send("Met a former colleague who now consults for AWS. Ask her about day rates.")
    assert "Kept in your journal" in kept.text
    (greeting,) = await alice.send("🙏🙂")
    assert "I'm here" in greeting.text
    assert len(await journal_of(database, "telegram", "2004")) == 1
    replies = await alice.press("Delete this note", on=kept)
    assert "Deleted" in texts(replies) + str(alice.answer)
    assert await journal_of(database, "telegram", "2004") == []


# -- Slack ----------------------------------------------------------------------------------------------------
def slack_people() -> FakeSlackApi:
    return FakeSlackApi(
        users={
            "U1": SlackUser(tz="America/New_York", locale="en-US", real_name="Dana"),
            "UKO": SlackUser(tz="Asia/Seoul", locale="ko-KR", real_name="민수"),
        }
    )


async def test_slack_an_english_quit_message_and_a_reminder(coach: Coach, database: Database) -> None:
    text = "I was passed over AGAIN… I want to quit tomorrow. How do I hand in my resignation?"
    async with running_slack(coach, slack_people()) as slack:
        await slack.done(await slack.dm("U1", text))
        assert "A decision as big as leaving deserves a clear head" in slack.posted_text("DU1")
        assert slack.labels("DU1")[-4:] == [
            "Write it out now",
            "Remind me in 3 days",
            "Remind me in 7 days",
            "Just keep this note",
        ]
        await slack.done(await slack.press("U1", "Remind me in 3 days", owner_channel="DU1"))
        assert "I'll bring this note back" in slack.posted_text("DU1")
    assert await journal_of(database, "slack", "U1", "T1") == [text]


async def test_slack_crisis_mid_flow_and_korean_free_text(coach: Coach, database: Database) -> None:
    async with running_slack(coach, slack_people()) as slack:
        await slack.done(await slack.command("UKO", "start"))
        posts = len(slack.api.calls_to("chat.postMessage"))
        await slack.done(await slack.dm("UKO", "요즘 정말 죽고 싶다는 생각만 들어요"))
        crisis = slack.api.calls_to("chat.postMessage")[posts:]
        assert len(crisis) == 1 and "109" in str(crisis[0].args) and "actions" not in str(crisis[0].args)
        await slack.done(await slack.dm("UKO", "오늘 2시간 공부했어요"))  # no goal yet: kept, /study offered
        assert "공부 목표 정하기" in slack.labels("DUKO")
    assert await journal_of(database, "slack", "UKO", "T1") == [
        "오늘 2시간 공부했어요",
        "요즘 정말 죽고 싶다는 생각만 들어요",
    ]


async def test_slack_a_note_is_deleted_from_its_button(coach: Coach, database: Database) -> None:
    async with running_slack(coach, slack_people()) as slack:
        await slack.done(await slack.dm("U1", "Ask the AWS partner about their architect bootcamp"))
        assert "Kept in your journal" in slack.posted_text("DU1")
        await slack.done(await slack.press("U1", "Delete this note", owner_channel="DU1"))
        assert "That note is gone from your journal" in slack.posted_text("DU1")
    assert await journal_of(database, "slack", "U1", "T1") == []


# -- the console ------------------------------------------------------------------------------------------------
async def test_console_a_late_night_quit_thought_in_korean(database: Database) -> None:
    late = FakeClock(datetime(2026, 11, 25, 14, 40, tzinfo=UTC))  # 23:40 in Seoul
    coach = Coach(database, clock=late)
    out = io.StringIO()
    console = Console(coach, stdin=io.StringIO(), stdout=out, user="minsu", environ={"LANG": "ko_KR.UTF-8"})
    await console.say("사표 낼까 봐요")
    shown = out.getvalue()
    assert "화가 나는 게 당연해요" in shown
    assert "  2. 3일 뒤에 다시 알려 주기" in shown  # a choice-only reply: numbered
    await console.say("2")
    assert "토요일 09:00에 이 글을 다시 보여 드릴게요" in out.getvalue()
    await console.say("죽고 싶어요")
    assert "109" in out.getvalue().split("토요일 09:00")[-1]
    assert await journal_of(database, "console", "minsu") == ["죽고 싶어요", "사표 낼까 봐요"]


async def test_console_a_number_typed_outside_a_question_is_kept_not_a_choice(database: Database) -> None:
    coach = Coach(database, clock=FakeClock())
    out = io.StringIO()
    console = Console(coach, stdin=io.StringIO(), stdout=out, user="jun", environ={"LANG": "en_US.UTF-8"})
    await console.say("I keep thinking about the cloud project")
    assert "  a. Delete this note" not in out.getvalue() and "  1. Delete this note" in out.getvalue()
    await console.say("/help")
    await console.say("studied 90 minutes")
    assert "no active study goal" in out.getvalue()


async def test_console_an_english_terminal_offers_korean_at_a_korean_quit_message(database: Database) -> None:
    coach = Coach(database, clock=FakeClock())
    out = io.StringIO()
    console = Console(coach, stdin=io.StringIO(), stdout=out, user="sora", environ={"LANG": "en_US.UTF-8"})
    await console.say("정말 내일 사표 내고 싶습니다")
    assert "한국어로 이야기할까요?" in out.getvalue() and "머리가 맑은 날" not in out.getvalue()
    await console.say("1")  # yes: the held line is answered, in Korean
    assert "머리가 맑은 날" in out.getvalue() and "  4. 메모로만 남기기" in out.getvalue()
    assert await journal_of(database, "console", "sora") == ["정말 내일 사표 내고 싶습니다"]
