"""Every surface tells the same truth: random histories (logs, pauses, skips, holidays, plan changes, check-in
day changes, downtime) are stored, then /study, /progress, the home screen (Slack's Home tab), the Mini App,
the weekly check-in (the real tick) and the chart are read, and the verdict, the hours behind or ahead, the streak and the time to the
exam they state must agree with each other and with the plan model.

Property-based (hypothesis): each example is a fresh user on the test's database.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from coach.content import get_content
from coach.core import Coach
from coach.i18n import translator
from coach.plan import Plan
from coach.plan_words import position, status, time_left
from coach.study_report import goal_pace, hours_panel
from coach.webapp_view import webapp_view
from storage import coaching, users
from storage.db import Database
from storage.models import CheckinSlot, PausePeriod, PlanChange, StudyCheckin, StudyGoal
from tests.fakes.platform import FakePlatform
from tests.support import FakeClock, Talker, person
from tests.test_checkins import runner

EXAMPLES = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
EN = translator("en")
CONTENT = get_content()
BASE = datetime(2026, 9, 7, tzinfo=UTC)  # a Monday
_people = itertools.count()

STATUS = re.compile(r"(?:· |: )(On track|Behind|At risk|Exam day|Exam date passed)\b")
POSITION = re.compile(r"(\d+(?:\.\d+)?) h (behind|ahead of) your plan|(on pace) with your plan")
STREAK = re.compile(r"Streak: (\d+) weeks?")
LEFT = re.compile(r"(\d+(?:\.\d+)?) weeks left|(\d+) days? left|, (today)\b|(the date has passed)")
SESSION = "One extra session this week closes much of it."


@dataclass(frozen=True)
class Story:
    zone: str
    started_day: int
    weekly: float
    exam_day: int | None
    cert: bool
    logs: list[tuple[int, int, float]]  # day, hour, hours
    slots: list[tuple[int, int, str]]  # week, weekday, what
    pauses: list[tuple[int, int | None]]  # first day, length (None: still paused)
    changes: list[tuple[int, str, float, int | None]]  # day, kind, weekly, exam day
    now_day: int


stories = st.builds(
    Story,
    zone=st.sampled_from(["Asia/Seoul", "Europe/Berlin", "America/New_York"]),
    started_day=st.integers(0, 6),
    weekly=st.sampled_from([2.0, 3.0, 5.0, 8.0, 10.0]),
    exam_day=st.none() | st.integers(20, 200),
    cert=st.booleans(),
    logs=st.lists(
        st.tuples(st.integers(0, 120), st.integers(0, 23), st.sampled_from([0.0, 1.0, 2.5, 4.0, 8.0])),
        max_size=14,
    ),
    slots=st.lists(
        st.tuples(
            st.integers(0, 17),
            st.integers(0, 6),  # the check-in day changes from week to week
            st.sampled_from(["answered", "silent", "skipped", "holiday", "downtime"]),
        ),
        max_size=14,
        unique_by=lambda s: s[0],
    ),
    pauses=st.lists(st.tuples(st.integers(0, 110), st.none() | st.integers(1, 21)), max_size=2),
    changes=st.lists(
        st.tuples(
            st.integers(1, 100),
            st.sampled_from(["raise", "move", "keep", "edit"]),
            st.sampled_from([2.0, 4.0, 6.5, 12.0]),
            st.none() | st.integers(30, 220),
        ),
        max_size=2,
    ),
    now_day=st.integers(1, 125),
)


def _day(story: Story, day: int, hour: int = 9) -> datetime:
    local = datetime.combine((BASE + timedelta(days=story.started_day + day)).date(), datetime.min.time())
    return local.replace(hour=hour, tzinfo=ZoneInfo(story.zone)).astimezone(UTC)


async def store(database: Database, user_id: int, story: Story, now: datetime) -> None:
    start = _day(story, 0)
    exam = (start + timedelta(days=story.exam_day)).date() if story.exam_day is not None else None
    async with database.session() as session:
        goal = StudyGoal(
            user_id=user_id,
            cert_key="aws_saa_c03" if story.cert else None,
            custom_name=None if story.cert else "My own exam",
            typical_hours_min=None if story.cert else 80,
            typical_hours_max=None if story.cert else 120,
            exam_date=exam,
            weekly_hours=story.weekly,
            created_at=start,
        )
        session.add(goal)
        await session.flush()
        assert goal.id is not None
        weekly, current_exam = story.weekly, exam
        # By day; changes made on the same day keep the order they were drawn in (an exam day may be None).
        for day, kind, hours, exam_day in sorted(story.changes, key=lambda change: change[0]):
            at = _day(story, day, 12)
            if at > now:
                continue
            new_exam = (
                (start + timedelta(days=exam_day)).date()
                if kind in ("move", "edit") and exam_day
                else current_exam
            )
            new_weekly = weekly if kind in ("keep", "move") else hours
            session.add(
                PlanChange(
                    user_id=user_id,
                    goal_id=goal.id,
                    at=at,
                    kind=kind,
                    weekly_hours=new_weekly,
                    exam_date=new_exam,
                    previous_weekly_hours=weekly,
                    previous_exam_date=current_exam,
                )
            )
            weekly, current_exam = new_weekly, new_exam
        goal.weekly_hours, goal.exam_date = weekly, current_exam
        for day, hour, hours in story.logs:
            at = _day(story, day, hour)
            if at <= now:
                session.add(StudyCheckin(user_id=user_id, goal_id=goal.id, at=at, hours=hours, domains=[]))
        for week, weekday, what in story.slots:
            slot_at = _day(story, 7 * week + weekday - story.started_day)
            if slot_at > now:
                continue
            status_, reason = {
                "answered": ("sent", None),
                "silent": ("sent", None),
                "skipped": ("skipped", "user"),
                "holiday": ("skipped", "holiday"),
                "downtime": ("missed", "downtime"),
            }[what]
            answered = slot_at + timedelta(hours=1) if what == "answered" else None
            session.add(
                CheckinSlot(
                    user_id=user_id,
                    slot_at=slot_at,
                    status=status_,
                    reason=reason,
                    answered_at=answered,
                    sent_at=slot_at if status_ == "sent" else None,
                )
            )
        for first, length in story.pauses:
            begin = (start + timedelta(days=first)).date()
            if _day(story, first) <= now:
                session.add(
                    PausePeriod(
                        user_id=user_id,
                        starts_on=begin,
                        ends_on=begin + timedelta(days=length) if length else None,
                        created_at=start,
                    )
                )
        user = await users.get_user(session, user_id)
        assert user is not None
        user.timezone = story.zone
        user.checkin_weekday, user.checkin_hour = 0, 9
        user.next_checkin_at = now  # the check-in tick sends one now


def facts(text: str) -> dict[str, set[object]]:
    return {
        "status": set(STATUS.findall(text)),
        "position": {m.group(0).replace("ahead of", "ahead") for m in POSITION.finditer(text)},
        "streak": {int(n) for n in STREAK.findall(text)},
        "left": {next(g for g in m.groups() if g) for m in LEFT.finditer(text)},
    }


def expected(plan: Plan) -> dict[str, set[object]]:
    left = time_left(plan, EN)
    shown = LEFT.search(", " + left) if left else None
    return {
        "status": {status(plan, EN)},
        "position": {position(plan, EN).replace("ahead of", "ahead")},
        "streak": {plan.streak_weeks},
        "left": {next(g for g in shown.groups() if g)} if shown else set(),
    }


EXAM_DAY = Story("Asia/Seoul", 0, 2.0, 20, False, [], [], [], [], now_day=20)  # found by hypothesis


@EXAMPLES
@given(story=stories)
@example(  # two changes on one day, one with an exam day and one without: hypothesis found it
    story=Story(
        zone="Asia/Seoul",
        started_day=0,
        weekly=2.0,
        exam_day=None,
        cert=False,
        logs=[],
        slots=[],
        pauses=[],
        changes=[(1, "raise", 2.0, None), (1, "raise", 2.0, 30)],
        now_day=1,
    )
)
@example(story=EXAM_DAY)
async def test_every_surface_tells_the_same_truth(
    coach: Coach, database: Database, clock: FakeClock, story: Story
) -> None:
    name = f"story{next(_people)}"
    talker = Talker(coach, person(name))
    now = _day(story, story.now_day, 10) + timedelta(seconds=7)
    clock.now = now - timedelta(days=400)  # the user exists from before the story
    await talker.command("help")
    user_id = await _user_id(database, name)
    await store(database, user_id, story, now)
    clock.now = now

    async with database.session() as session:
        [goal] = await coaching.active_goals(session, user_id)
        user = await users.get_user(session, user_id)
        assert user is not None
        plan = goal_pace(goal, [], CONTENT, user, now)
        checkins = await coaching.checkins_of(session, goal.id or 0)
        panel = hours_panel([goal], checkins, user, now)
    want = expected(plan)

    study_replies = await talker.command("study")
    study = "\n".join(r.text for r in study_replies)
    # The re-plan offer, its arithmetic and its buttons come exactly when the model makes one.
    offered = [c.label for r in study_replies for c in r.choices if c.action.startswith("plan:")]
    assert ("Time to re-plan?" in study) is bool(plan.options) is bool(offered), (plan.options, study)
    progress = "\n".join(r.text for r in await talker.command("progress"))
    home = "\n".join(s.text for s in (await coach.dashboard(talker.identity)).sections)
    async with database.session() as session:
        [app_goal] = (await webapp_view(session, talker.identity, now=now, content=CONTENT)).plan.goals
    assert (app_goal.verdict_text, app_goal.streak_weeks) == (status(plan, EN), plan.streak_weeks)
    platform = FakePlatform("console")
    await runner(database, clock, platform).tick()
    [checkin] = [
        d for d in platform.deliveries if d.recipient.external_id == name
    ]  # earlier examples' users too
    surfaces = {
        "study": study,
        "progress": progress,
        "home": home,
        "mini app": app_goal.summary,
        "checkin": checkin.text,
    }

    for surface, text in surfaces.items():
        found = facts(text)
        for key, values in found.items():
            if key == "streak" and surface == "checkin" and plan.streak_weeks < 2:
                assert values == set(), (surface, key)  # a short streak is not mentioned there
                continue
            if values:
                assert values == want[key], (surface, key, values, want[key], text)
        if SESSION in text:  # reassurance only when true
            assert 0 < plan.behind_by <= 3, (surface, plan.behind_by)
    # Each study surface states every finding (so agreement is never vacuous).
    exam_over = plan.phase.value in ("exam_day", "result_due")
    for surface in ("study", "progress", "home", "mini app"):
        found = facts(surfaces[surface])
        assert found["status"] and found["streak"], surface
        # From the exam day on, the status says it: no hours against the plan, no countdown.
        assert bool(found["position"]) is not exam_over, surface
        assert found["left"] == (set() if exam_over else want["left"]), surface
    if plan.phase.value not in ("exam_day", "result_due"):
        assert facts(checkin.text)["status"] == want["status"] and facts(checkin.text)["position"]
        assert ("Time to re-plan?" in checkin.text) is bool(plan.options)
        assert [label for label in checkin.labels if label in offered] == offered
    # The chart draws each week's plan from the same model.
    by_week = {week.monday: week.planned for week in plan.weeks}
    assert [p for (monday, _h), p in zip(panel.weeks, panel.planned, strict=True) if monday in by_week] == [
        by_week[monday] for monday, _h in panel.weeks if monday in by_week
    ]


async def _user_id(database: Database, name: str) -> int:
    async with database.session() as session:
        identity = await users.find_identity(session, "console", "", name)
        assert identity is not None
        return identity.user_id


def test_the_extraction_reads_what_the_words_say() -> None:
    text = "X: Behind · 2 h done · 3.5 h behind your plan · 4 days left · Streak: 3 weeks in a row with a check-in"
    assert facts(text) == {
        "status": {"Behind"},
        "position": {"3.5 h behind your plan"},
        "streak": {3},
        "left": {"4"},
    }
    assert date(2026, 9, 7).weekday() == 0
