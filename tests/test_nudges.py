"""Which check-in a user gets and how it reads (pure: no storage, no clock)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from coach import actions
from coach.content import get_content
from coach.i18n import translator
from coach.nudges import (
    CheckinPlan,
    SlotOutcome,
    StudyPace,
    parse_button,
    plan_checkin,
    render_checkin,
    render_followup,
    streak_weeks,
    week_number,
)

EN, KO = translator("en"), translator("ko")
CONTENT = get_content()
JOINED = datetime(2027, 1, 4, 3, tzinfo=UTC)  # a Monday
ALL_COMMANDS = {"reflect", "study", "skills"}
PACE = StudyPace(
    goal="AWS Solutions Architect – Associate",
    weekly_hours=5,
    hours_past_week=2,
    hours_total=12,
    hours_expected=20,
    exam_date=date(2027, 4, 1),
)


def plan(week: int, *, study: StudyPace | None = None, commands: set[str] = ALL_COMMANDS) -> CheckinPlan:
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


def test_the_study_check_in_shows_pace_and_weeks_to_the_exam() -> None:
    now = datetime(2027, 3, 4, tzinfo=UTC)
    reply = render_checkin(
        plan(1, study=PACE),
        slot_id=7,
        slot_at=now,
        now=now,
        timezone="Asia/Seoul",
        t=EN,
        content=CONTENT,
        study=PACE,
    )
    assert "AWS Solutions Architect" in reply.text
    assert "Past week: 2 h of the 5 h you planned." in reply.text
    assert "about 8 h behind your plan" in reply.text
    assert "4 weeks to the exam." in reply.text
    assert reply.choices[0].action == "go:study"
    on_pace = StudyPace("AWS", 5, 5, 20, 20)
    assert (
        "on pace"
        in render_checkin(
            plan(1, study=on_pace),
            slot_id=7,
            slot_at=now,
            now=now,
            timezone="UTC",
            t=EN,
            content=CONTENT,
            study=on_pace,
        ).text
    )
    korean = render_checkin(
        plan(1, study=PACE),
        slot_id=7,
        slot_at=now,
        now=now,
        timezone="Asia/Seoul",
        t=KO,
        content=CONTENT,
        study=PACE,
    )
    assert "시험까지 4주 남았어요." in korean.text


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


def week(n: int, status: str, answered: bool = False, reason: str | None = None) -> SlotOutcome:
    return SlotOutcome(datetime(2027, 1, 5, tzinfo=UTC) + timedelta(weeks=n), status, reason, answered)


def test_streaks_count_answered_weeks_and_forgive_skips_pauses_and_our_downtime() -> None:
    now = datetime(2027, 3, 1, tzinfo=UTC)
    answered = [week(n, "sent", answered=True) for n in range(3)]
    assert streak_weeks(answered, now) == 3
    skipped = [week(0, "sent", True), week(1, "skipped", reason="user"), week(2, "sent", True)]
    assert streak_weeks(skipped, now) == 2
    paused = [week(0, "sent", True), week(4, "sent", True)]  # no slots at all for weeks 1-3
    assert streak_weeks(paused, now) == 2
    downtime = [week(0, "sent", True), week(1, "missed", reason="downtime"), week(2, "sent", True)]
    assert streak_weeks(downtime, now) == 2
    silent = [week(0, "sent", True), week(1, "sent"), week(2, "sent", True)]
    assert streak_weeks(silent, now) == 1
    blocked = [week(0, "sent", True), week(1, "failed", reason="unreachable")]
    assert streak_weeks(blocked, now) == 0


def test_this_weeks_open_check_in_neither_counts_nor_breaks_the_streak() -> None:
    history = [week(0, "sent", True), week(1, "sent", True), week(2, "sent")]
    assert streak_weeks(history, week(2, "sent").slot_at + timedelta(days=2)) == 2
    assert streak_weeks(history, week(2, "sent").slot_at + timedelta(days=8)) == 0
