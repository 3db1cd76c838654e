"""Every platform field is input: language codes and locales that are not, forged button values, updates
without a sender or a chat. None raises; each gets a kind reply or is quietly ignored."""

from __future__ import annotations

import itertools
import json
import logging
from collections.abc import AsyncIterator, Iterator
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coach.adapter_text import FAILED
from coach.core import Coach, platform_language
from coach.messages import Inbound
from storage import users
from storage.db import Database
from tests.fakes.slack_api import FakeSlackApi, SlackUser
from tests.fakes.slack_requests import SlackHarness, running_slack
from tests.fakes.telegram_api import FakeTelegram
from tests.support import Talker, person
from tests.telegram_support import ChatUser, RunningBot, running_bot, texts

WELCOME = "Hello, I'm Encore"
BROKEN_LANGUAGES = ["\ud800", "ko\ud83d", "\udfffen", "x" * 40, "ko-KR-" + "y" * 30, "<b>ko</b>", "e n", "🙂"]
_ids = itertools.count(1)


class Errors(logging.Handler):
    """Collects every record at ERROR or above (an unhandled exception is always logged at ERROR)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def errors() -> Iterator[Errors]:
    handler = Errors()
    logging.getLogger().addHandler(handler)
    yield handler
    logging.getLogger().removeHandler(handler)


@pytest.fixture
async def telegram(database: Database) -> AsyncIterator[RunningBot]:
    async with FakeTelegram() as fake, running_bot(fake, database) as running:
        yield running


@pytest.fixture
async def slack(coach: Coach) -> AsyncIterator[SlackHarness]:
    async with running_slack(coach, FakeSlackApi()) as harness:
        yield harness


def test_only_real_language_codes_are_kept() -> None:
    assert [platform_language(code) for code in ("ko", "ko-KR", "en_GB", " en ", "zh-Hant-TW")] == [
        "ko",
        "ko-KR",
        "en_GB",
        "en",
        "zh-Hant-TW",
    ]
    assert [platform_language(code) for code in [*BROKEN_LANGUAGES, "", None]] == [None] * 10


@pytest.mark.parametrize("language", ["\ud800", "ko\ud83d", "x" * 40, "<b>ko</b>"])
async def test_a_broken_telegram_language_code_gets_the_welcome_in_english(
    telegram: RunningBot, database: Database, language: str, errors: Errors
) -> None:
    person_id = 600_000 + next(_ids)
    someone = ChatUser(telegram, person_id, first_name="\ud800 Kim " * 20, language_code=language)
    replies = await someone.send("/start")
    assert WELCOME in texts(replies) and FAILED not in texts(replies)
    assert errors.records == []
    async with database.session() as session:
        identity = await users.find_identity(session, "telegram", "", str(person_id))
    assert identity is not None and identity.language_code is None


@pytest.mark.parametrize("locale", ["ko-KR" + "\udc00" * 3, "ko-KR-" + "x" * 40])
async def test_a_broken_slack_locale_or_zone_gets_the_welcome(
    slack: SlackHarness, locale: str, errors: Errors
) -> None:
    member = f"UL{next(_ids)}"
    slack.api.users[member] = SlackUser(tz="Asia/Seoul\ud800", locale=locale, real_name="\udfff" * 300)
    await slack.done(await slack.command(member, "start"))
    posted = slack.posted_text(f"D{member}")
    assert WELCOME in posted and FAILED not in posted
    assert errors.records == []


async def test_a_forged_onboarding_day_or_hour_is_refused_kindly(coach: Coach, errors: Errors) -> None:
    alice = Talker(coach, person("forger"))
    await alice.command("start")
    await alice.say("Branch manager")
    await alice.say("25")
    await alice.press("Cloud architect")
    await alice.press("3 years")
    monday = alice.action("Monday")  # onboarding:day:<revision>:0
    forged = monday.rsplit(":", 1)[0] + ":ABCD-2345"
    await alice.press_action(forged)
    assert "Please use one of the buttons above" in alice.text
    await alice.press_action(monday.rsplit(":", 1)[0] + ":99")
    assert "Please use one of the buttons above" in alice.text
    await alice.press_action(monday)  # the real button still works
    nine = alice.action("09:00")
    await alice.press_action(nine.rsplit(":", 1)[0] + ":nine")
    assert "Please use one of the buttons above" in alice.text
    await alice.press_action(nine)
    assert "Which time zone" in alice.text
    assert errors.records == []


@pytest.mark.parametrize("missing", ["from", "chat"])
async def test_a_telegram_update_without_its_sender_or_chat_is_ignored(
    telegram: RunningBot, missing: str, errors: Errors
) -> None:
    someone = ChatUser(telegram, 610_000 + next(_ids))
    update = telegram.fake.message(someone.user, someone.chat, "/start")
    del update["message"][missing]
    assert await someone.deliver(update) == []
    assert errors.records == []
    assert WELCOME in texts(await someone.send("/start"))  # the next, whole update is answered


# -- properties through the real adapters --------------------------------------------------------------

any_text = st.text(st.characters(exclude_categories=()), max_size=40)  # lone surrogates included
language_code = any_text | st.sampled_from(["ko", "ko-KR", "en", *BROKEN_LANGUAGES])
PROPERTY = settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@PROPERTY
@given(data=st.data())
async def test_any_telegram_sender_fields_and_button_data_never_raise(
    telegram: RunningBot, errors: Errors, data: st.DataObject
) -> None:
    fake = telegram.fake
    someone = ChatUser(
        telegram,
        620_000 + next(_ids),
        first_name=data.draw(any_text.filter(bool), "first_name"),
        language_code=data.draw(language_code, "language_code"),
    )
    sender, chat = someone.user, someone.chat
    if data.draw(st.booleans(), "has a last name"):
        sender["last_name"] = data.draw(any_text, "last_name")
    for _ in range(data.draw(st.integers(1, 3))):
        kind = data.draw(st.sampled_from(["text", "button", "no sender", "no chat"]))
        if kind == "button" and someone.messages:
            await someone.press_data(someone.last, data.draw(st.text(max_size=64)))
            continue
        update = fake.message(sender, chat, data.draw(st.sampled_from(["/start", "/help", "hello", "/link"])))
        if kind in ("no sender", "no chat"):
            del update["message"]["from" if kind == "no sender" else "chat"]
        await someone.deliver(update)
    assert errors.records == [], [record.getMessage() for record in errors.records]
    assert FAILED not in texts(someone.messages)


json_value = st.recursive(
    st.none() | st.booleans() | st.integers() | any_text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(any_text, inner, max_size=3),
    max_leaves=8,
)
slack_field = st.sampled_from(
    ["type", "user", "team", "event", "actions", "view", "event_id", "team_id", "command", "channel"]
)


@PROPERTY
@given(data=st.data())
async def test_any_slack_profile_and_any_signed_body_never_raise(
    slack: SlackHarness, errors: Errors, data: st.DataObject
) -> None:
    member = f"UP{next(_ids)}"
    slack.api.users[member] = SlackUser(
        tz=data.draw(any_text, "tz"), locale=data.draw(language_code, "locale"), real_name=data.draw(any_text)
    )
    await slack.done(await slack.command(member, data.draw(st.sampled_from(["start", "help", "link"]))))
    assert FAILED not in slack.posted_text(f"D{member}")
    # A signed body of some shape: a real one with fields replaced by anything, or anything at all.
    document = json.loads(slack.event_body("T1", slack.dm_event(member, "hello")))
    for field in data.draw(st.lists(slack_field, max_size=3)):
        document[field] = data.draw(json_value)
    as_form = data.draw(st.booleans(), "as form")
    body = (urlencode({"payload": json.dumps(document)}) if as_form else json.dumps(document)).encode()
    content_type = "application/x-www-form-urlencoded" if as_form else "application/json"
    sent = await slack.post_raw(body, {"Content-Type": content_type} | slack.signed_headers(body))
    assert sent.status < 500
    assert errors.records == [], [record.getMessage() for record in errors.records]


async def test_inbound_events_with_broken_languages_are_stored_without_them(coach: Coach) -> None:
    for language in BROKEN_LANGUAGES:
        replies = await coach.handle(
            Inbound(person(f"console-{next(_ids)}", language=language), command="start")
        )
        assert WELCOME in replies[0].text
