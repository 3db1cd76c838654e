"""The check-in tick end to end: storage, rendering, outbox and a fake platform, with time injected."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta

import pytest

from bot.checkins import CheckinRunner
from bot.outbox import Outbox
from coach.content import get_content
from coach.core import Coach
from coach.delivery import RateLimited, TemporaryFailure
from coach.schedule import refresh_next_checkin
from storage import coaching, users
from storage import nudges as store
from storage.db import Database
from storage.models import CheckinSlot, Identity, StudyCheckin, StudyGoal, User
from tests.fakes.platform import FakePlatform, FakeTime
from tests.support import FakeClock, Talker, person

MONDAY, TUESDAY = 0, 1
# The clock starts on Wednesday 2026-11-25; the Seoul user's first check-in is Tuesday 2026-12-01 09:00 KST.
SEOUL_SLOT = datetime(2026, 12, 1, 0, 0, tzinfo=UTC)


def shown_prompt(text: str) -> str:
    """The reflection question a message shows (the content's English text)."""
    [prompt] = [p.text.en for p in get_content().prompts if p.text.en in text]
    return prompt


class Crash(BaseException):
    """The process dies: nothing after this runs, nothing is recorded."""


async def enrol(
    database: Database,
    clock: FakeClock,
    name: str,
    *,
    timezone: str = "Asia/Seoul",
    weekday: int = TUESDAY,
    hour: int = 9,
    language: str = "en",
    platform: str = "console",
    followup_hours: int = 24,
    holiday_country: str | None = None,
) -> int:
    """A user who finished onboarding: a check-in day and time in their zone."""
    async with database.session() as session:
        user, _identity, _ = await users.resolve_identity(
            session,
            platform=platform,
            workspace="",
            external_id=name,
            chat_id=f"chat-{name}",
            language_code=language,
            display_name=name,
            timezone=timezone,
            now=clock(),
        )
        user.checkin_weekday, user.checkin_hour = weekday, hour
        user.followup_hours, user.holiday_country = followup_hours, holiday_country
        refresh_next_checkin(user, clock())
        assert user.id is not None
        return user.id


def runner(database: Database, clock: FakeClock, platform: FakePlatform, **kwargs: object) -> CheckinRunner:
    time = FakeTime()
    outbox = Outbox({platform.platform: platform}, clock=time, sleep=time.sleep)
    return CheckinRunner(database, outbox, clock=clock, **kwargs)  # type: ignore[arg-type]


async def slots(database: Database, user_id: int) -> list[CheckinSlot]:
    async with database.session() as session:
        return await store.slots_of(session, user_id)


async def user_row(database: Database, user_id: int) -> User:
    async with database.session() as session:
        user = await users.get_user(session, user_id)
    assert user is not None
    return user


@pytest.fixture
def platform() -> FakePlatform:
    return FakePlatform("console")


async def test_a_check_in_goes_out_once_at_its_minute_with_its_buttons(
    database: Database, clock: FakeClock, platform: FakePlatform
) -> None:
    user_id = await enrol(database, clock, "jiho")
    tick = runner(database, clock, platform)
    clock.now = SEOUL_SLOT - timedelta(minutes=1)
    assert (await tick.tick()).sent == 0
    clock.now = SEOUL_SLOT
    report = await tick.tick()
    assert report.sent == 1 and len(platform.deliveries) == 1
    checkin = platform.deliveries[0]
    assert checkin.recipient.chat_id == "chat-jiho"
    assert "Your weekly check-in" in checkin.text and "late" not in checkin.text
    assert checkin.labels == ["Start now", "In 1 hour", "In 3 hours", "Tomorrow", "Skip this week"]
    assert checkin.action("Start now").startswith("go:reflect")
    # The same minute again, and the next one: nothing more.
    await tick.tick()
    clock.advance(minutes=1)
    await tick.tick()
    assert len(platform.deliveries) == 1
    [slot] = await slots(database, user_id)
    assert (slot.status, slot.slot_at, slot.sent_at, slot.late) == ("sent", SEOUL_SLOT, SEOUL_SLOT, False)
    assert (await user_row(database, user_id)).next_checkin_at == SEOUL_SLOT + timedelta(weeks=1)


async def test_the_reflection_check_in_shows_the_prompt_that_start_now_opens(
    database: Database, clock: FakeClock, platform: FakePlatform, coach: Coach
) -> None:
    await enrol(database, clock, "jiho")
    clock.now = SEOUL_SLOT
    await runner(database, clock, platform).tick()
    checkin = platform.deliveries[0]
    talker = Talker(coach, person("jiho"))
    await talker.press_action(checkin.action("Start now"))
    assert shown_prompt(checkin.text) == shown_prompt(talker.text)


async def test_korean_users_get_their_check_in_in_korean(
    database: Database, clock: FakeClock, platform: FakePlatform
) -> None:
    await enrol(database, clock, "minsu", language="ko-KR")
    clock.now = SEOUL_SLOT
    await runner(database, clock, platform).tick()
    checkin = platform.deliveries[0]
    assert "이번 주 체크인" in checkin.text
    assert "지금 시작" in checkin.labels and "이번 주 건너뛰기" in checkin.labels


async def test_a_5xx_is_retried_on_a_later_tick_and_sent_once(
    database: Database, clock: FakeClock, platform: FakePlatform
) -> None:
    user_id = await enrol(database, clock, "jiho")
    tick = runner(database, clock, platform)
    platform.fail_next(TemporaryFailure("502 Bad Gateway"))
    clock.now = SEOUL_SLOT
    report = await tick.tick()
    assert report.retrying == 1 and platform.deliveries == []
    [slot] = await slots(database, user_id)
    assert (slot.status, slot.reason, slot.pending) == ("failed", "error", "checkin")
    clock.advance(seconds=30)
    await tick.tick()
    assert platform.deliveries == []  # backs off for a minute, does not hammer a failing platform
    clock.advance(seconds=31)
    assert (await tick.tick()).sent == 1
    clock.advance(minutes=5)
    await tick.tick()
    assert len(platform.deliveries) == 1 and platform.attempts == 2
    [slot] = await slots(database, user_id)
    assert (slot.status, slot.attempts) == ("sent", 2)


async def test_a_429_holds_sending_for_retry_after_then_sends_once(
    database: Database, clock: FakeClock
) -> None:
    time = FakeTime()
    platform = FakePlatform("console", clock=time)
    await enrol(database, clock, "jiho")
    await enrol(database, clock, "sora")
    platform.fail_next(RateLimited(retry_after=7))
    outbox = Outbox({"console": platform}, clock=time, sleep=time.sleep)
    clock.now = SEOUL_SLOT
    report = await CheckinRunner(database, outbox, clock=clock).tick()
    assert report.sent == 2 and platform.attempts == 3
    assert sorted(d.recipient.chat_id for d in platform.deliveries) == ["chat-jiho", "chat-sora"]
    # Nothing went out before the platform's retry_after had passed.
    assert all(d.at >= 7 for d in platform.deliveries)


async def test_a_user_who_blocked_the_bot_is_skipped_until_they_write_again(
    database: Database, clock: FakeClock, platform: FakePlatform, coach: Coach
) -> None:
    user_id = await enrol(database, clock, "jiho")
    platform.block("chat-jiho")
    tick = runner(database, clock, platform)
    clock.now = SEOUL_SLOT
    report = await tick.tick()
    assert report.unreachable == 1 and platform.attempts == 1
    async with database.session() as session:
        identity = await users.find_identity(session, "console", "", "jiho")
    assert identity is not None and identity.unreachable
    [slot] = await slots(database, user_id)
    assert (slot.status, slot.reason, slot.pending) == ("failed", "unreachable", None)
    clock.now = SEOUL_SLOT + timedelta(weeks=1)
    await tick.tick()
    assert platform.attempts == 1  # not even tried
    # They unblock and write: the following week's check-in reaches them.
    platform.unblock("chat-jiho")
    await Talker(coach, person("jiho")).command("help")
    clock.now = SEOUL_SLOT + timedelta(weeks=2)
    await tick.tick()
    assert len(platform.deliveries) == 1


async def test_a_crash_between_claim_and_send_is_retried_after_the_lease_and_sent_once(
    database: Database, clock: FakeClock, platform: FakePlatform
) -> None:
    user_id = await enrol(database, clock, "jiho")
    clock.now = SEOUL_SLOT
    # The first process claims the slot and dies before anything is sent.
    claimed = await runner(database, clock, platform, worker="first")._claim_weekly()
    assert [work.user_id for work in claimed] == [user_id]
    [slot] = await slots(database, user_id)
    assert (slot.status, slot.claimed_by) == ("claimed", "first")
    # A restarted process: the claim is still leased to the dead one for a while.
    restarted = runner(database, clock, platform, worker="second")
    clock.advance(minutes=1)
    await restarted.tick()
    assert platform.deliveries == []
    clock.advance(minutes=10)
    assert (await restarted.tick()).late == 1
    clock.advance(minutes=20)
    await restarted.tick()
    assert len(platform.deliveries) == 1
    assert "late" in platform.deliveries[0].text
    [slot] = await slots(database, user_id)
    assert (slot.status, slot.claimed_by, slot.late) == ("sent", "second", True)


async def test_a_crash_while_the_request_is_under_way_is_never_sent_again(
    database: Database, clock: FakeClock, platform: FakePlatform
) -> None:
    """The platform may have the message already: sending it again could make it arrive twice."""
    user_id = await enrol(database, clock, "jiho")
    platform.fail_next(Crash())
    clock.now = SEOUL_SLOT
    with pytest.raises(Crash):
        await runner(database, clock, platform, worker="first").tick()
    [slot] = await slots(database, user_id)
    assert (slot.status, slot.reason, slot.action_at) == ("claimed", "in_flight", None)
    restarted = runner(database, clock, platform, worker="second")
    for _ in range(3):
        clock.advance(minutes=15)
        await restarted.tick()
    assert platform.deliveries == []
    assert platform.attempts == 1


async def test_after_downtime_recent_check_ins_go_out_late_and_older_ones_are_recorded_missed(
    database: Database, clock: FakeClock, platform: FakePlatform
) -> None:
    seoul = await enrol(database, clock, "jiho")  # Tuesday 09:00 KST = 00:00 UTC
    berlin = await enrol(database, clock, "anna", timezone="Europe/Berlin", weekday=MONDAY)  # Mon 08:00 UTC
    clock.now = SEOUL_SLOT + timedelta(hours=3)  # back after a day and a half down
    report = await runner(database, clock, platform).tick()
    assert (report.late, report.missed, report.sent) == (1, 1, 0)
    [late] = platform.deliveries
    assert late.recipient.chat_id == "chat-jiho"
    assert "Sorry this comes late: it was due Tuesday at 09:00" in late.text
    [missed] = await slots(database, berlin)
    assert (missed.status, missed.reason, missed.sent_at) == ("missed", "downtime", None)
    assert (await user_row(database, berlin)).next_checkin_at == datetime(2026, 12, 7, 8, tzinfo=UTC)
    assert (await user_row(database, seoul)).next_checkin_at == SEOUL_SLOT + timedelta(weeks=1)


async def test_weeks_of_downtime_never_send_a_burst(
    database: Database, clock: FakeClock, platform: FakePlatform
) -> None:
    user_id = await enrol(database, clock, "jiho")
    clock.now = SEOUL_SLOT + timedelta(weeks=3, hours=1)
    await runner(database, clock, platform).tick()
    assert len(platform.deliveries) == 1  # only the latest week's, late
    recorded = await slots(database, user_id)
    assert [s.status for s in recorded] == ["missed", "sent"]
    assert recorded[-1].slot_at == SEOUL_SLOT + timedelta(weeks=3)


async def test_one_gentle_follow_up_after_the_chosen_delay_and_none_once_answered(
    database: Database, clock: FakeClock, platform: FakePlatform, coach: Coach
) -> None:
    await enrol(database, clock, "jiho")
    await enrol(database, clock, "sora", followup_hours=48)
    await enrol(database, clock, "eun")
    tick = runner(database, clock, platform)
    clock.now = SEOUL_SLOT
    await tick.tick()
    clock.advance(hours=2)
    await Talker(coach, person("eun")).command("reflect")  # eun answers
    clock.now = SEOUL_SLOT + timedelta(hours=24)
    report = await tick.tick()
    assert (report.followups, report.answered) == (1, 1)
    [followup] = platform.to("chat-jiho")[1:]
    assert "gentle nudge" in followup.text and followup.labels == ["Start now", "Skip this week"]
    clock.now = SEOUL_SLOT + timedelta(hours=48)
    await tick.tick()
    assert len(platform.to("chat-sora")) == 2
    clock.now = SEOUL_SLOT + timedelta(hours=100)
    await tick.tick()
    assert [len(platform.to(f"chat-{n}")) for n in ("jiho", "sora", "eun")] == [2, 2, 1]


async def test_snooze_brings_the_check_in_back_and_the_follow_up_waits_for_it(
    database: Database, clock: FakeClock, platform: FakePlatform, coach: Coach
) -> None:
    await enrol(database, clock, "jiho")
    tick = runner(database, clock, platform)
    clock.now = SEOUL_SLOT
    await tick.tick()
    talker = Talker(coach, person("jiho"))
    clock.advance(minutes=2)
    await talker.press_action(platform.deliveries[0].action("In 3 hours"))
    assert "I'll bring it back today at 12:02" in talker.text
    clock.advance(hours=2, minutes=59)
    await tick.tick()
    assert len(platform.deliveries) == 1
    clock.advance(minutes=1)
    assert (await tick.tick()).reminders == 1
    reminder = platform.deliveries[1]
    assert "again, as you asked" in reminder.text
    assert shown_prompt(reminder.text) == shown_prompt(platform.deliveries[0].text)  # the same question
    # The follow-up counts from the reminder, not from the first message.
    clock.now = SEOUL_SLOT + timedelta(hours=24)
    await tick.tick()
    assert len(platform.deliveries) == 2
    clock.now = SEOUL_SLOT + timedelta(hours=27, minutes=2)
    await tick.tick()
    assert len(platform.deliveries) == 3 and "gentle nudge" in platform.deliveries[2].text


async def test_snooze_until_tomorrow_comes_back_at_the_usual_time(
    database: Database, clock: FakeClock, platform: FakePlatform, coach: Coach
) -> None:
    await enrol(database, clock, "anna", timezone="Europe/Berlin", weekday=MONDAY, hour=19)
    tick = runner(database, clock, platform)
    clock.now = datetime(2026, 11, 30, 18, tzinfo=UTC)
    await tick.tick()
    talker = Talker(coach, person("anna"))
    await talker.press_action(platform.deliveries[0].action("Tomorrow"))
    assert "tomorrow at 19:00" in talker.text
    clock.now = datetime(2026, 12, 1, 18, tzinfo=UTC)
    await tick.tick()
    assert len(platform.deliveries) == 2


async def test_skip_this_week_stops_the_follow_up_and_keeps_the_streak(
    database: Database, clock: FakeClock, platform: FakePlatform, coach: Coach
) -> None:
    user_id = await enrol(database, clock, "jiho")
    tick = runner(database, clock, platform)
    talker = Talker(coach, person("jiho"))
    for week in range(2):  # two answered weeks
        clock.now = SEOUL_SLOT + timedelta(weeks=week)
        await tick.tick()
        clock.advance(hours=1)
        await talker.press_action(platform.deliveries[-1].action("Start now"))
    clock.now = SEOUL_SLOT + timedelta(weeks=2)
    await tick.tick()
    await talker.press_action(platform.deliveries[-1].action("Skip this week"))
    assert (
        "Skipped for this week" in talker.text
        and "Next check-in: Tuesday, Dec 22, 2026 at 09:00" in talker.text
    )
    await talker.press_action(platform.deliveries[-1].action("Skip this week"))
    assert "already skipped" in talker.text
    clock.advance(hours=30)
    await tick.tick()
    assert len(platform.deliveries) == 3  # no follow-up for a skipped week
    clock.now = SEOUL_SLOT + timedelta(weeks=3)
    await tick.tick()
    assert "Streak: 2 weeks in a row with a check-in" in platform.deliveries[-1].text
    # That week passes unanswered: the streak is broken.
    clock.now = SEOUL_SLOT + timedelta(weeks=4)
    await tick.tick()
    assert "in a row" not in platform.deliveries[-1].text
    statuses = [(s.status, s.answered_at is not None) for s in await slots(database, user_id)]
    assert statuses[:4] == [("sent", True), ("sent", True), ("skipped", False), ("sent", False)]


async def test_check_in_buttons_only_work_on_your_own_current_check_in(
    database: Database, clock: FakeClock, platform: FakePlatform, coach: Coach
) -> None:
    jiho_id = await enrol(database, clock, "jiho")
    await enrol(database, clock, "sora")
    tick = runner(database, clock, platform)
    clock.now = SEOUL_SLOT
    await tick.tick()
    jiho_skip = platform.to("chat-jiho")[0].action("Skip this week")
    sora = Talker(coach, person("sora"))
    for forged in (jiho_skip, "nudge:99999:skip", "nudge:1:snooze:99", "nudge:abc:skip", "nudge:1"):
        await sora.press_action(forged)
        assert sora.last[0].ephemeral and "earlier week" in sora.text, forged
    [slot] = await slots(database, jiho_id)
    assert slot.status == "sent"  # sora could not skip jiho's week
    # Last week's button, once this week's check-in has come, changes nothing either.
    jiho = Talker(coach, person("jiho"))
    clock.now = SEOUL_SLOT + timedelta(weeks=1)
    await tick.tick()
    await jiho.press_action(jiho_skip)
    assert "earlier week" in jiho.text
    assert [s.status for s in await slots(database, jiho_id)] == ["sent", "sent"]


async def test_a_public_holiday_skips_the_week_for_users_who_asked(
    database: Database, clock: FakeClock, platform: FakePlatform
) -> None:
    clock.now = datetime(2027, 9, 9, tzinfo=UTC)
    keeps = await enrol(
        database, clock, "jiho", weekday=2, holiday_country="KR"
    )  # Wednesdays; 추석 2027-09-15
    plain = await enrol(database, clock, "sora", weekday=2)
    tick = runner(database, clock, platform)
    clock.now = datetime(2027, 9, 15, 0, 0, tzinfo=UTC)
    await tick.tick()
    assert [d.recipient.chat_id for d in platform.deliveries] == ["chat-sora"]
    assert (await user_row(database, keeps)).next_checkin_at == datetime(2027, 9, 22, tzinfo=UTC)
    clock.now = datetime(2027, 9, 22, tzinfo=UTC)
    await tick.tick()
    assert sorted(d.recipient.chat_id for d in platform.deliveries[1:]) == ["chat-jiho", "chat-sora"]
    assert len(await slots(database, plain)) == 2


async def test_a_pause_until_a_date_sends_nothing_before_it_and_ends_by_itself(
    database: Database, clock: FakeClock, platform: FakePlatform, coach: Coach
) -> None:
    user_id = await enrol(database, clock, "jiho")
    talker = Talker(coach, person("jiho"))
    await talker.command("settings")
    await talker.press("Pause check-ins")
    await talker.press("Until a date")
    await talker.say("2026-12-14")
    assert "paused until" in talker.text
    tick = runner(database, clock, platform)
    for week in range(3):
        clock.now = SEOUL_SLOT + timedelta(weeks=week)
        await tick.tick()
    assert [d.recipient.chat_id for d in platform.deliveries] == ["chat-jiho"]  # only on 2026-12-15
    user = await user_row(database, user_id)
    assert (user.checkins_paused, user.paused_until) == (False, None)


async def test_a_user_on_a_platform_this_process_cannot_reach_is_retried_then_missed(
    database: Database, clock: FakeClock, platform: FakePlatform
) -> None:
    user_id = await enrol(database, clock, "jiho", platform="telegram")
    tick = runner(database, clock, platform)
    clock.now = SEOUL_SLOT
    assert (await tick.tick()).retrying == 1
    for _ in range(30):
        clock.advance(minutes=30)
        await tick.tick()
    [slot] = await slots(database, user_id)
    assert (slot.status, slot.reason, slot.pending) == ("missed", "undeliverable", None)
    assert platform.deliveries == []


async def test_the_check_in_goes_to_the_identity_the_user_wrote_from_last(
    database: Database, clock: FakeClock
) -> None:
    console, slack = FakePlatform("console"), FakePlatform("slack")
    user_id = await enrol(database, clock, "jiho")
    async with database.session() as session:
        session.add(
            Identity(
                user_id=user_id,
                platform="slack",
                workspace="T1",
                external_id="U1",
                chat_id="D1",
                created_at=clock(),
                last_seen_at=clock() + timedelta(hours=1),
            )
        )
    time = FakeTime()
    outbox = Outbox({"console": console, "slack": slack}, clock=time, sleep=time.sleep)
    clock.now = SEOUL_SLOT
    await CheckinRunner(database, outbox, clock=clock).tick()
    assert (len(console.deliveries), len(slack.deliveries)) == (0, 1)
    assert slack.deliveries[0].recipient.workspace == "T1"


async def test_an_active_study_goal_makes_the_check_in_about_study_pace(
    database: Database, clock: FakeClock, platform: FakePlatform, coach: Coach
) -> None:
    user_id = await enrol(database, clock, "jiho")
    async with database.session() as session:
        goal = await coaching.add_goal(
            session,
            StudyGoal(
                user_id=user_id,
                cert_key="aws_saa_c03",
                exam_date=date(2027, 2, 26),
                weekly_hours=5,
                created_at=SEOUL_SLOT - timedelta(weeks=2),
            ),
        )
        assert goal.id is not None
        for days_ago, hours in ((10, 3.0), (3, 2.0)):  # days before the check-in
            await coaching.add_checkin(
                session,
                StudyCheckin(
                    user_id=user_id, goal_id=goal.id, at=SEOUL_SLOT - timedelta(days=days_ago), hours=hours
                ),
            )
    clock.now = SEOUL_SLOT
    await runner(database, clock, platform).tick()
    checkin = platform.deliveries[0]
    name = get_content().certifications["aws_saa_c03"].name
    # The plan model's words (the same /study uses): 5 h logged against the 7.9 h of the eleven days to
    # the latest log; 85 h left in the 12.9 weeks from that log need 6.6 h a week, more than the 5 planned.
    assert f"Your study goal: {name} · Behind" in checkin.text
    assert "You are 2.9 h behind your plan. One extra session this week closes much of it." in checkin.text
    assert "Exam: Feb 26, 2027, 12.4 weeks left" in checkin.text
    assert "Time to re-plan?" not in checkin.text  # less than a week's plan behind, and not at risk
    assert checkin.action("Start now") == "go:study"
    talker = Talker(coach, person("jiho"))
    await talker.press_action(checkin.action("Start now"))
    assert name in talker.text


async def test_every_fourth_week_the_check_in_offers_to_re_rate_skills(
    database: Database, clock: FakeClock, platform: FakePlatform, coach: Coach
) -> None:
    await enrol(database, clock, "jiho")  # joined on Wednesday 2026-11-25
    tick = runner(database, clock, platform)
    for week in range(5):
        clock.now = SEOUL_SLOT + timedelta(weeks=week)
        await tick.tick()
    offers = ["Re-rate my skills" in d.labels for d in platform.deliveries]
    assert offers == [False, False, False, True, False]
    talker = Talker(coach, person("jiho"))
    await talker.press_action(platform.deliveries[3].action("Re-rate my skills"))
    assert talker.labels  # the skills flow answered with its own buttons


@pytest.mark.parametrize(
    ("start", "end", "sent_at"),
    [
        # Berlin springs forward at 02:00 on 2027-03-28: 02:30 does not exist, so 03:00 CEST (01:00 UTC).
        (
            datetime(2027, 3, 27, 23, tzinfo=UTC),
            datetime(2027, 3, 28, 3, tzinfo=UTC),
            datetime(2027, 3, 28, 1, tzinfo=UTC),
        ),
        # Berlin falls back at 03:00 on 2027-10-31: 02:30 happens twice, the check-in goes out once.
        (
            datetime(2027, 10, 30, 23, tzinfo=UTC),
            datetime(2027, 10, 31, 3, tzinfo=UTC),
            datetime(2027, 10, 31, 0, 30, tzinfo=UTC),
        ),
    ],
)
async def test_a_night_of_dst_change_sends_one_check_in_at_the_right_minute(
    database: Database,
    clock: FakeClock,
    platform: FakePlatform,
    start: datetime,
    end: datetime,
    sent_at: datetime,
) -> None:
    clock.now = start - timedelta(days=3)
    user_id = await enrol(database, clock, "anna", timezone="Europe/Berlin", weekday=6, hour=2)
    async with database.session() as session:
        user = await users.get_user(session, user_id)
        assert user is not None
        user.checkin_minute = 30
        refresh_next_checkin(user, clock())
    tick = runner(database, clock, platform)
    clock.now = start
    while clock.now <= end:
        await tick.tick()
        clock.advance(minutes=5)
    [slot] = await slots(database, user_id)
    assert len(platform.deliveries) == 1
    assert (slot.slot_at, slot.sent_at) == (sent_at, sent_at)


async def test_two_schedulers_ticking_at_once_send_each_check_in_once(
    database: Database, database_url: str, clock: FakeClock, platform: FakePlatform
) -> None:
    for n in range(60):
        await enrol(database, clock, f"user{n}")
    other = Database(database_url)  # a second process: its own engine and connections
    try:
        first = runner(database, clock, platform, worker="first", batch_size=7)
        second = runner(other, clock, platform, worker="second", batch_size=7)
        clock.now = SEOUL_SLOT
        reports = await asyncio.gather(first.tick(), second.tick(), first.tick())
    finally:
        await other.dispose()
    assert sum(report.sent for report in reports) == 60
    chats = [d.recipient.chat_id for d in platform.deliveries]
    assert len(chats) == len(set(chats)) == 60
