"""/link's deep link: opening ``https://t.me/<bot>?start=<payload>`` from another account joins the two, once,
exactly as ``/link <code>`` does; ``/coach start <payload>`` does the same on Slack. A payload that joins
nothing gets a kind word and the usual /start."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from coach.core import Coach
from coach.flows.link import ALPHABET, new_code
from storage.db import Database
from storage.models import Identity, LinkAttempt
from tests.fakes.slack_api import FakeSlackApi, SlackUser
from tests.fakes.slack_requests import running_slack
from tests.fakes.telegram_api import FakeTelegram, Sent
from tests.support import FakeClock, Talker, person
from tests.telegram_support import ChatUser, running_bot, texts

OPEN = "Open from my other account"
WELCOME = "Hello, I'm Encore"
FIRST_QUESTION = "current role"


def _deep_link(message: Sent) -> str:
    """The link /link shows, checking that the text and the button agree."""
    url = str(message.button(OPEN)["url"])
    assert f"From another Telegram account, you can open this link instead: {url}" in message.text
    return url


def _code(talker: Talker) -> str:
    return talker.text.split("*")[1]


async def _reflect(chat: ChatUser, answer: str) -> None:
    await chat.send("/reflect")
    await chat.send(answer)
    assert "Saved" in texts(await chat.press("4"))


async def _owners(database: Database) -> dict[str, int]:
    async with database.session() as session:
        identities = (await session.execute(select(Identity))).scalars().all()
    return {identity.external_id: identity.user_id for identity in identities}


async def test_opening_the_link_from_another_telegram_account_joins_both_journals_once(
    database: Database, clock: FakeClock
) -> None:
    async with FakeTelegram() as fake, running_bot(fake, database, clock=clock) as bot:
        phone = ChatUser(bot, 5101, first_name="Jisoo")
        tablet = ChatUser(bot, 5102, first_name="Jisoo")
        stranger = ChatUser(bot, 5103, first_name="Dong")
        await _reflect(phone, "Written on my phone.")
        await _reflect(tablet, "Written on my tablet.")

        (offer,) = await phone.send("/link")
        url = _deep_link(offer)
        code = offer.text.split("Your link code: ")[1].split()[0]
        assert url == f"https://t.me/encore_test_bot?start={code.replace('-', '')}"
        assert bot.adapter.start_link("코드") is None and bot.adapter.start_link("A" * 65) is None

        joined = texts(await tablet.open_link(url))
        assert "Linked. These apps now share one Encore account: Telegram (2 accounts)." in joined
        assert "your journal has 2 entries" in joined
        assert WELCOME not in joined  # joining is the whole answer
        for chat in (phone, tablet):
            page = texts(await chat.send("/journal"))
            assert "Written on my phone." in page and "Written on my tablet." in page

        again = texts(await stranger.open_link(url))
        assert again.startswith("That link to join your accounts was already used.")
        assert WELCOME in again and FIRST_QUESTION in again  # then /start as usual
    owners = await _owners(database)
    assert owners["5101"] == owners["5102"] != owners["5103"]


async def test_an_expired_link_gets_a_kind_word_then_the_usual_start_in_korean(
    database: Database, clock: FakeClock
) -> None:
    async with FakeTelegram() as fake, running_bot(fake, database, clock=clock) as bot:
        minsu = ChatUser(bot, 5201, first_name="민수", language_code="ko")
        other = ChatUser(bot, 5202, first_name="민수", language_code="ko")
        (offer,) = await minsu.send("/link")
        assert "다른 Telegram 계정에서는 코드 대신 이 링크를 열어도 돼요: https://t.me/" in offer.text
        assert "코드와 링크는 한 번만" in offer.text
        url = str(offer.button("다른 계정에서 열기")["url"])

        clock.advance(minutes=10)
        late = texts(await other.open_link(url))
        assert late.startswith("계정을 합치는 링크의 유효 시간이 지났어요.")
        assert "안녕하세요, 두 번째 커리어를" in late  # the Korean welcome follows
        assert (await _owners(database))["5201"] != (await _owners(database))["5202"]

        (fresh,) = await minsu.send("/link")
        clock.advance(minutes=9, seconds=59)
        joined = texts(await other.open_link(str(fresh.button("다른 계정에서 열기")["url"])))
        assert "연결했어요" in joined and "Telegram(계정 2개)" in joined
    owners = await _owners(database)
    assert owners["5201"] == owners["5202"]


async def test_coach_start_with_the_payload_joins_slack_to_telegram(
    coach: Coach, database: Database, clock: FakeClock
) -> None:
    people = {
        "U5": SlackUser(tz="Asia/Seoul", locale="en-US", real_name="Jisoo"),
        "U6": SlackUser(tz="Asia/Seoul", locale="en-US", real_name="Dong"),
    }
    async with (
        FakeTelegram() as fake,
        running_bot(fake, database, clock=clock) as telegram,
        running_slack(coach, FakeSlackApi(users=people)) as slack,
    ):
        jisoo = ChatUser(telegram, 5301, first_name="Jisoo")
        await _reflect(jisoo, "Written on Telegram.")
        payload = _deep_link((await jisoo.send("/link"))[0]).split("?start=")[1]

        await slack.done(await slack.command("U5", f"start {payload}"))
        assert "Linked. These apps now share one Encore account: Slack, Telegram." in slack.posted_text("DU5")
        await slack.done(await slack.command("U5", "journal"))
        assert "Written on Telegram." in slack.posted_text("DU5")

        await slack.done(await slack.command("U6", f"start {payload}"))
        assert "That link to join your accounts was already used." in slack.posted_text("DU6")
        assert WELCOME in slack.posted_text("DU6")

        # Slack has no deep links: its /link gives the code alone.
        await slack.done(await slack.command("U6", "link"))
        offer = slack.posted_text("DU6").rsplit("Your link code", 1)[1]
        assert "“/coach link " in offer and "t.me" not in offer and "open this link" not in offer
    owners = await _owners(database)
    assert owners["5301"] == owners["U5"] != owners["U6"]


async def test_your_own_link_joins_nothing_interrupts_nothing_and_stays_usable(coach: Coach) -> None:
    a = Talker(coach, person("a", platform="telegram"))
    b = Talker(coach, person("b", platform="slack", workspace="T1"))
    await a.command("reflect")
    await a.command("link")
    code = _code(a).replace("-", "")
    await a.command("start", code)
    assert a.text.startswith("That link was made by this account")
    assert WELCOME not in a.text and "Welcome back" not in a.text
    await a.say("Still answering my reflection.")  # the reflection was left as it was
    assert "How sure do you feel about what you wrote?" in a.text
    await b.command("start", code)
    assert "Linked" in b.text


async def test_start_payloads_that_are_no_link_are_refused_kindly_and_start_goes_on(
    coach: Coach, database: Database
) -> None:
    junk = [
        "A" * 65,  # longer than Telegram allows
        "hello world",
        "연결코드",
        "'; DROP TABLE linkcode; --",
        "ABCD-234",
        "O0O0I1I1",  # the look-alikes codes never use
        "🔗" * 8,
        "가" * 4000,
    ]
    for n, payload in enumerate(junk):
        talker = Talker(coach, person(f"junk{n}", platform="telegram"))
        replies = await talker.command("start", payload)
        assert replies[0].text.startswith("What came after /start is not a link I made, so I ignored it.")
        assert len(replies[0].text) < 200  # the junk is not echoed
        assert WELCOME in talker.text and FIRST_QUESTION in talker.text
        await talker.say("Branch manager")  # onboarding goes on as after a plain /start
        assert "How many years" in talker.text
    async with database.session() as session:
        attempts = (await session.execute(select(func.count()).select_from(LinkAttempt))).scalar_one()
    assert attempts == 0  # nothing was looked up, so nothing counts as a guess


async def test_wrong_links_and_wrong_codes_share_one_attempt_limit(coach: Coach, clock: FakeClock) -> None:
    owner = Talker(coach, person("owner", platform="telegram"))
    guesser = Talker(coach, person("guesser", platform="telegram"))
    await owner.command("link")
    for n in range(10):
        if n % 2:
            await guesser.command("link", f"ZZZ{ALPHABET[n]}-2345")
            assert "I don't know that code" in guesser.text
        else:
            await guesser.command("start", f"ZZZ{ALPHABET[n]}2345")
            assert guesser.text.startswith("I don't know that link to join accounts")
            assert WELCOME in guesser.text
        clock.advance(seconds=20)
    await guesser.command("start", _code(owner).replace("-", ""))  # the right one, too late
    assert guesser.text.startswith("Too many wrong codes in the last hour, so I did not check this one.")
    assert WELCOME in guesser.text
    await guesser.command("link", _code(owner))
    assert "Too many wrong codes" in guesser.text


def test_the_code_fits_telegrams_start_parameter() -> None:
    codes = {new_code() for _ in range(1000)}
    assert len(codes) == 1000
    assert all(re.fullmatch(r"[A-Za-z0-9_-]{1,64}", code) for code in codes)
