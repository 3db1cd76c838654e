"""Onboarding through the coach: English and Korean, saved answer by answer, editable, never wiped."""

from __future__ import annotations

from coach.core import Coach
from storage import users
from storage.db import Database
from tests.support import Talker, person


async def finish_onboarding(talker: Talker) -> None:
    await talker.command("start")
    await talker.say("IT infrastructure manager at a bank")
    await talker.say("22")
    await talker.press(talker.labels[0])  # first role in the catalog
    await talker.press(talker.labels[1])  # 3 years
    await talker.press(talker.labels[1])  # Tuesday
    await talker.press("09:00")
    await talker.say("Seoul")


async def test_english_onboarding_saves_profile_and_schedule(alice: Talker, database: Database) -> None:
    replies = await alice.command("start")
    assert "private" in replies[0].text
    assert "current role" in alice.text
    await alice.say("IT infrastructure manager at a bank")
    assert "How many years" in alice.text
    await alice.say("22")
    assert "Something else" in alice.labels
    await alice.press(alice.labels[0])
    assert alice.labels[:4] == ["1 year", "3 years", "5 years", "10 years"]
    await alice.press("3 years")
    assert "Monday" in alice.labels
    await alice.press("Tuesday")
    await alice.press("09:00")
    await alice.say("Seoul")
    assert "All set" in alice.text
    assert "Tuesday at 09:00" in alice.text
    assert "Seoul (UTC+09:00)" in alice.text
    assert "Start a reflection" in alice.labels
    async with database.session() as session:
        identity = await users.find_identity(session, "console", "", "alice")
        assert identity is not None
        user = await users.get_user(session, identity.user_id)
        profile = await users.get_profile(session, identity.user_id)
    assert profile is not None and profile.years_experience == 22
    assert profile.current_role == "IT infrastructure manager at a bank"
    assert profile.horizon_date is not None and profile.horizon_date.year == 2029
    assert user is not None and user.timezone == "Asia/Seoul"
    assert user.next_checkin_at is not None
    local = user.next_checkin_at.astimezone(__import__("zoneinfo").ZoneInfo("Asia/Seoul"))
    assert (local.weekday(), local.hour, local.minute) == (1, 9, 0)


async def test_korean_user_is_greeted_in_korean_with_seoul_default(minsu: Talker) -> None:
    await minsu.command("start")
    assert "Encore" in minsu.text
    assert any("\uac00" <= ch <= "\ud7a3" for ch in minsu.text)


async def test_restart_in_the_middle_continues_where_the_user_was(database: Database, clock) -> None:
    first = Talker(Coach(database, clock=clock), person("bo"))
    await first.command("start")
    await first.say("Branch manager, securities")
    # A new process: a new Coach over the same database.
    second = Talker(Coach(database, clock=clock), person("bo"))
    await second.say("25")
    assert "second career" in second.text


async def test_start_again_never_wipes_the_profile(alice: Talker, database: Database) -> None:
    await finish_onboarding(alice)
    await alice.command("start")
    assert "Welcome back" in alice.text
    assert "IT infrastructure manager at a bank" in alice.text
    await alice.press("Experience")
    await alice.say("23")
    assert "23 years" in alice.text
    assert "IT infrastructure manager at a bank" in alice.text


async def test_bad_numbers_and_time_zones_get_kind_replies(alice: Talker) -> None:
    await alice.command("start")
    await alice.say("Public servant")
    await alice.say("61")
    assert "0 to 60" in alice.text
    await alice.say("DROP TABLE user; --")
    assert "0 to 60" in alice.text
    await alice.say("30")
    await alice.press(alice.labels[0])
    await alice.press("1 year")
    await alice.press("Friday")
    await alice.say("25:99")
    assert "time of day" in alice.text
    await alice.say("7pm")
    await alice.say("+25:00")
    assert "-12:00 to +14:00" in alice.text
    await alice.say("Mars/Olympus_Mons")
    assert "don't know a time zone" in alice.text
    await alice.say("+05:30")
    assert "more than one" in alice.text
    await alice.press(alice.labels[-1])
    assert "All set" in alice.text
    assert "Friday at 19:00" in alice.text
