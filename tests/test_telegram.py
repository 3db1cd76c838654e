"""Whole conversations with the coach on Telegram: the real PTB Application over HTTP to a fake Bot API.

Each test runs in long-polling mode and, where marked by the ``bot`` fixture, in webhook mode too.
"""

from __future__ import annotations

import copy
from collections.abc import AsyncIterator
from zoneinfo import ZoneInfo

import aiohttp
import pytest

from coach.i18n import translator
from storage import journal, users
from storage.db import Database
from tests.fakes.telegram_api import SECRET_HEADER, FakeTelegram, group_chat, private_chat, user
from tests.support import FakeClock
from tests.telegram_support import WEBHOOK_SECRET, ChatUser, RunningBot, running_bot, texts

EXPIRED = "This button has expired, so nothing was changed."


@pytest.fixture(params=["polling", "webhook"])
async def bot(request: pytest.FixtureRequest, database: Database) -> AsyncIterator[RunningBot]:
    async with FakeTelegram() as fake, running_bot(fake, database, mode=request.param) as running:
        yield running


@pytest.fixture
async def polling_bot(database: Database) -> AsyncIterator[RunningBot]:
    async with FakeTelegram() as fake, running_bot(fake, database) as running:
        yield running


def has_hangul(text: str) -> bool:
    return any("\uac00" <= char <= "\ud7a3" for char in text)


async def identity_of(database: Database, telegram_id: int):  # type: ignore[no-untyped-def]
    async with database.session() as session:
        return await users.find_identity(session, "telegram", "", str(telegram_id))


async def test_english_onboarding_with_buttons_and_typed_answers(bot: RunningBot, database: Database) -> None:
    alice = ChatUser(bot, 1001, first_name="Alice", language_code="en")
    replies = await alice.send("/start")
    assert "private" in replies[0].text
    assert "current role" in replies[-1].text and not replies[-1].labels
    await alice.send("IT infrastructure & <security> lead")  # HTML-looking words arrive as typed
    question = (await alice.send("22"))[-1]
    assert "Something else" in question.labels
    target = question.labels[0]
    replies = await alice.press(target)
    assert alice.answer == {"text": "", "show_alert": False}  # answered at once, no spinning button
    assert question.keyboard is None and question.text.endswith(f"✔︎ {target}")
    assert "By when" in replies[-1].text
    await alice.press("3 years")
    await alice.press("Tuesday")
    await alice.press("09:00")
    replies = await alice.send("Seoul")
    summary = texts(replies)
    assert "All set" in summary and "Tuesday at 09:00" in summary
    assert "IT infrastructure & <security> lead" in summary
    assert "Start a reflection" in alice.last.labels
    identity = await identity_of(database, 1001)
    assert identity is not None and identity.chat_id == "1001" and identity.language_code == "en"
    async with database.session() as session:
        profile = await users.get_profile(session, identity.user_id)
        person = await users.get_user(session, identity.user_id)
    assert profile is not None and profile.years_experience == 22 and profile.completed_at is not None
    assert person is not None and person.next_checkin_at is not None
    local = person.next_checkin_at.astimezone(ZoneInfo("Asia/Seoul"))
    assert (local.weekday(), local.hour) == (1, 9)


async def test_korean_telegram_user_onboards_in_korean(bot: RunningBot, database: Database) -> None:
    minsu = ChatUser(bot, 2002, first_name="민수", language_code="ko")
    replies = await minsu.send("/start")
    assert all(has_hangul(reply.text) for reply in replies)
    await minsu.send("은행 전산실 인프라 운영 부장")
    await minsu.send("스물두")  # not a number: a kind reply, and the question stays
    assert has_hangul(minsu.last.text)
    await minsu.send("22")
    await minsu.press(minsu.last.labels[0])
    await minsu.press("5년")
    await minsu.press("화요일")
    await minsu.press("07:00")
    replies = await minsu.send("서울")
    assert translator("ko").gettext("All set. Here is what I have:") in texts(replies)
    identity = await identity_of(database, 2002)
    assert identity is not None
    async with database.session() as session:
        profile = await users.get_profile(session, identity.user_id)
    assert profile is not None and profile.current_role == "은행 전산실 인프라 운영 부장"
    assert profile.years_experience == 22


async def test_a_reflection_is_saved_to_the_journal(bot: RunningBot, database: Database) -> None:
    alice = ChatUser(bot, 1001)
    prompt = (await alice.send("/reflect"))[-1]
    assert prompt.entities and prompt.entities[0]["type"] == "bold"  # the theme title, *bold* in coach markup
    assert "Another question" in prompt.labels
    answer = "I kept the bank's systems running for 20 years; that is worth something to a cloud team."
    question = (await alice.send(answer))[-1]
    assert question.labels == ["1", "2", "3", "4", "5"]
    assert prompt.keyboard is not None  # typing an answer leaves the earlier buttons alone
    replies = await alice.press("4")
    assert "Saved to your journal (1 entry so far)" in texts(replies)
    assert question.text.endswith("✔︎ 4") and question.keyboard is None
    identity = await identity_of(database, 1001)
    assert identity is not None
    async with database.session() as session:
        entry = await journal.latest_entry(session, identity.user_id)
    assert entry is not None and entry.answer == answer and entry.confidence == 4


async def test_a_button_pressed_twice_counts_once(bot: RunningBot, database: Database) -> None:
    alice = ChatUser(bot, 1001)
    await alice.send("/reflect")
    question = (await alice.send("Ready to learn Kubernetes properly."))[-1]
    as_first_seen = copy.deepcopy(question)  # a double tap: both presses come from the unedited message
    await alice.press("5", on=as_first_seen)
    edits = question.edits
    sent_before = len(alice.messages)
    assert await alice.press("5", on=as_first_seen) == []
    assert alice.answer["text"] == EXPIRED
    assert question.edits == edits and len(alice.messages) == sent_before
    identity = await identity_of(database, 1001)
    assert identity is not None
    async with database.session() as session:
        assert await journal.count_entries(session, identity.user_id) == 1


async def test_forged_button_data_is_expired_in_the_users_language_and_changes_nothing(
    polling_bot: RunningBot, database: Database
) -> None:
    minsu = ChatUser(polling_bot, 2002, language_code="ko")
    question = (await minsu.send("/start"))[-1]
    expired = translator("ko").gettext(EXPIRED)
    for forged in (
        "1|onboarding:role:999:x",  # a step that is not the current one
        "1|onboarding:years:2:22",  # a real flow and step, a stale revision
        "0|go:delete",  # an unknown version of our format
        "go:help",  # no version at all
        "1|" + "a" * 62,  # longer than Telegram would ever carry
        "1|설정:언어",
        "1|jr:🌱",
        "DROP TABLE identity;",
    ):
        assert await minsu.press_data(question, forged) == []
        assert minsu.answer["text"] == expired, forged
    await minsu.send("보험사 영업 관리자")
    assert has_hangul(minsu.last.text) and minsu.last.text != question.text  # the flow moved on as usual
    identity = await identity_of(database, 2002)
    assert identity is not None
    async with database.session() as session:
        profile = await users.get_profile(session, identity.user_id)
    assert profile is not None and profile.current_role == "보험사 영업 관리자"


async def test_flood_control_is_waited_out_and_the_reply_still_arrives(polling_bot: RunningBot) -> None:
    fake = polling_bot.fake
    alice = ChatUser(polling_bot, 1001)
    fake.fail_next("sendMessage", status=429, retry_after=1)
    replies = await alice.send("/help")
    assert len(replies) == 1 and "/reflect" in replies[0].text
    assert polling_bot.waits == [1.0]  # exactly what Telegram asked for
    assert [call.status for call in fake.calls_to("sendMessage")] == [429, 200]


async def test_network_errors_are_retried_with_growing_waits(polling_bot: RunningBot) -> None:
    fake = polling_bot.fake
    alice = ChatUser(polling_bot, 1001)
    fake.fail_next("sendMessage", 2, status=502)
    replies = await alice.send("/help")
    assert len(replies) == 1
    assert [call.status for call in fake.calls_to("sendMessage")] == [502, 502, 200]
    first, second = polling_bot.waits
    assert 0 < first < second


async def test_a_user_who_blocked_the_bot_is_marked_unreachable_until_they_write_again(
    polling_bot: RunningBot, database: Database
) -> None:
    fake = polling_bot.fake
    alice = ChatUser(polling_bot, 1001)
    await alice.send("/start")
    fake.blocked.add(alice.chat_id)
    assert await alice.send("/help") == []
    identity = await identity_of(database, 1001)
    assert identity is not None and identity.unreachable
    assert len(fake.calls_to("sendMessage")) == 3  # the two /start replies, then one refused: no retries
    fake.blocked.discard(alice.chat_id)
    replies = await alice.send("/help")
    assert replies and "/reflect" in replies[0].text
    identity = await identity_of(database, 1001)
    assert identity is not None and not identity.unreachable


async def test_a_restart_in_the_middle_of_onboarding_continues_where_the_user_was(database: Database) -> None:
    clock = FakeClock()
    async with FakeTelegram() as fake:
        async with running_bot(fake, database, clock=clock) as first:
            alice = ChatUser(first, 1001)
            await alice.send("/start")
            await alice.send("Branch manager, securities")
            question = (await alice.send("25"))[-1]
            assert "second career" in question.text
        # A new process: new Database engine, new Coach, new Application; same database and chat.
        database_again = Database(database.url)
        try:
            async with running_bot(fake, database_again, clock=clock) as second:
                alice.bot = second
                replies = await alice.press(question.labels[0], on=question)
                assert "By when" in replies[-1].text
                assert question.keyboard is None
        finally:
            await database_again.dispose()
    # Nothing was handled twice: the old process confirmed every update it took before it stopped.
    assert sum(message.text.startswith("Which second career") for message in alice.messages) == 1


async def test_the_webhook_turns_away_requests_without_the_secret(database: Database) -> None:
    async with FakeTelegram() as fake, running_bot(fake, database, mode="webhook") as bot:
        url = bot.adapter.settings.telegram_webhook_url
        assert url is not None
        assert fake.webhook is not None and fake.webhook["url"] == url
        assert fake.webhook["secret_token"] == WEBHOOK_SECRET
        assert fake.webhook["allowed_updates"] == ["message", "callback_query"]
        mallory = user(666, "Mallory")
        forged = {"update_id": 424242, **fake.message(mallory, private_chat(mallory), "/delete")}
        async with aiohttp.ClientSession() as http:
            for headers in ({}, {SECRET_HEADER: "guess"}, {SECRET_HEADER: WEBHOOK_SECRET.upper()}):
                async with http.post(url, json=forged, headers=headers) as response:
                    assert response.status == 403
        await bot.adapter.application.update_queue.join()
        assert await identity_of(database, 666) is None
        assert fake.calls_to("sendMessage") == []
        # The same kind of update from Telegram itself (with the secret) is answered.
        alice = ChatUser(bot, 1001)
        assert await alice.send("/help")


async def test_language_follows_telegram_until_the_user_picks_one(polling_bot: RunningBot) -> None:
    alice = ChatUser(polling_bot, 1001, language_code="en")
    await alice.send("/settings")
    await alice.press("Language")
    replies = await alice.press("한국어")
    assert has_hangul(texts(replies))
    replies = await alice.send("/help")  # Telegram still says "en"; the choice wins
    assert has_hangul(replies[0].text)


async def test_a_photo_or_sticker_gets_a_kind_text_only_reply(polling_bot: RunningBot) -> None:
    minsu = ChatUser(polling_bot, 2002, language_code="ko")
    await minsu.send("/reflect")
    photo = [{"file_id": "AgAD", "file_unique_id": "AQAD", "width": 90, "height": 90}]
    replies = await minsu.deliver(polling_bot.fake.message(minsu.user, minsu.chat, None, photo=photo))
    assert len(replies) == 1 and "/help" in replies[0].text and has_hangul(replies[0].text)
    replies = await minsu.send("지금까지 배운 것을 정리해 보고 싶어요.")  # the reflection still waits
    assert replies[-1].labels == ["1", "2", "3", "4", "5"]


async def test_in_a_group_only_commands_for_the_bot_get_a_pointer_to_a_private_chat(
    polling_bot: RunningBot, database: Database
) -> None:
    fake = polling_bot.fake
    group = group_chat(-1001234567890)
    alice = ChatUser(polling_bot, 1001, language_code="en", chat=group)
    minsu = ChatUser(polling_bot, 2002, language_code="ko", chat=group)
    replies = await alice.send("/journal@encore_test_bot")
    assert len(replies) == 1
    assert "private" in replies[0].text and "https://t.me/encore_test_bot" in replies[0].text
    replies = await minsu.send("/start")
    assert (
        len(replies) == 1
        and has_hangul(replies[0].text)
        and "https://t.me/encore_test_bot" in replies[0].text
    )
    assert await alice.send("Has anyone here tried a cloud certification?") == []
    assert await alice.send("/start@some_other_bot") == []
    # A button press in the group (forwarded or forged) gets the pointer as a pop-up and nothing else.
    assert await alice.press_data(replies[0], "1|go:journal") == []
    assert "https://t.me/encore_test_bot" in alice.answer["text"]
    assert len(fake.calls_to("sendMessage")) == 2
    assert await identity_of(database, 1001) is None and await identity_of(database, 2002) is None


async def test_each_users_messages_are_handled_in_order_while_users_are_served_side_by_side(
    polling_bot: RunningBot, database: Database
) -> None:
    fake = polling_bot.fake
    fake.hold(
        "sendMessage", 0.02
    )  # slow sends, so one update's replies are still going out when the next arrives
    alice = ChatUser(polling_bot, 1001, language_code="en")
    bob = ChatUser(polling_bot, 3003, language_code="en")
    typed_ahead = []
    for person, role in ((alice, "Bank IT operations manager"), (bob, "Insurance claims lead")):
        for text in ("/start", role, "22"):
            typed_ahead.append(fake.add_update(fake.message(person.user, person.chat, text)))
    await polling_bot.settle(max(typed_ahead))
    for person in (alice, bob):
        shown = [message.text.split("\n")[0] for message in person.messages]
        assert [line[:20] for line in shown] == [
            "Hello, I'm Encore, a",
            "First, what is your ",
            "How many years have ",
            "Which second career ",
        ]
    identity = await identity_of(database, 3003)
    assert identity is not None
    async with database.session() as session:
        profile = await users.get_profile(session, identity.user_id)
    assert profile is not None and (profile.current_role, profile.years_experience) == (
        "Insurance claims lead",
        22,
    )
