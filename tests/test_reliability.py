"""Random and hostile input through the coach and the console: never a crash, never a lost answer.

Property-based (hypothesis). Each example talks as a fresh user on the test's database, so examples do not
interfere and no per-example database is needed.
"""

from __future__ import annotations

import io
import itertools
from collections.abc import AsyncIterator

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bot.console import Console
from coach.adapter_text import FAILED
from coach.core import Coach, _storable_text
from coach.flows.reflection import MAX_ANSWER_CHARS
from coach.messages import Inbound, Reply
from coach.understanding import MomentKind, read_moment
from coach.understanding.answers import parse_rating
from coach.understanding.results import Understood
from storage import journal, users
from storage.db import Database
from tests.fakes.slack_api import FakeSlackApi
from tests.fakes.slack_requests import SlackHarness, running_slack
from tests.fakes.telegram_api import FakeTelegram
from tests.support import Talker, person
from tests.telegram_support import ChatUser, RunningBot, running_bot, texts

EXAMPLES = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
_users = itertools.count()

COMMANDS = ["start", "reflect", "journal", "settings", "export", "delete", "link", "help", "cancel"]
every_character = st.characters(exclude_categories=())  # lone surrogates included
any_text = st.text(every_character, max_size=300) | st.sampled_from(
    # empty, NUL (PostgreSQL refuses it in text), huge, SQL-looking, bidi controls, lone surrogates,
    # digits that are not decimal ("¹".isdigit() but int("¹") fails) and full-width ones
    [
        "",
        " ",
        "\n\n",
        "\x00",
        "🙂" * 5000,
        "가" * 25_000,
        "'; DROP TABLE journalentry; --",
        "\u202e\u200b",
        "\ud83d",
        "¹",
        "３",
        "²⁰",
    ]
)
command = st.sampled_from(COMMANDS) | st.text(min_size=1, max_size=80)
button = (
    st.text(max_size=80)
    | st.from_regex(r"[a-z]{1,12}:[a-z_]{1,12}:[0-9]{1,6}:[A-Za-z0-9_.+-]{1,20}", fullmatch=True)
    | st.from_regex(r"(go|jr):[A-Za-z0-9_]{0,20}(:[0-9]{0,30})?", fullmatch=True)
)


# What people type into a chat app: any text a client can send (no NUL, which clients strip), long or not.
telegram_text = st.text(
    st.characters(codec="utf-8", exclude_characters="\x00"), min_size=1, max_size=200
).filter(str.strip) | st.sampled_from(
    ["가" * 4096, "🙂" * 2048, "<b>not markup</b> & <i>", "*_`[]()~>#+-=|{}.!", "/start@encore_test_bot x"]
)


@pytest.fixture
async def telegram(database: Database) -> AsyncIterator[RunningBot]:
    async with FakeTelegram() as fake, running_bot(fake, database) as running:
        yield running


@pytest.fixture
async def slack(coach: Coach) -> AsyncIterator[SlackHarness]:
    async with running_slack(coach, FakeSlackApi()) as harness:
        yield harness


def events(identity_user: str) -> st.SearchStrategy[list[Inbound]]:
    identity = person(identity_user)
    one = st.one_of(
        any_text.map(lambda text: Inbound(identity, text=text)),
        st.tuples(command, any_text).map(lambda c: Inbound(identity, command=c[0], args=c[1])),
        button.map(lambda action: Inbound(identity, action=action)),
    )
    return st.lists(one, max_size=8)


def _check(replies: list[Reply]) -> None:
    assert isinstance(replies, list) and replies, "every event gets an answer"
    for reply in replies:
        assert reply.text.strip() or reply.document is not None


@EXAMPLES
@given(data=st.data())
async def test_random_events_never_crash_the_coach(coach: Coach, data: st.DataObject) -> None:
    name = f"rnd{next(_users)}"
    for inbound in data.draw(events(name)):
        _check(await coach.handle(inbound))


@EXAMPLES
@given(data=st.data())
async def test_random_presses_of_real_buttons_in_any_order_never_crash(
    coach: Coach, data: st.DataObject
) -> None:
    talker = Talker(coach, person(f"btn{next(_users)}"))
    await talker.command(data.draw(st.sampled_from(COMMANDS)))
    for _ in range(data.draw(st.integers(1, 8))):
        shown = [choice.action for reply in talker.last for choice in reply.choices]
        if shown and data.draw(st.booleans()):
            _check(await talker.press_action(data.draw(st.sampled_from(shown))))
        else:
            _check(await talker.say(data.draw(any_text)))


@EXAMPLES
@given(
    answer=st.text(every_character, min_size=1, max_size=2_000).filter(
        lambda s: s.replace("\x00", "").strip()
    )
)
@example(answer="자살")  # crisis language as an answer: help lines, and the words still kept
async def test_a_reflection_answer_sent_is_in_the_journal(
    coach: Coach, database: Database, answer: str
) -> None:
    talker = Talker(coach, person(f"ans{next(_users)}"))
    await talker.command("reflect")
    await talker.say(answer)
    crisis = read_moment(answer).kind is MomentKind.CRISIS
    if crisis:  # help lines first, and only them: the words are kept as a note, no rating is asked
        assert "109" in talker.text or "findahelpline.com" in talker.text
    else:
        await talker.press("3")
        assert "Saved to your journal" in talker.text
    async with database.session() as session:
        identity = await users.find_identity(session, "console", "", talker.identity.user_id)
        assert identity is not None
        newest = await journal.page_of_entries(session, identity.user_id, offset=0, limit=1)
    assert [entry.answer for entry in newest] == [_storable_text(answer).strip()]


def _not_a_rating(text: str) -> bool:
    """Text that adds to an answer: what the reflection reads as a rating while the rating is asked ("4",
    "four", "넷", a full-width "４" or a superscript "²", which NFKC makes a 2) is the rating itself."""
    return bool(text.strip()) and not isinstance(parse_rating(text), Understood)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    parts=st.lists(
        st.text(st.characters(codec="utf-8", exclude_characters="\x00"), min_size=1, max_size=9_000).filter(
            _not_a_rating
        ),
        min_size=2,
        max_size=5,
    )
)
async def test_a_long_answer_in_several_messages_is_kept_whole_or_refused_without_loss(
    coach: Coach, database: Database, parts: list[str]
) -> None:
    talker = Talker(coach, person(f"long{next(_users)}"))
    await talker.command("reflect")
    kept: list[str] = []
    for part in parts:
        await talker.say(part)
        candidate = "\n\n".join([*kept, part.strip()])
        if len(candidate) <= MAX_ANSWER_CHARS:
            kept.append(part.strip())
        else:
            assert "Nothing was cut" in talker.text
    await talker.send(Inbound(talker.identity, text="4"))
    async with database.session() as session:
        identity = await users.find_identity(session, "console", "", talker.identity.user_id)
        assert identity is not None
        entry = await journal.latest_entry(session, identity.user_id)
    assert entry is not None and entry.answer == "\n\n".join(kept)


@EXAMPLES
@given(
    lines=st.lists(any_text | st.sampled_from(["1", "2", "99", "/start", "/reflect", "/cancel"]), max_size=8)
)
async def test_the_console_survives_anything_typed(coach: Coach, lines: list[str]) -> None:
    output = io.StringIO()
    console = Console(coach, stdin=io.StringIO(), stdout=output, user=f"con{next(_users)}")
    for line in lines:
        await console.say(line.replace("\n", " "))
    assert output.getvalue().count("\n") >= len(lines)


async def test_digits_that_are_not_decimal_are_not_page_numbers(alice: Talker) -> None:
    """Found by the properties above: "¹".isdigit() is true, but int("¹") raises."""
    await alice.command("journal", "¹")
    assert "journal takes a page number" in alice.text
    await alice.command("journal", "３")  # a full-width 3 is a number
    assert "Your journal is empty" in alice.text and "page number" not in alice.text


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
async def test_random_messages_and_forged_buttons_through_telegram(
    telegram: RunningBot, data: st.DataObject
) -> None:
    """Whatever arrives, Telegram accepts every reply (no 400 for markup or length) and nothing fails."""
    person = ChatUser(telegram, 800_000 + next(_users))
    fake = telegram.fake
    calls_before = len(fake.calls)
    for _ in range(data.draw(st.integers(1, 4))):
        if person.messages and data.draw(st.booleans()):
            await person.press_data(person.last, data.draw(st.text(max_size=64)))
        else:
            await person.send(data.draw(telegram_text))
    calls = fake.calls[calls_before:]
    assert all(call.status == 200 for call in calls if call.method != "getUpdates"), [
        (call.method, call.status) for call in calls if call.status != 200
    ]
    assert FAILED not in texts(person.messages)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
async def test_random_messages_and_forged_buttons_through_slack(
    slack: SlackHarness, data: st.DataObject
) -> None:
    user = f"UR{next(_users)}"
    for _ in range(data.draw(st.integers(1, 4))):
        if slack.labels(f"D{user}") and data.draw(st.booleans()):
            label = slack.labels(f"D{user}")[-1]
            _, _, button = slack.message_with(label, channel=f"D{user}")
            button["action_id"] = button["value"] = data.draw(st.text(min_size=1, max_size=120))  # forged
            sent = await slack.press(user, label, owner_channel=f"D{user}")
        else:
            sent = await slack.dm(user, data.draw(telegram_text))
        await slack.done(sent)
    posted = slack.posted_text(f"D{user}")
    assert posted and FAILED not in posted
