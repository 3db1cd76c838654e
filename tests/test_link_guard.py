"""/link under attack: guessing codes stops after 10 wrong ones an hour, and crossed redemptions at the
same moment end in one account per pair, never in an error."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from sqlalchemy import func, select

from coach.core import Coach
from coach.flows.link import ALPHABET
from coach.messages import Inbound
from storage.db import Database
from storage.models import Identity, LinkAttempt, LinkCode
from tests.support import FakeClock, Talker, person

DONT_KNOW = "I don't know that code"
TOO_MANY = "Too many wrong codes in the last hour"


def _wrong(n: int) -> str:
    """The ``n``-th of many well-formed codes that nobody was given."""
    return f"ZZ{ALPHABET[n // len(ALPHABET)]}{ALPHABET[n % len(ALPHABET)]}-2345"


def _code(talker: Talker) -> str:
    return talker.text.split("*")[1]


async def _count(database: Database, table: type[LinkAttempt] | type[LinkCode], **where: object) -> int:
    async with database.session() as session:
        query = select(func.count()).select_from(table)
        for name, value in where.items():
            query = query.where(getattr(table, name) == value)
        return int((await session.execute(query)).scalar_one())


async def test_after_ten_wrong_codes_an_hour_no_code_is_checked(
    coach: Coach, database: Database, clock: FakeClock
) -> None:
    owner = Talker(coach, person("owner", platform="telegram"))
    guesser = Talker(coach, person("guesser", platform="slack", workspace="T1"))
    await owner.command("link")
    answers = []
    for n in range(100):
        await guesser.command("link", _wrong(n))
        answers.append(guesser.text)
        clock.advance(seconds=20)
    checked = sum(DONT_KNOW in answer for answer in answers)
    refused = sum(TOO_MANY in answer for answer in answers)
    print(f"100 wrong codes: {checked} checked, {refused} refused unchecked")
    assert (checked, refused) == (10, 90)
    assert answers[10].endswith("Please try again after 02:00.")  # the 1st attempt (01:00 UTC) + 1 hour
    assert await _count(database, LinkAttempt) == 10

    # The right code, while locked out, is not even looked at: it stays unused.
    await guesser.command("link", _code(owner))
    assert TOO_MANY in guesser.text
    assert await _count(database, LinkCode, used_at=None) == 1

    clock.now = datetime(2026, 11, 25, 2, 0, 1, tzinfo=UTC)  # the first attempt is over an hour old
    await owner.command("link")  # the first code has expired meanwhile
    await guesser.command("link", _code(owner))
    assert "Linked" in guesser.text


async def test_the_lockout_time_is_told_in_the_users_zone_and_language(coach: Coach) -> None:
    minsu = Talker(coach, person("minsu", platform="telegram", language="ko"))  # a new Korean user: Seoul
    for n in range(11):
        await minsu.command("link", _wrong(n))
    assert "틀린 코드가 너무 많이" in minsu.text
    assert "11:00 이후에 다시 시도" in minsu.text  # 01:00 UTC + 1 hour, in Seoul


async def test_twenty_crossed_redemptions_at_once_make_twenty_accounts_and_no_error(
    coach: Coach, database: Database
) -> None:
    """Person i on Telegram enters the Slack code while, at the same moment, Slack enters Telegram's."""
    pairs = []
    for i in range(20):
        telegram = Talker(coach, person(f"t{i}", platform="telegram"))
        slack = Talker(coach, person(f"s{i}", platform="slack", workspace="T1"))
        await telegram.command("link")
        await slack.command("link")
        pairs.append((telegram, slack, _code(telegram), _code(slack)))

    async def cross(talker: Talker, code: str) -> str:
        replies = await coach.handle(Inbound(talker.identity, command="link", args=code))
        return "\n".join(reply.text for reply in replies)

    answers = await asyncio.gather(
        *(cross(telegram, slack_code) for telegram, _, _, slack_code in pairs),
        *(cross(slack, telegram_code) for _, slack, telegram_code, _ in pairs),
    )
    assert all("Linked" in a or "belongs to this account" in a for a in answers), answers
    assert sum("Linked" in answer for answer in answers) == 20  # one side of each pair joined them
    async with database.session() as session:
        rows = (await session.execute(select(Identity.external_id, Identity.user_id))).all()
    account = dict(rows)
    assert len(set(account.values())) == 20
    assert all(account[f"t{i}"] == account[f"s{i}"] for i in range(20))
