"""Which check-in a user gets and how it reads (pure: no storage, no clock)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from coach import actions
from coach.content import get_content
from coach.i18n import Translator, translator
from coach.nudges import (
    CheckinPlan,
    StudyView,
    parse_button,
    parse_result_button,
    plan_checkin,
    render_checkin,
    render_followup,
    render_holiday,
    week_number,
)
from coach.plan import Goal, History, Log, plan_of

EN, KO = translator("en"), translator("ko")
CONTENT = get_content()
JOINED = datetime(2027, 1, 4, 3, tzinfo=UTC)  # a Monday
ALL_COMMANDS = {"reflect", "study", "skills"}
SEOUL = ZoneInfo("Asia/Seoul")


def study(
    now: datetime, logged: list[tuple[int, float]], *, exam: date | None, weekly: float = 5
) -> StudyView:
    """A goal of 5 h a week started four weeks before ``now``, with hours logged ``days`` before it."""
    goal = Goal(1, now - timedelta(weeks=4), weekly, exam, hours_min=60, hours_max=120, pass_mark=72.0)
    logs = tuple(Log(1, now - timedelta(days=days), hours) for days, hours in logged)
    return StudyView(1, "AWS Solutions Architect – Associate", plan_of(goal, History(SEOUL, logs), now))


PACE = study(JOINED, [(1, 5.0), (8, 5.0), (15, 5.0), (22, 5.0)], exam=date(2027, 4, 1))


def plan(week: int, *, study: StudyView | None = None, commands: set[str] = ALL_COMMANDS) -> CheckinPlan:
    return plan_checkin(
        study=study,
        answered_prompts=[],
        content=CONTENT,
        commands=commands,
        created_at=JOINED,
        slot_at=JOINED + timedelta(weeks=week - 1),
        timezone="Asia/Seoul",
    )


def test_an_active_study_goal_makes_it_a_study_check_in_otherwise_a_reflection() -> None:
    assert plan(1, study=PACE).kind == "study"
    assert plan(1).kind == "reflect"
    assert plan(1).topic == CONTENT.prompts[0].key
    # Without the study feature there is no study check-in to offer, goal or not.
    assert plan(1, study=PACE, commands={"reflect"}).kind == "reflect"


def test_every_fourth_week_offers_to_re_rate_skills_if_the_coach_can() -> None:
    assert [week for week in range(1, 13) if plan(week).offer_skills] == [4, 8, 12]
    assert not plan(4, commands={"reflect"}).offer_skills
    assert week_number(JOINED, JOINED + timedelta(days=6), "Asia/Seoul") == 1
    reply = render_checkin(
        plan(8), slot_id=5, slot_at=JOINED, now=JOINED, timezone="Asia/Seoul", t=EN, content=CONTENT
    )
    assert "re-rate your skills" in reply.text
    assert reply.choices[-1].label == "Re-rate my skills" and reply.choices[-1].action == "go:skills"


def test_a_reflection_prompt_is_not_repeated_while_fresh_ones_remain() -> None:
    first = CONTENT.prompts[0]
    chosen = plan_checkin(
        study=None,
        answered_prompts=[first.key],
        content=CONTENT,
        commands=ALL_COMMANDS,
        created_at=JOINED,
        slot_at=JOINED,
        timezone="Asia/Seoul",
    )
    assert chosen.topic != first.key


def test_the_study_check_in_says_what_the_plan_model_says() -> None:
    now = datetime(2027, 3, 4, tzinfo=UTC)
    behind = study(now, [(2, 5.0), (9, 5.0), (23, 2.0)], exam=date(2027, 7, 15))

    def checkin(view: StudyView, t: Translator = EN) -> str:
        return render_checkin(
            plan(1, study=view),
            slot_id=7,
            slot_at=now,
            now=now,
            timezone="Asia/Seoul",
            t=t,
            content=CONTENT,
            study=view,
        ).text

    text = checkin(behind)
    # 12 h logged against the 18.6 h the plan asked for in the 26 days to the latest log; 78 h left in 19
    # weeks needs 4.1 h a week, more than the 3 h a week kept: behind.
    assert "AWS Solutions Architect" in text and "· Behind" in text
    assert "You are 6.6 h behind your plan." in text
    assert "One extra session" not in text  # 6.6 h is more than one session closes
    assert "Exam: Jul 15, 2027, 19 weeks left" in text
    assert plan(1, study=behind).kind == "study"
    on_pace = study(now, [(1, 5.0), (8, 5.0), (15, 5.0), (22, 5.0)], exam=date(2027, 5, 27), weekly=5)
    assert "You are on pace with your plan." in checkin(on_pace) or "ahead of your plan" in checkin(on_pace)
    korean = checkin(behind, KO)
    assert "19주 남음" in korean and "계획보다 6.6시간 뒤처져 있어요." in korean


def test_once_the_exam_date_has_come_the_check_in_asks_for_the_result_not_hours() -> None:
    now = datetime(2027, 3, 4, tzinfo=UTC)
    passed_date = study(now, [(3, 5.0), (10, 5.0)], exam=date(2027, 3, 2))
    checkin_plan = plan(1, study=passed_date)
    assert checkin_plan.kind == "result" and checkin_plan.topic == "1"
    reply = render_checkin(
        checkin_plan,
        slot_id=7,
        slot_at=now,
        now=now,
        timezone="Asia/Seoul",
        t=EN,
        content=CONTENT,
        study=passed_date,
    )
    assert "was on Mar 2, 2027. How did it go?" in reply.text
    assert "Log this week's study" not in reply.text and "behind" not in reply.text
    assert [c.action for c in reply.choices] == [
        "nudge:7:result:passed",
        "nudge:7:result:failed",
        "nudge:7:result:moved",
        "nudge:7:snooze:tomorrow",
    ]


def test_a_holiday_week_is_announced() -> None:
    assert render_holiday("설날", KO).text == "이번 주는 체크인이 없어요: 설날. 즐겁게 보내세요!"
    assert render_holiday("Chuseok", EN).text == "No check-in this week: Chuseok. Enjoy it!"


def test_buttons_carry_the_slot_and_fit_telegram_callback_data() -> None:
    reply = render_checkin(
        plan(1), slot_id=2_147_483_647, slot_at=JOINED, now=JOINED, timezone="UTC", t=EN, content=CONTENT
    )
    ids = [choice.action for choice in reply.choices]
    assert ids[1:] == [
        "nudge:2147483647:snooze:1",
        "nudge:2147483647:snooze:3",
        "nudge:2147483647:snooze:tomorrow",
        "nudge:2147483647:skip",
    ]
    assert all(len(action.encode()) <= actions.MAX_ACTION_BYTES for action in ids)
    assert all(actions.parse(action) for action in ids)
    followup = render_followup(plan(1), slot_id=3, t=KO, content=CONTENT)
    assert [c.label for c in followup.choices] == ["지금 시작", "이번 주 건너뛰기"]


def test_late_check_ins_say_so_and_on_time_ones_do_not() -> None:
    slot = datetime(2027, 1, 5, 0, tzinfo=UTC)  # Tuesday 09:00 in Seoul
    on_time = render_checkin(
        plan(1),
        slot_id=1,
        slot_at=slot,
        now=slot + timedelta(minutes=2),
        timezone="Asia/Seoul",
        t=EN,
        content=CONTENT,
    )
    late = render_checkin(
        plan(1),
        slot_id=1,
        slot_at=slot,
        now=slot + timedelta(hours=5),
        timezone="Asia/Seoul",
        t=KO,
        content=CONTENT,
    )
    assert "late" not in on_time.text
    assert "화요일 09:00에 보내야 했는데" in late.text


def test_parse_button_accepts_only_what_the_coach_makes() -> None:
    assert parse_button(("12", "snooze", "3")) is not None
    assert parse_button(("12", "skip")) is not None
    for forged in [(), ("12",), ("x", "skip"), ("12", "snooze", "99"), ("12", "delete"), ("9" * 40, "skip")]:
        assert parse_button(forged) is None, forged


def test_result_buttons_are_parsed_strictly() -> None:
    assert parse_result_button(("12", "result", "passed")) is not None
    for forged in [("12", "result"), ("12", "result", "won"), ("x", "result", "passed"), ("12", "skip", "x")]:
        assert parse_result_button(forged) is None, forged
    assert parse_button(("12", "result", "passed")) is None  # the snooze/skip handler never sees one
