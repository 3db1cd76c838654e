"""/settings: language, time zone, check-in time, pause and resume — each saved and reflected in the schedule."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from storage import users
from storage.db import Database
from tests.support import Talker
from tests.test_onboarding import finish_onboarding


async def _user(database: Database):
    async with database.session() as session:
        return await users.get_user(session, 1)


async def test_switching_language_answers_in_korean_from_then_on(alice: Talker) -> None:
    await alice.command("settings")
    await alice.press("Language")
    await alice.press("한국어")
    assert "언어: 한국어" in alice.text
    await alice.command("help")
    assert "제가 할 수 있는 일" in alice.text


async def test_changing_time_zone_keeps_the_local_check_in_time(alice: Talker, database: Database) -> None:
    await finish_onboarding(alice)
    await alice.command("settings")
    await alice.press("Time zone")
    await alice.say("New York")
    assert "New York" in alice.text
    user = await _user(database)
    local = user.next_checkin_at.astimezone(ZoneInfo("America/New_York"))
    assert (local.weekday(), local.hour) == (1, 9)


async def test_pause_until_a_date_and_resume(alice: Talker, database: Database, clock) -> None:
    await finish_onboarding(alice)
    await alice.command("settings")
    await alice.press("Pause check-ins")
    await alice.press("Until a date")
    await alice.say("2020-01-01")
    assert "future date" in alice.text
    await alice.say("2027-01-15")
    assert "paused until" in alice.text
    user = await _user(database)
    assert user.checkins_paused and user.next_checkin_at.date().isoformat() >= "2027-01-15"
    await alice.press("Resume check-ins")
    user = await _user(database)
    assert not user.checkins_paused
    assert (user.next_checkin_at - clock.now).days < 7


async def test_pause_indefinitely_clears_the_next_check_in(alice: Talker, database: Database) -> None:
    await finish_onboarding(alice)
    await alice.command("settings")
    await alice.press("Pause check-ins")
    await alice.press("Until I resume")
    user = await _user(database)
    assert user.checkins_paused and user.next_checkin_at is None


async def test_check_in_time_typed_in_korean(minsu: Talker, database: Database) -> None:
    await minsu.command("settings")
    await minsu.press("체크인 요일")
    await minsu.say("금요일")
    await minsu.press("체크인 시각")
    await minsu.say("오후 9시 30분")
    assert "금요일 21:30" in minsu.text
