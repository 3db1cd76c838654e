"""The two moments met before anything else, in and outside a flow.

Crisis language gets the help lines at once and nothing else: no prompt, no button, before any flow stores
or answers; the words are kept as a private journal note and the flow waits where it was. An impulse to quit
in anger gets the cooling-off reply (kept as a note written on a hard day, buttons to write it out, to be
reminded in 3 or 7 days, or to just keep it); a reflection keeps it as its answer too, any other question
stays open. A reminder asked for is stored, and a scheduler started later on the same database sends it.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import select

from bot.outbox import Outbox
from bot.reminders import ReminderRunner
from coach.core import Coach
from storage import journal, users
from storage.db import Database
from storage.models import CoolingOff, Profile
from tests.fakes.platform import FakePlatform, FakeTime
from tests.support import FakeClock, Talker, person
from tests.test_free_text import notes_of, user_of

QUIT_EN = [
    "I was passed over AGAIN… I want to quit tomorrow. How do I hand in my resignation?",
    "I'm going to hand in my notice tomorrow",
    "I'm so done with this company, I quit",
    "screw this job",
]
QUIT_KO = [
    "정말 내일 사표 내고 싶습니다",
    "사표 낼까 봐요",
    "진급 또 떨어졌어요. 다 때려치고 싶다",
    "회사 그만두고 싶어요",
    "내일 당장 퇴사할까 봐요",
]
COOLING_EN = ["Write it out now", "Remind me in 3 days", "Remind me in 7 days", "Just keep this note"]
COOLING_KO = ["지금 글로 정리하기", "3일 뒤에 다시 알려 주기", "7일 뒤에 다시 알려 주기", "메모로만 남기기"]
# 2026-11-25 10:00 in Seoul, a Wednesday: three days on, at 09:00 (no check-in time yet), is Saturday.
REMINDER_DUE = datetime(2026, 11, 28, 0, 0, tzinfo=UTC)


async def stored_profile(database: Database, name: str) -> tuple[int, Profile]:
    async with database.session() as session:
        user_id = await user_of(database, name)
        profile = await users.get_profile(session, user_id)
    assert profile is not None
    return user_id, profile


async def entries(database: Database, name: str) -> list[tuple[str, str, str]]:
    """(kind, label, text) of every journal entry, newest first."""
    async with database.session() as session:
        found = await journal.page_of_entries(session, await user_of(database, name), offset=0, limit=50)
    return [(entry.kind, entry.prompt_text, entry.answer) for entry in found]


# -- an impulse to quit, outside a flow ---------------------------------------------------------------------
@pytest.mark.parametrize("text", QUIT_EN)
async def test_an_english_quit_message_gets_the_cooling_off_and_is_kept(
    alice: Talker, database: Database, text: str
) -> None:
    await alice.say(text)
    assert "being angry about it makes sense" in alice.text
    assert "A decision as big as leaving deserves a clear head" in alice.text
    assert alice.labels == COOLING_EN
    assert await entries(database, "alice") == [("quit_note", "Written on a hard day", text)]


@pytest.mark.parametrize("text", QUIT_KO)
async def test_a_korean_quit_message_gets_the_cooling_off_and_is_kept(
    minsu: Talker, database: Database, text: str
) -> None:
    await minsu.say(text)
    assert "화가 나는 게 당연해요" in minsu.text and "머리가 맑은 날" in minsu.text
    assert minsu.labels == COOLING_KO
    assert await entries(database, "minsu") == [("quit_note", "힘든 날 쓴 글", text)]


async def test_write_it_out_starts_a_reflection_on_emotions_and_decisions(minsu: Talker) -> None:
    await minsu.say("정말 내일 사표 내고 싶습니다")
    await minsu.press("지금 글로 정리하기")
    assert "*감정과 결정*" in minsu.text


async def test_a_reminder_asked_for_survives_a_restart_and_is_sent_once(
    database_url: str, database: Database, clock: FakeClock
) -> None:
    minsu = Talker(Coach(database, clock=clock), person("minsu", language="ko"))
    await minsu.say("정말 내일 사표 내고 싶습니다")
    await minsu.press("3일 뒤에 다시 알려 주기")
    assert "토요일 09:00에 이 글을 다시 보여 드릴게요" in minsu.text
    await database.dispose()  # Encore stops

    restarted = Database(database_url)  # a new process on the same database
    platform, time = FakePlatform("console"), FakeTime()
    scheduler = ReminderRunner(
        restarted, Outbox({"console": platform}, clock=time, sleep=time.sleep), clock=clock, worker="after"
    )
    try:
        clock.now = datetime(2026, 11, 27, 23, 59, tzinfo=UTC)
        assert await scheduler.tick() == 0
        clock.now = REMINDER_DUE
        assert await scheduler.tick() == 1
        assert await scheduler.tick() == 0
        (sent,) = platform.deliveries
        assert sent.recipient.chat_id == "chat-minsu"
        assert (
            "3일 전, 힘든 날에 이렇게 쓰셨어요." in sent.text and "정말 내일 사표 내고 싶습니다" in sent.text
        )
        assert sent.labels == ["지금 글로 정리하기", "그대로 두기"]
    finally:
        await restarted.dispose()


async def test_just_keep_this_note_calls_off_a_reminder_not_yet_sent(
    alice: Talker, database: Database
) -> None:
    await alice.say("I want to quit tomorrow")
    keep = alice.action("Just keep this note")
    await alice.press("Remind me in 7 days")
    assert "I'll bring this note back" in alice.text
    await alice.press_action(keep)
    assert "It stays in your journal" in alice.text
    async with database.session() as session:
        (reminder,) = (await session.execute(select(CoolingOff))).scalars()
    assert reminder.status == "cancelled"
    assert [kind for kind, _label, _text in await entries(database, "alice")] == ["quit_note"]


async def test_cooling_off_buttons_for_a_deleted_or_forged_note_change_nothing(
    alice: Talker, minsu: Talker, database: Database
) -> None:
    await minsu.say("사표 낼까 봐요")
    remind = minsu.action("3일 뒤에 다시 알려 주기")
    await alice.press_action(remind)  # not alice's note
    assert "already gone" in alice.text
    await alice.press_action("cool:1:in:30")  # not a choice we offer
    assert "expired" in alice.text
    async with database.session() as session:
        assert list((await session.execute(select(CoolingOff))).scalars()) == []


# -- an impulse to quit, in a flow ------------------------------------------------------------------------------
async def test_anger_at_a_short_question_is_not_taken_as_the_answer_and_the_flow_waits_aside(
    minsu: Talker, database: Database
) -> None:
    await minsu.command("start")
    await minsu.say("은행 IT 인프라 팀장")
    await minsu.say("22년 다녔는데 또 진급 누락. 내일 사표 낼까 봐요")
    assert "머리가 맑은 날" in minsu.text and minsu.labels == COOLING_KO
    assert "/start를 보내면 멈춘 곳부터 이어 갈 수 있어요" in minsu.text
    async with database.session() as session:
        profile = await users.get_profile(session, await user_of(database, "minsu"))
    assert profile is not None and profile.years_experience is None  # not read as 22 years
    await minsu.say("회사 생각만 하면 화가 나요")  # more venting is not pushed into the question
    assert "일지에 보관했어요" in minsu.text
    await minsu.command("start")  # picks up where it stopped, the role kept
    assert "총 경력은 몇 년인가요?" in minsu.text


async def test_anger_in_a_reflection_is_kept_as_its_answer_and_met_too(
    alice: Talker, database: Database
) -> None:
    await alice.command("reflect")
    await alice.say("I want to quit tomorrow. Nobody here sees what I do.")
    assert "How sure do you feel" in alice.text  # the step kept the answer and moved on
    assert "A decision as big as leaving" in alice.text and "Remind me in 3 days" in alice.labels
    await alice.press("3")
    assert "Saved to your journal" in alice.text
    kinds = [(kind, text) for kind, _label, text in await entries(database, "alice")]
    assert kinds == [
        ("reflection", "I want to quit tomorrow. Nobody here sees what I do."),
        ("quit_note", "I want to quit tomorrow. Nobody here sees what I do."),
    ]


# -- crisis --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "죽고 싶어요",
        "요즘 정말 죽고 싶다는 생각만 들어요",
        "사표 내고 싶고 죽고 싶어요",
        "그냥 사라지고 싶다",
    ],
)
async def test_korean_crisis_language_gets_the_korean_lines_and_nothing_else(
    minsu: Talker, database: Database, text: str
) -> None:
    replies = await minsu.say(text)
    assert len(replies) == 1 and replies[0].choices == ()
    assert "109" in minsu.text and "1577-0199" in minsu.text and "119" in minsu.text
    assert "공부" not in minsu.text and "성찰" not in minsu.text  # no coaching prompt
    assert await entries(database, "minsu") == [("note", "메모", text)]


@pytest.mark.parametrize(
    "text",
    ["I want to die", "I don't want to live anymore", "I want to end it all", "I'd be better off dead"],
)
async def test_english_crisis_language_gets_local_help(alice: Talker, text: str) -> None:
    await alice.command("settings")
    await alice.press("Time zone")
    await alice.say("New York")
    await alice.command("cancel")
    replies = await alice.say(text)
    assert len(replies) == 1 and replies[0].choices == ()
    assert "call 911" in alice.text and "findahelpline.com" in alice.text


async def test_crisis_mid_flow_comes_before_the_step_and_no_question_follows(
    minsu: Talker, database: Database
) -> None:
    await minsu.command("start")
    await minsu.say("은행 IT 인프라 팀장")
    replies = await minsu.say("22년 일했는데 이제 그만 살고 싶어요")
    assert len(replies) == 1 and "109" in minsu.text and minsu.labels == []
    user, profile = await stored_profile(database, "minsu")
    assert profile.years_experience is None  # not read as 22 years
    await minsu.say("그냥 너무 지쳤어요")  # what comes next is not pushed into the question
    assert "총 경력" not in minsu.text and "일지에 보관했어요" in minsu.text
    assert await notes_of(database, "minsu") == ["그냥 너무 지쳤어요", "22년 일했는데 이제 그만 살고 싶어요"]
    await minsu.command("start")  # onboarding picks up where it stopped
    assert "총 경력은 몇 년인가요?" in minsu.text


async def test_crisis_in_a_reflection_keeps_the_writing_with_it_and_asks_nothing(
    alice: Talker, database: Database
) -> None:
    await alice.command("reflect")
    await alice.say("I have done two cloud migrations end to end.")
    await alice.say("Honestly I feel completely hopeless lately")
    assert "Please reach out to someone now" in alice.text and alice.labels == []
    assert "How sure" not in alice.text
    kinds = [(kind, text) for kind, _label, text in await entries(database, "alice")]
    assert kinds == [
        ("note", "I have done two cloud migrations end to end.\n\nHonestly I feel completely hopeless lately")
    ]


async def test_crisis_words_after_a_command_come_first_too(minsu: Talker) -> None:
    await minsu.command("start", "죽고 싶어요")
    assert "109" in minsu.text and "안녕하세요" not in minsu.text


@pytest.mark.parametrize("text", ["죽을 만큼 바빠요", "배고파 죽겠다", "this deadline is killing me"])
async def test_idioms_are_not_crisis(alice: Talker, text: str) -> None:
    await alice.say(text)
    assert "109" not in alice.text and "findahelpline" not in alice.text
    assert "Kept in your journal" in alice.text
