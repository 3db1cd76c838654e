"""Check-ins that respect the person: a follow-up only when unanswered, one check-in a local week whatever
the day is changed to, holiday weeks announced and excused, the result asked for after the exam date, and
pauses and plan changes kept as dated history."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from coach.content import get_content
from coach.core import Coach
from coach.plan import Phase
from coach.study_report import goal_pace
from storage import coaching, users
from storage import plan as plan_store
from storage.db import Database
from storage.models import StudyCheckin, StudyGoal
from tests.fakes.platform import FakePlatform
from tests.support import FakeClock, Talker, person
from tests.test_checkins import SEOUL_SLOT, enrol, platform, runner, slots, user_row

SAA = get_content().certifications["aws_saa_c03"]
__all__ = ["platform"]  # the fake platform fixture, shared with tests/test_checkins.py


async def add_goal(
    database: Database, user_id: int, *, exam: date | None, weekly: float, started: datetime, logged=()
) -> int:  # type: ignore[no-untyped-def]
    async with database.session() as session:
        goal = await coaching.add_goal(
            session,
            StudyGoal(
                user_id=user_id, cert_key=SAA.key, exam_date=exam, weekly_hours=weekly, created_at=started
            ),
        )
        assert goal.id is not None
        for when, hours in logged:
            await coaching.add_checkin(
                session, StudyCheckin(user_id=user_id, goal_id=goal.id, at=when, hours=hours, domains=[])
            )
        return goal.id


async def test_an_answer_two_minutes_after_the_check_in_cancels_the_follow_up(
    database: Database, clock: FakeClock, platform: FakePlatform, coach: Coach
) -> None:
    """The user wrote just before the check-in and answered just after: both inside five minutes."""
    await enrol(database, clock, "jiho")
    talker = Talker(coach, person("jiho"))
    tick = runner(database, clock, platform)
    clock.now = SEOUL_SLOT - timedelta(minutes=2)
    await talker.command("journal")
    clock.now = SEOUL_SLOT
    await tick.tick()
    clock.advance(minutes=2)
    await talker.command("reflect")
    clock.now = SEOUL_SLOT + timedelta(hours=24)
    report = await tick.tick()
    assert (report.followups, report.answered) == (0, 1)
    assert len(platform.deliveries) == 1
    [slot] = await slots(database, (await user_row_id(database, "jiho")))
    assert slot.answered_at == SEOUL_SLOT + timedelta(minutes=2)


async def test_a_message_weeks_later_does_not_answer_an_old_check_in(
    database: Database, clock: FakeClock, platform: FakePlatform, coach: Coach
) -> None:
    user_id = await enrol(database, clock, "jiho", followup_hours=0)
    tick = runner(database, clock, platform)
    clock.now = SEOUL_SLOT
    await tick.tick()
    async with database.session() as session:  # no more check-ins for a while (no word from the user)
        user = await users.get_user(session, user_id)
        assert user is not None
        user.checkins_paused, user.next_checkin_at = True, None
    clock.now = SEOUL_SLOT + timedelta(weeks=3)
    talker = Talker(coach, person("jiho"))
    await talker.command("settings")  # three weeks later: back
    await talker.press("Resume check-ins")
    clock.now = SEOUL_SLOT + timedelta(weeks=4)
    await tick.tick()
    first, second = await slots(database, user_id)
    assert first.answered_at is None and second.status == "sent"


async def user_row_id(database: Database, name: str) -> int:
    async with database.session() as session:
        identity = await users.find_identity(session, "console", "", name)
        assert identity is not None
        return identity.user_id


async def test_changing_the_check_in_day_never_gives_two_check_ins_in_one_local_week(
    database: Database, clock: FakeClock, platform: FakePlatform, coach: Coach
) -> None:
    user_id = await enrol(database, clock, "jiho")  # Tuesdays 09:00 Seoul
    tick = runner(database, clock, platform)
    clock.now = SEOUL_SLOT  # Tuesday 1 December
    await tick.tick()
    talker = Talker(coach, person("jiho"))
    clock.advance(hours=3)
    await talker.command("settings")
    await talker.press("Check-in day")
    await talker.press("Thursday")
    assert "Weekly check-in: Thursday at 09:00" in talker.text
    for hours in range(0, 24 * 14, 6):
        clock.now = SEOUL_SLOT + timedelta(hours=hours)
        await tick.tick()
    sent = [s.slot_at.date() for s in await slots(database, user_id)]
    # Not Thursday 3 December (that week already had its check-in), but Thursday 10 December.
    assert sent == [date(2026, 12, 1), date(2026, 12, 10)]
    assert (await user_row(database, user_id)).next_checkin_at == datetime(2026, 12, 17, 0, 0, tzinfo=UTC)


async def test_a_holiday_week_is_announced_recorded_and_excused(
    database: Database, clock: FakeClock, platform: FakePlatform
) -> None:
    clock.now = datetime(2027, 9, 1, tzinfo=UTC)
    user_id = await enrol(
        database, clock, "jiho", weekday=2, holiday_country="KR", language="ko"
    )  # Wednesdays
    tick = runner(database, clock, platform)
    clock.now = datetime(2027, 9, 8, tzinfo=UTC)  # the Wednesday before 추석 (15 September)
    await tick.tick()
    assert len(platform.deliveries) == 1
    clock.now = datetime(2027, 9, 15, tzinfo=UTC)
    report = await tick.tick()
    assert report.holidays == 1 and report.sent == 0
    note = platform.deliveries[1]
    assert note.text == "이번 주는 체크인이 없어요: 추석. 즐겁게 보내세요!" and note.labels == []
    recorded = [(s.slot_at.date(), s.status, s.reason) for s in await slots(database, user_id)]
    assert recorded == [(date(2027, 9, 8), "sent", None), (date(2027, 9, 15), "skipped", "holiday")]
    clock.now = datetime(2027, 9, 22, tzinfo=UTC)
    await tick.tick()
    assert [d.text.startswith("*이번 주 체크인*") for d in platform.deliveries] == [True, False, True]


async def test_after_the_exam_date_the_check_in_asks_for_the_result_and_records_it_on_the_exam_day(
    database: Database, clock: FakeClock, platform: FakePlatform
) -> None:
    coach = Coach(database, clock=clock)
    user_id = await enrol(database, clock, "jiho")
    async with database.session() as session:
        (await users.profile_for_update(session, user_id)).target_role = "cloud_architect"
    exam = date(2026, 11, 28)  # the Saturday before the check-in
    goal_id = await add_goal(
        database,
        user_id,
        exam=exam,
        weekly=6,
        started=SEOUL_SLOT - timedelta(weeks=10),
        logged=[(SEOUL_SLOT - timedelta(weeks=w, days=1), 6.0) for w in range(10)],
    )
    clock.now = SEOUL_SLOT
    await runner(database, clock, platform).tick()
    checkin = platform.deliveries[0]
    assert "was on Nov 28, 2026. How did it go?" in checkin.text and "hours" not in checkin.text
    assert checkin.labels == ["Passed", "Not this time", "Postponed", "Tomorrow"]
    talker = Talker(coach, person("jiho"))
    clock.advance(days=2)
    await talker.press_action(checkin.action("Passed"))
    assert "Congratulations on passing" in talker.text
    assert "Cloud Practitioner" not in talker.text  # never an easier exam of the same issuer
    assert "Professional" in talker.text  # the next level along the path
    async with database.session() as session:
        goal = await coaching.get_goal(session, user_id, goal_id)
        [result] = await coaching.exam_results(session, user_id)
    assert goal is not None and goal.status == "passed"
    assert result.exam_date == exam and goal.closed_at is not None and goal.closed_at.date() == exam
    await talker.press_action(checkin.action("Not this time"))  # pressed again: nothing more
    assert talker.last[0].ephemeral
    await talker.command("skills")  # the pass is on the skills profile, dated by the exam day
    assert "Certifications passed" in talker.text and f"{SAA.name} (Nov 28, 2026)" in talker.text
    await talker.command("study")
    assert "Exam date passed" not in talker.text


async def test_a_failed_exam_keeps_the_goal_for_a_retake_and_a_postponed_one_asks_the_new_date(
    database: Database, clock: FakeClock, platform: FakePlatform
) -> None:
    coach = Coach(database, clock=clock)
    user_id = await enrol(database, clock, "jiho")
    goal_id = await add_goal(
        database, user_id, exam=date(2026, 11, 30), weekly=6, started=SEOUL_SLOT - timedelta(weeks=8)
    )
    clock.now = SEOUL_SLOT
    await runner(database, clock, platform).tick()
    [checkin] = platform.deliveries
    talker = Talker(coach, person("jiho"))
    await talker.press_action(checkin.action("Postponed"))
    assert "new date of the exam" in talker.text
    await talker.say("2027-01-20")
    assert "Saved." in talker.text
    async with database.session() as session:
        goal = await coaching.get_goal(session, user_id, goal_id)
        assert goal is not None and goal.exam_date == date(2027, 1, 20)
        assert [c.kind for c in goal.plan_changes] == ["edit"]  # the date change is kept, dated
    await talker.press_action(checkin.action("Not this time"))  # the new date is ahead: no result due
    assert "earlier week" in talker.text


async def test_study_shows_the_result_as_due_and_its_check_in_asks_for_the_result_not_hours(
    database: Database, clock: FakeClock
) -> None:
    coach = Coach(database, clock=clock)
    user_id = await enrol(database, clock, "jiho")
    exam = date(2026, 11, 28)
    goal_id = await add_goal(database, user_id, exam=exam, weekly=6, started=SEOUL_SLOT - timedelta(weeks=10))
    clock.now = SEOUL_SLOT + timedelta(days=3)
    talker = Talker(coach, person("jiho"))
    await talker.command("study")
    assert "Exam date passed" in talker.text and "was on Nov 28, 2026. How did it go?" in talker.text
    await talker.press("Check in")
    assert "How did the exam" in talker.text and "hours" not in talker.text
    assert talker.labels == ["Passed", "Not this time", "Postponed"]
    await talker.press("Not this time")
    await talker.say("64")
    assert "many people pass on their second sitting" in talker.text
    async with database.session() as session:
        [result] = await coaching.exam_results(session, user_id)
        goal = await coaching.get_goal(session, user_id, goal_id)
    assert (result.passed, result.score, result.exam_date) == (False, 64, exam)  # dated by the exam day
    assert goal is not None and goal.status == "active" and goal.exam_date is None  # open for a retake
    await talker.press("Set a retake date")
    await talker.say("2027-02-20")
    await talker.command("study")
    assert "How did it go?" not in talker.text and "Exam date passed" not in talker.text


async def test_a_postponed_exam_given_in_study_gets_its_new_date(
    database: Database, clock: FakeClock
) -> None:
    coach = Coach(database, clock=clock)
    user_id = await enrol(database, clock, "jiho")
    goal_id = await add_goal(
        database, user_id, exam=date(2026, 11, 28), weekly=6, started=SEOUL_SLOT - timedelta(weeks=6)
    )
    clock.now = SEOUL_SLOT
    talker = Talker(coach, person("jiho"))
    await talker.command("study")
    await talker.press("Record an exam result")
    await talker.press("Postponed")
    assert "new date of the exam" in talker.text
    await talker.say("2027-01-16")
    async with database.session() as session:
        goal = await coaching.get_goal(session, user_id, goal_id)
        assert goal is not None and goal.exam_date == date(2027, 1, 16) and goal.status == "active"
        assert await coaching.exam_results(session, user_id) == []  # postponed is not a result
    await talker.command("study")
    assert "How did it go?" not in talker.text and "weeks left" in talker.text


async def test_forged_result_buttons_change_nothing(database: Database, clock: FakeClock) -> None:
    coach = Coach(database, clock=clock)
    await enrol(database, clock, "jiho")
    talker = Talker(coach, person("jiho"))
    for forged in ("nudge:1:result:passed", "nudge:abc:result:passed", "nudge:1:result:won"):
        await talker.press_action(forged)
        assert talker.last[0].ephemeral, forged
    async with database.session() as session:
        assert await coaching.exam_results(session, await user_row_id(database, "jiho")) == []


async def test_a_re_plan_button_puts_the_new_plan_in_force_once(database: Database, clock: FakeClock) -> None:
    coach = Coach(database, clock=clock)
    user_id = await enrol(database, clock, "jiho")
    goal_id = await add_goal(
        database,
        user_id,
        exam=date(2027, 2, 3),
        weekly=5,
        started=clock.now - timedelta(days=35),
        logged=[(clock.now - timedelta(days=7 * w + 1), 3.0) for w in range(5)],
    )
    talker = Talker(coach, person("jiho"))
    menu = await talker.command("study")
    # 75 h left (SAA's typical 90 less 15) over the 10 weeks to 3 February: 7.4 h a week, a button of 7.5.
    assert "Time to re-plan?" in talker.text and "that is 7.4 h a week" in talker.text
    raise_to = next(c for r in menu for c in r.choices if c.label == "7.5 h a week from now")
    assert [c.label for r in menu for c in r.choices if c.action.startswith("plan:")] == [
        "7.5 h a week from now",
        "Move the exam to May 19, 2027",
        "Keep my plan",
    ]
    await talker.press_action(raise_to.action)
    assert "New plan: 7.5 h a week from now, for Feb 3, 2027." in talker.text
    assert "on pace with your plan" in talker.text  # measured afresh from now
    await talker.command("study")
    assert "Time to re-plan?" not in talker.text
    await talker.press_action(raise_to.action)  # the offer is gone now
    assert talker.last[0].ephemeral and "no longer open" in talker.text
    async with database.session() as session:
        goal = await coaching.get_goal(session, user_id, goal_id)
        assert goal is not None and goal.weekly_hours == 7.5
        assert [(c.kind, c.previous_weekly_hours, c.weekly_hours) for c in goal.plan_changes] == [
            ("raise", 5, 7.5)
        ]
    for forged in (f"plan:{goal_id}:raise:99", "plan:99999:keep:0", f"plan:{goal_id}:bogus:0", "plan:1"):
        await talker.press_action(forged)
        assert talker.last[0].ephemeral, forged


async def test_pauses_are_kept_with_their_dates(database: Database, clock: FakeClock, coach: Coach) -> None:
    user_id = await enrol(database, clock, "jiho")
    talker = Talker(coach, person("jiho"))
    await talker.command("settings")
    await talker.press("Pause check-ins")
    await talker.press("2 weeks")
    clock.advance(days=3)
    await talker.command("settings")
    await talker.press("Resume check-ins")
    async with database.session() as session:
        history = (await plan_store.histories(session, [user_id]))[user_id]
    [pause] = history.pauses
    assert (pause.starts_on, pause.ends_on) == (date(2026, 11, 25), date(2026, 11, 28))


async def test_the_exam_phase_reaches_the_flows_plan(database: Database, clock: FakeClock) -> None:
    user_id = await enrol(database, clock, "jiho")
    goal_id = await add_goal(database, user_id, exam=date(2026, 11, 29), weekly=5, started=clock.now)
    async with database.session() as session:
        goal = await coaching.get_goal(session, user_id, goal_id)
        user = await users.get_user(session, user_id)
        assert goal is not None and user is not None
        plan = goal_pace(goal, [], get_content(), user, clock.now)
    assert plan.phase is Phase.FINAL and plan.days_left == 4
