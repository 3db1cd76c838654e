"""/settings for check-ins: skipping public holidays (by button or typed, in English or Korean) and the
follow-up delay; what is already saved is never lost to a bad answer."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from storage import users
from storage.db import Database
from storage.models import User
from tests.support import FakeClock, Talker
from tests.test_onboarding import finish_onboarding


async def saved_user(database: Database, name: str) -> User:
    async with database.session() as session:
        identity = await users.find_identity(session, "console", "", name)
        assert identity is not None
        user = await users.get_user(session, identity.user_id)
    assert user is not None
    return user


async def test_skip_holidays_suggests_the_country_of_the_time_zone(alice: Talker, database: Database) -> None:
    await finish_onboarding(alice)  # Seoul, Tuesdays 09:00
    await alice.command("settings")
    assert "Public holidays: check-ins go ahead" in alice.text
    assert "Follow-up: 24 hours after an unanswered check-in" in alice.text
    await alice.press("Holidays")
    assert alice.labels[0] == "South Korea" and "Don't skip holidays" in alice.labels
    await alice.press("South Korea")
    assert "public holiday in South Korea will be skipped" in alice.text
    assert "Public holidays: skipped in South Korea" in alice.text
    user = await saved_user(database, "alice")
    assert user.holiday_country == "KR"


async def test_a_typed_country_in_korean_works_and_nonsense_gets_a_kind_reply(
    minsu: Talker, database: Database
) -> None:
    await finish_onboarding(minsu)
    await minsu.command("settings")
    await minsu.press("공휴일")
    for bad in ("Narnia", "🎌🎌", "x" * 500, "'; DROP TABLE user; --"):
        await minsu.say(bad)
        assert "공휴일 정보를 찾지 못했어요" in minsu.text, bad
    assert (await saved_user(database, "minsu")).holiday_country is None
    await minsu.say("대한민국")
    assert "대한민국 공휴일에 걸리는 체크인은 건너뛸게요." in minsu.text
    await minsu.press("공휴일")
    await minsu.say("us")
    assert (await saved_user(database, "minsu")).holiday_country == "US"
    await minsu.press("공휴일")
    await minsu.press("공휴일에도 보내기")
    assert (await saved_user(database, "minsu")).holiday_country is None


async def test_turning_on_holidays_moves_a_check_in_off_the_holiday(
    alice: Talker, database: Database, clock: FakeClock
) -> None:
    clock.now = datetime(2027, 9, 9, tzinfo=UTC)
    await finish_onboarding(alice)
    await alice.command("settings")
    await alice.press("Check-in day")
    await alice.press("Wednesday")  # 2027-09-15 is 추석
    before = (await saved_user(database, "alice")).next_checkin_at
    assert before is not None
    assert before.astimezone(ZoneInfo("Asia/Seoul")).date().isoformat() == "2027-09-15"
    await alice.press("Holidays")
    await alice.press("South Korea")
    after = (await saved_user(database, "alice")).next_checkin_at
    assert after is not None
    assert after.astimezone(ZoneInfo("Asia/Seoul")).date().isoformat() == "2027-09-22"


async def test_follow_up_delay_can_be_changed_or_turned_off(alice: Talker, database: Database) -> None:
    await finish_onboarding(alice)
    await alice.command("settings")
    await alice.press("Follow-up")
    assert alice.labels == ["After 24 hours", "After 48 hours", "After 72 hours", "No follow-up"]
    await alice.press("After 48 hours")
    assert "Follow-up: 48 hours after an unanswered check-in" in alice.text
    await alice.press("Follow-up")
    await alice.press("No follow-up")
    assert "Follow-up: none" in alice.text
    assert (await saved_user(database, "alice")).followup_hours == 0
    await alice.press("Follow-up")
    await alice.say("12 hours please")
    assert alice.last[0].ephemeral
    assert (await saved_user(database, "alice")).followup_hours == 0
