"""200 people talking to the coach at once through the real Telegram adapter and the fake Bot API.

Everyone gets every reply, in the order of their own conversation, and nobody's answers leak into anyone
else's conversation or journal.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from storage import journal, users
from storage.db import Database
from tests.fakes.telegram_api import FakeTelegram
from tests.telegram_support import ChatUser, RunningBot, running_bot

PEOPLE = 200
FIRST_ID = 500_000
# How long hundreds of updates queued at once may take to be handled: a bound for a busy machine (two
# cores shared with other test runs, PostgreSQL on the same cores), not a measure of speed.
SETTLE = 120


@pytest.fixture
async def bot(database: Database) -> AsyncIterator[RunningBot]:
    async with FakeTelegram() as fake, running_bot(fake, database) as running:
        yield running


def _answer(person: ChatUser) -> str:
    return f"Person {person.chat_id} keeps this to themselves: code word {person.chat_id * 7919}."


async def _all_at_once(bot: RunningBot, people: list[ChatUser], *texts_for: str) -> None:
    """Every person types ``texts_for`` (formatted with their answer) without waiting for any reply."""
    fake = bot.fake
    last = 0
    for person in people:
        for text in texts_for:
            last = fake.add_update(
                fake.message(person.user, person.chat, text.format(answer=_answer(person)))
            )
    await bot.settle(last, SETTLE)


async def test_two_hundred_people_at_once_each_get_their_own_conversation(
    bot: RunningBot, database: Database
) -> None:
    people = [ChatUser(bot, FIRST_ID + n, first_name=f"P{n}") for n in range(PEOPLE)]
    # Everyone asks for a prompt and types the answer straight after, before any reply has arrived.
    await _all_at_once(bot, people, "/reflect", "{answer}")
    # Then everyone presses a rating button at the same moment.
    fake, last = bot.fake, 0
    for person in people:
        question = person.with_button("4")
        update, _ = fake.callback(person.user, question, question.button("4")["callback_data"])
        last = fake.add_update(update)
    await bot.settle(last, SETTLE)
    await _all_at_once(bot, people, "/journal")

    for person in people:
        shown = [message.text for message in person.messages]
        assert len(shown) == 4, (person.chat_id, shown)
        prompt, rating, saved, page = shown
        assert "Answer in your own words" in prompt
        assert "How sure do you feel" in rating and rating.endswith("✔︎ 4")  # the pressed choice is marked
        assert "Saved to your journal (1 entry so far)." in saved  # one entry: nobody else's answer
        assert _answer(person) in page and page.count("code word") == 1  # their words, and only theirs
    async with database.session() as session:
        for person in people:
            identity = await users.find_identity(session, "telegram", "", str(person.chat_id))
            assert identity is not None
            assert await journal.count_entries(session, identity.user_id) == 1
            entry = await journal.latest_entry(session, identity.user_id)
            assert entry is not None and entry.answer == _answer(person)
    answered = bot.fake.calls_to("answerCallbackQuery")
    assert len(answered) == PEOPLE and all(call.status == 200 for call in answered)
