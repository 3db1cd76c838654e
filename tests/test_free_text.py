"""Text outside any flow is never thrown away: a quick log is logged (with an undo, never twice by
accident), a snooze acts on the pending check-in, a question is answered, and anything else is kept in the
journal as a note that /journal shows, /export includes and a button deletes."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from storage import coaching, journal, users
from storage.db import Database
from tests.fakes.platform import FakePlatform
from tests.support import FakeClock, Talker
from tests.test_checkins import SEOUL_SLOT, enrol, runner, slots


async def user_of(database: Database, name: str) -> int:
    async with database.session() as session:
        identity = await users.find_identity(session, "console", "", name)
        assert identity is not None
        return identity.user_id


async def notes_of(database: Database, name: str) -> list[str]:
    async with database.session() as session:
        entries = await journal.page_of_entries(session, await user_of(database, name), offset=0, limit=50)
    return [entry.answer for entry in entries]


async def hours_logged(database: Database, name: str) -> list[float]:
    async with database.session() as session:
        return [c.hours for c in await coaching.checkins_of_user(session, await user_of(database, name))]


async def with_goal(talker: Talker, exam: str = "SAA-C03") -> None:
    await talker.command("study")
    if "New goal" in talker.labels:
        await talker.press("New goal")
    await talker.say(exam)
    await talker.say("2027-06-13")
    await talker.say("5")
    await talker.command("cancel")


# -- quick logs ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "hours", "logged"),
    [
        ("오늘 2시간 공부했어요", 2.0, "공부 2시간을 기록했어요"),
        ("studied 90 minutes", 1.5, "Logged 1.5 h of study"),
        ("AWS 강의 한 시간 반 들었어요", 1.5, "공부 1.5시간을 기록했어요"),
        ("did 45 min of practice tests", 0.75, "Logged 0.75 h of study"),
        ("AWS 공부 2 hours 했어요", 2.0, "공부 2시간을 기록했어요"),
    ],
)
async def test_a_quick_log_goes_to_the_active_goal_and_can_be_undone(
    alice: Talker, minsu: Talker, database: Database, text: str, hours: float, logged: str
) -> None:
    talker = minsu if "시간" in logged else alice
    await with_goal(talker)
    await talker.say(text)
    assert logged in talker.text
    name = talker.identity.user_id
    assert await hours_logged(database, name) == [hours]
    await talker.press("되돌리기" if talker is minsu else "Undo")
    assert await hours_logged(database, name) == []
    assert await notes_of(database, name) == []  # a log is hours, not a note


async def test_the_same_quick_log_twice_is_asked_about_and_never_counted_twice_by_accident(
    alice: Talker, database: Database, clock: FakeClock
) -> None:
    await with_goal(alice)
    await alice.say("studied 2 hours")
    clock.advance(minutes=3)
    await alice.say("studied 2 hours")
    assert "You logged 2 h a few minutes ago" in alice.text
    assert await hours_logged(database, "alice") == [2.0]
    again = alice.action("Log it again")
    await alice.press_action(again)
    assert "Logged 2 h" in alice.text
    await alice.press_action(again)  # the same button pressed twice
    assert "logged already" in alice.text
    assert await hours_logged(database, "alice") == [2.0, 2.0]
    clock.advance(minutes=1)
    await alice.say("studied 2 hours")
    await alice.press("It was the same")
    assert "logged once" in alice.text
    assert await hours_logged(database, "alice") == [2.0, 2.0]
    clock.advance(hours=2)  # hours later it is another session, logged at once
    await alice.say("studied 2 hours")
    assert await hours_logged(database, "alice") == [2.0, 2.0, 2.0]


async def test_a_quick_log_without_a_goal_is_kept_as_a_note_and_offers_study(
    minsu: Talker, database: Database
) -> None:
    await minsu.say("오늘 2시간 공부했어요")
    assert "진행 중인 공부 목표가 없어서" in minsu.text
    await minsu.press("공부 목표 정하기")
    assert "자격증" in minsu.text
    assert await notes_of(database, "minsu") == ["오늘 2시간 공부했어요"]


async def test_with_two_goals_the_coach_asks_which_one(alice: Talker, database: Database) -> None:
    await with_goal(alice, "SAA-C03")
    await with_goal(alice, "CLF-C02")
    await alice.say("studied 1 hour")
    assert "Which goal were these 1 h for?" in alice.text
    assert await hours_logged(database, "alice") == []
    await alice.press("AWS Certified Cloud Practitioner (CLF-C02)")
    assert "Logged 1 h of study for *AWS Certified Cloud Practitioner (CLF-C02)*" in alice.text
    assert await hours_logged(database, "alice") == [1.0]


async def test_forged_and_stale_quick_log_buttons_change_nothing(
    alice: Talker, minsu: Talker, database: Database, clock: FakeClock
) -> None:
    await with_goal(alice)
    await alice.say("studied 2 hours")
    undo = alice.action("Undo")
    await minsu.press_action(undo)  # someone else's log
    assert "되돌릴 수 없어요" in minsu.text
    clock.advance(days=2)
    await alice.press_action(undo)  # too late
    assert "can no longer be undone" in alice.text
    await alice.press_action("qlog:999:add:120:0")  # no such goal
    assert "expired" in alice.text
    assert await hours_logged(database, "alice") == [2.0]


# -- snoozing the pending check-in ------------------------------------------------------------------------------
@pytest.fixture
def platform() -> FakePlatform:
    return FakePlatform("console")


async def checked_in(database: Database, clock: FakeClock, platform: FakePlatform, name: str) -> int:
    """``name``'s weekly check-in has just arrived."""
    user_id = await enrol(database, clock, name)
    clock.now = SEOUL_SLOT
    assert (await runner(database, clock, platform).tick()).sent == 1
    return user_id


@pytest.mark.parametrize(
    ("text", "answer", "status"),
    [
        ("내일 다시 알려 주세요", "내일 09:00에 다시 보내 드릴게요", "sent"),
        ("remind me tomorrow", "I'll bring it back tomorrow at 09:00", "sent"),
        ("이번 주는 건너뛸게요", "이번 주는 건너뛸게요. 연속 기록은 그대로", "skipped"),
        ("skip this week", "Skipped for this week", "skipped"),
    ],
)
async def test_a_snooze_in_words_acts_on_the_pending_check_in(
    database: Database,
    clock: FakeClock,
    platform: FakePlatform,
    alice: Talker,
    minsu: Talker,
    text: str,
    answer: str,
    status: str,
) -> None:
    talker = minsu if any("가" <= ch <= "힣" for ch in text) else alice
    user_id = await checked_in(database, clock, platform, talker.identity.user_id)
    await talker.say(text)
    assert answer in talker.text
    (slot,) = await slots(database, user_id)
    assert slot.status == status
    if status == "sent":
        assert slot.snoozed_until == SEOUL_SLOT + timedelta(days=1)
    assert await notes_of(database, talker.identity.user_id) == []


async def test_later_without_a_time_offers_the_check_in_buttons(
    database: Database, clock: FakeClock, platform: FakePlatform, alice: Talker
) -> None:
    user_id = await checked_in(database, clock, platform, "alice")
    await alice.say("later")
    assert "When shall I bring your check-in back?" in alice.text
    await alice.press("In 3 hours")
    assert "I'll bring it back today at 12:00" in alice.text
    (slot,) = await slots(database, user_id)
    assert slot.snoozed_until == SEOUL_SLOT + timedelta(hours=3)


async def test_a_snooze_with_no_check_in_waiting_says_so(alice: Talker, database: Database) -> None:
    await alice.say("skip this week")
    assert "There is no check-in waiting right now" in alice.text
    assert await notes_of(database, "alice") == []


# -- questions, small talk, commands typed as words ----------------------------------------------------------------
async def test_a_question_about_encore_is_answered_or_pointed_to_help(alice: Talker, minsu: Talker) -> None:
    await alice.say("how do I change the language?")
    assert "You can change the language I speak in /settings." in alice.text
    await alice.press("Settings")
    assert "*Settings*" in alice.text
    await minsu.say("뭘 할 수 있어요?")
    assert "제가 할 수 있는 일" in minsu.text and "/reflect" in minsu.text
    await minsu.say("내 데이터 어떻게 지워요?")
    assert "/delete" in minsu.text and "내 정보 지우기" in minsu.labels


@pytest.mark.parametrize(
    "text", ["🙂", "👍👍👍", "thanks!", "고마워요", "ㅋㅋㅋ", "...", "hello?", "no", "아니요"]
)
async def test_small_talk_and_emoji_get_a_kind_word_and_keep_nothing(
    alice: Talker, database: Database, text: str
) -> None:
    await alice.say(text)
    assert "I'm here" in alice.text and "Reflect" in alice.labels
    assert await notes_of(database, "alice") == []


@pytest.mark.parametrize("text", ["journal", "/ journal", "\\journal", "Journal"])
async def test_a_command_typed_without_its_slash_is_offered(alice: Talker, text: str) -> None:
    await alice.say(text)
    assert "Did you mean /journal?" in alice.text
    await alice.press("/journal")
    assert "Your journal is empty" in alice.text


# -- notes ------------------------------------------------------------------------------------------------------
async def test_anything_else_is_kept_as_a_note_shown_exported_and_deletable(
    minsu: Talker, database: Database
) -> None:
    text = "오늘 팀장 회의에서 클라우드 전환 얘기가 나왔다. AWS 쪽 경험을 쌓아야겠다는 생각."
    await minsu.say(text)
    assert "일지에 보관했어요" in minsu.text
    delete = minsu.action("이 메모 지우기")
    await minsu.command("journal")
    assert text in minsu.text and "메모" in minsu.text
    await minsu.command("export")
    exported = json.loads(next(r.document for r in minsu.last if r.document).content)
    assert text in json.dumps(exported, ensure_ascii=False)
    await minsu.press_action(delete)
    assert "지웠어요" in minsu.text
    assert await notes_of(database, "minsu") == []
    await minsu.press_action(delete)  # pressed again
    assert "이미 지워졌어요" in minsu.text


async def test_someone_elses_note_cannot_be_deleted(alice: Talker, minsu: Talker, database: Database) -> None:
    await minsu.say("나만 보는 메모예요. 내년에는 꼭 자격증을 딸 거다.")
    await alice.press_action(minsu.action("이 메모 지우기"))
    assert "already gone" in alice.text
    assert await notes_of(database, "minsu") == ["나만 보는 메모예요. 내년에는 꼭 자격증을 딸 거다."]


@pytest.mark.parametrize(
    "text",
    [
        "2026-13-45",  # looks like a date
        "/etc/passwd",  # looks like a command
        "AWS랑 Azure 중에 뭐가 나을지 still deciding 🤔",  # Korean and English mixed
        "가" * 10_000,  # 10,000 characters
        "'); DROP TABLE journalentry; --",
    ],
)
async def test_odd_text_is_kept_whole(alice: Talker, database: Database, text: str) -> None:
    await alice.say(text)
    assert "Kept in your journal" in alice.text
    assert await notes_of(database, "alice") == [text]


async def test_an_empty_message_is_answered_and_nothing_is_kept(alice: Talker, database: Database) -> None:
    await alice.say("   \n ")
    assert "That message was empty" in alice.text
    assert await notes_of(database, "alice") == []
