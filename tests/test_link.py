"""/link: a one-time code joins two platform identities into one user, losing nothing from either."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import insert, select

from coach.core import Coach
from coach.flows.link import normalize_code
from storage import users
from storage.db import Database
from storage.models import ActiveWeek, Identity, Profile, User
from tests.fakes.slack_api import FakeSlackApi, SlackUser
from tests.fakes.slack_requests import running_slack
from tests.fakes.telegram_api import FakeTelegram
from tests.support import FakeClock, Talker, person
from tests.telegram_support import ChatUser, running_bot, texts
from tests.trust_support import (
    FIRST_CHECKIN,
    all_rows,
    assess_and_study,
    later_feature_table,
    onboard,
    reflect,
    weekly_checkin_round,
)


def _code(talker: Talker) -> str:
    return talker.text.split("*")[1]


async def _user_id(database: Database, platform: str, workspace: str, external_id: str) -> int:
    async with database.session() as session:
        identity = await users.find_identity(session, platform, workspace, external_id)
        assert identity is not None
        return identity.user_id


async def test_linking_merges_both_journals_and_both_apps_see_the_same(
    coach: Coach, database: Database, clock: FakeClock
) -> None:
    telegram = Talker(coach, person("42", platform="telegram"))
    slack = Talker(coach, person("U7", platform="slack", workspace="T-bank"))
    await onboard(telegram)
    await reflect(telegram, "Telegram entry one")
    clock.advance(days=8)  # a second week of activity on Telegram
    await reflect(telegram, "Telegram entry two")
    await reflect(slack, "Slack entry")
    telegram_user = await _user_id(database, "telegram", "", "42")
    slack_user = await _user_id(database, "slack", "T-bank", "U7")

    await slack.command("link")
    code = _code(slack)
    assert "10 minutes" in slack.text
    await telegram.command("link", code)
    assert "Linked" in telegram.text
    assert "3 entries" in telegram.text

    for talker in (telegram, slack):
        await talker.command("journal")
        assert "page 1 of 1" in talker.text
        for answer in ("Telegram entry one", "Telegram entry two", "Slack entry"):
            assert answer in talker.text, talker.text
    async with database.session() as session:
        identities = (await session.execute(select(Identity))).scalars().all()
        assert {i.user_id for i in identities} == {telegram_user}  # the older account stays
        assert await session.get(User, slack_user) is None
        profile = await session.get(Profile, telegram_user)
        assert profile is not None and profile.years_experience == 22
        weeks = (await session.execute(select(ActiveWeek))).scalars().all()
        assert len(weeks) == 2 and {w.user_id for w in weeks} == {telegram_user}


async def test_the_more_complete_side_wins_where_only_one_row_can_stay(
    coach: Coach, database: Database, clock: FakeClock
) -> None:
    old = Talker(coach, person("old", platform="telegram"))
    new = Talker(coach, person("new", platform="slack", workspace="T1"))
    await old.command("start")
    await old.say("Half-finished role")  # profile with one answer only
    clock.advance(minutes=1)
    await onboard(new, role="Branch manager, 25 years")  # a complete profile and a check-in schedule
    old_id = await _user_id(database, "telegram", "", "old")
    new_id = await _user_id(database, "slack", "T1", "new")
    async with later_feature_table(database) as notes:
        async with database.engine.begin() as connection:
            await connection.execute(
                insert(notes),
                [
                    {"user_id": old_id, "topic": "aws", "note": None},
                    {"user_id": old_id, "topic": "cka", "note": "old-only topic"},
                    {"user_id": new_id, "topic": "aws", "note": "the fuller AWS note"},
                    {"user_id": new_id, "topic": "sqld", "note": "new-only topic"},
                ],
            )
        await old.command("link")
        await new.command("link", _code(old))
        assert "Linked" in new.text
        async with database.engine.connect() as connection:
            rows = (await connection.execute(select(notes.c.user_id, notes.c.topic, notes.c.note))).all()
    assert sorted(rows) == [
        (old_id, "aws", "the fuller AWS note"),
        (old_id, "cka", "old-only topic"),
        (old_id, "sqld", "new-only topic"),
    ]
    async with database.session() as session:
        profile = await session.get(Profile, old_id)
        user = await session.get(User, old_id)
    assert profile is not None and profile.current_role == "Branch manager, 25 years"
    assert profile.completed_at is not None
    assert user is not None and user.checkin_weekday == 1 and user.checkin_hour == 9
    assert user.timezone == "Asia/Seoul" and user.next_checkin_at is not None


async def test_a_code_works_once(coach: Coach) -> None:
    a = Talker(coach, person("a", platform="telegram"))
    b = Talker(coach, person("b", platform="slack", workspace="T1"))
    c = Talker(coach, person("c", platform="slack", workspace="T2"))
    await a.command("link")
    code = _code(a)
    await b.command("link", code)
    assert "Linked" in b.text
    await c.command("link", code)
    assert "already used" in c.text


async def test_a_code_expires_after_ten_minutes(coach: Coach, clock: FakeClock) -> None:
    a = Talker(coach, person("a", platform="telegram"))
    b = Talker(coach, person("b", platform="slack", workspace="T1"))
    await a.command("link")
    code = _code(a)
    clock.advance(minutes=10)
    await b.command("link", code)
    assert "expired" in b.text
    await a.command("link")
    clock.advance(minutes=9, seconds=59)
    await b.command("link", _code(a))
    assert "Linked" in b.text


async def test_a_new_code_replaces_the_previous_one(coach: Coach) -> None:
    a = Talker(coach, person("a", platform="telegram"))
    b = Talker(coach, person("b", platform="slack", workspace="T1"))
    await a.command("link")
    first = _code(a)
    await a.command("link")
    await b.command("link", first)
    assert "I don't know that code" in b.text


async def test_entering_your_own_code_does_not_use_it_up(coach: Coach) -> None:
    a = Talker(coach, person("a", platform="telegram"))
    b = Talker(coach, person("b", platform="slack", workspace="T1"))
    await a.command("link")
    code = _code(a)
    await a.command("link", code)
    assert "belongs to this account" in a.text
    await b.command("link", code)
    assert "Linked" in b.text


async def test_codes_are_read_forgivingly_and_junk_gets_a_clear_answer(coach: Coach) -> None:
    assert normalize_code("abcd-2345") == "ABCD2345"
    assert normalize_code(" ＡＢＣＤ ２３４５ ") == "ABCD2345"  # full-width, as a Korean keyboard may type
    for junk in (
        "hello",
        "ABCD-234",
        "ABCD-23450",
        "O0O0-I1I1",
        "'; DROP TABLE user; --",
        "코드" * 5000,
        "🔗" * 8,
    ):
        assert normalize_code(junk) is None
    b = Talker(coach, person("b", platform="slack", workspace="T1"))
    await b.command("link", "'; DROP TABLE user; --")
    assert "doesn't look like a link code" in b.text
    await b.command("link", "ZZZZ-9999")
    assert "I don't know that code" in b.text


async def test_buttons_shown_before_the_merge_have_expired(coach: Coach) -> None:
    a = Talker(coach, person("a", platform="telegram"))
    b = Talker(coach, person("b", platform="slack", workspace="T1"))
    await a.command("reflect")
    another = a.action("Another question")
    await a.command("link")
    await b.command("link", _code(a))
    await a.press_action(another)
    assert "expired" in a.text


async def test_linking_in_korean(coach: Coach) -> None:
    a = Talker(coach, person("a", platform="telegram", language="ko"))
    b = Talker(coach, person("b", platform="slack", workspace="T1", language="ko"))
    await a.command("link")
    assert "연결 코드" in a.text
    await b.command("link", _code(a))
    assert "연결했어요" in b.text


async def test_coaching_progress_of_both_accounts_is_kept(coach: Coach, database: Database) -> None:
    telegram = Talker(coach, person("t1", platform="telegram"))
    slack = Talker(coach, person("s1", platform="slack", workspace="T1"))
    for talker in (telegram, slack):
        await onboard(talker)
        await assess_and_study(talker)  # both follow the same second path: one row per (user, role) only
    before = await all_rows(database)

    await telegram.command("link")
    await slack.command("link", _code(telegram))
    assert "Linked" in slack.text

    after = await all_rows(database)
    (survivor,) = {row["id"] for row in after["user"]}
    for table in ("skillassessment", "studygoal", "studycheckin"):
        assert len(after[table]) == len(before[table]) > 0, table
        assert {row["user_id"] for row in after[table]} == {survivor}
    roles = [row["role_key"] for row in after["targetrole"]]
    assert sorted(roles) == sorted(set(roles)) and set(roles) == {r["role_key"] for r in before["targetrole"]}
    await slack.command("study")  # both study goals, on either app (the user may stop one of them)
    assert slack.text.count("(SAA-C03): Behind · 2 h done") == 2


async def test_telegram_and_slack_joined_through_the_real_adapters_share_one_journal(
    coach: Coach, database: Database
) -> None:
    slack_people = {"U5": SlackUser(tz="Asia/Seoul", locale="en-US", real_name="Jisoo")}
    async with (
        FakeTelegram() as fake,
        running_bot(fake, database) as telegram,
        running_slack(coach, FakeSlackApi(users=slack_people)) as slack,
    ):
        jisoo = ChatUser(telegram, 4242, first_name="Jisoo")
        await jisoo.send("/reflect")
        await jisoo.send("Written on my phone, on Telegram.")
        await jisoo.press("4")
        await slack.done(await slack.command("U5", "reflect"))
        await slack.done(await slack.dm("U5", "Written at my desk, in Slack."))
        await slack.done(await slack.press("U5", "3", owner_channel="DU5"))

        code = (await jisoo.send("/link"))[-1].text.split("Your link code: ")[1].split()[0]
        await slack.done(await slack.command("U5", f"link {code}"))
        assert "Linked. These apps now share one Encore account: Slack, Telegram." in slack.posted_text("DU5")

        page = texts(await jisoo.send("/journal"))
        await slack.done(await slack.command("U5", "journal"))
    for shown in (page, slack.posted_text("DU5").rsplit("Your journal", 1)[1]):
        assert "Written on my phone, on Telegram." in shown and "Written at my desk, in Slack." in shown


async def test_two_check_ins_for_the_same_week_become_one(
    coach: Coach, database: Database, clock: FakeClock
) -> None:
    telegram = Talker(coach, person("t7", platform="telegram"))
    slack = Talker(coach, person("s7", platform="slack", workspace="T1"))
    for talker in (telegram, slack):
        await onboard(talker)  # both: Tuesdays 09:00 in Seoul
    both = ("telegram", "slack")
    first = await weekly_checkin_round(database, clock, FIRST_CHECKIN, both)
    assert len(first) == 2  # one per account, before they are joined
    await slack.command("reflect")  # slack writes back to its check-in

    await telegram.command("link")
    await slack.command("link", _code(telegram))
    assert "Linked" in slack.text

    rows = await all_rows(database)
    (survivor,) = {row["id"] for row in rows["user"]}
    (slot,) = rows["checkinslot"]  # one (user, week) slot: the two could not both stay
    assert slot["user_id"] == survivor and slot["status"] == "sent"
    again = await weekly_checkin_round(database, clock, FIRST_CHECKIN + timedelta(minutes=1), both)
    assert again == []  # the week's check-in is not sent a third time
    following = await weekly_checkin_round(database, clock, FIRST_CHECKIN + timedelta(weeks=1), both)
    assert len(following) == 1  # next week: one check-in for the one person
