"""The one plan model: honest verdicts, days that do not count (pauses, skips, holidays), plans that change,
the streak, the exam's phases and the re-plan offer — pure functions of stored facts at an instant."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from coach.i18n import translator
from coach.plan import (
    Change,
    Excuse,
    Goal,
    History,
    Log,
    OptionKind,
    Pause,
    Phase,
    Readiness,
    Result,
    Slot,
    Suggestion,
    Verdict,
    plan_of,
    streak,
)
from coach.plan_words import position, time_left

SEOUL = ZoneInfo("Asia/Seoul")
DOMAINS = (("design", 0.3), ("security", 0.3), ("cost", 0.2), ("ops", 0.2))
EN = translator("en")
NOW = datetime.fromisoformat("2026-11-25T10:00+09:00")  # a Wednesday


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def goal(
    *,
    exam: date | None,
    planned: float = 6,
    started: datetime,
    hours: tuple[int, int] = (80, 120),
    changes: tuple[Change, ...] = (),
    pass_mark: float | None = None,
    results: tuple[Result, ...] = (),
) -> Goal:
    return Goal(1, started, planned, exam, *hours, DOMAINS, pass_mark, changes, results)


def logs(*items: tuple[datetime, float]) -> tuple[Log, ...]:
    return tuple(Log(1, when, hours) for when, hours in items)


def weekly(hours: float, weeks: int = 5, now: datetime = NOW) -> tuple[Log, ...]:
    return logs(*((now - timedelta(days=7 * w + 1), hours) for w in range(weeks)))


def pace(
    history: tuple[Log, ...],
    *,
    exam: date | None,
    planned: float = 6,
    started_days: int = 35,
    now: datetime = NOW,
):  # type: ignore[no-untyped-def]
    return plan_of(
        goal(exam=exam, planned=planned, started=now - timedelta(days=started_days)),
        History(SEOUL, history),
        now,
    )


# -- the verdict (the pace judgement, through the model) -------------------------------------------------


def test_pace_with_an_exam_on_the_leap_day() -> None:
    now = at("2028-02-01T09:00+09:00")
    plan = plan_of(
        goal(exam=date(2028, 2, 29), planned=5, started=at("2028-01-13T09:00+09:00"), hours=(40, 60)),
        History(SEOUL, logs((at("2028-01-20T21:00+09:00"), 12.0), (at("2028-01-27T21:00+09:00"), 8.0))),
        now,
    )
    assert (plan.hours_done, plan.need_hours, plan.remaining_hours) == (20, 50, 30)
    assert plan.weeks_left == 4.0 and plan.days_left == 28
    # 30 hours over the 33 days from the latest log (27 January) to 29 February: the days since that log
    # belong to the coming weekly log.
    assert plan.needed_per_week == 6.4
    # 20 hours in the 19 days since the start is about 7.4 h/week: 7.5 is within reach, and 20 h is ahead of
    # the 10 h the plan asked for by the latest log.
    assert plan.verdict is Verdict.ON_TRACK and plan.behind_by == -10.0


def test_verdicts_are_honest() -> None:
    # 30 h done, 70 h to go in 10 weeks: 7 h/week needed while doing 6 → behind, add hours.
    behind = pace(weekly(6.0), exam=date(2027, 2, 3))
    assert behind.weeks_left == 10
    assert behind.needed_per_week == 6.9  # 70 h over the 71 days from yesterday's log
    assert (behind.verdict, behind.suggestion) == (Verdict.BEHIND, Suggestion.ADD_HOURS)
    # Same work, 4 weeks left: 17.5 h/week is nearly three times the pace → at risk.
    assert pace(weekly(6.0), exam=date(2026, 12, 23)).verdict is Verdict.AT_RISK
    # 70 h in 2 weeks is not a sustainable plan next to a job: move the date.
    hopeless = pace(weekly(6.0), exam=date(2026, 12, 9))
    assert (hopeless.verdict, hopeless.suggestion) == (Verdict.AT_RISK, Suggestion.MOVE_DATE)
    # 14 weeks at 6 h/week covers 70 h: on track.
    fine = pace(weekly(6.0), exam=date(2027, 3, 3))
    assert fine.verdict is Verdict.ON_TRACK
    assert fine.streak_weeks == 5


def test_a_plan_that_cannot_make_the_date_is_at_risk_even_when_kept() -> None:
    """Issue 12's case: 3 h a week planned and kept, 150 h needed, 8 weeks left."""
    now = NOW
    kept = plan_of(
        goal(
            exam=(now + timedelta(weeks=8)).date(),
            planned=3,
            started=now - timedelta(weeks=4),
            hours=(150, 150),
        ),
        History(SEOUL, weekly(3.0, 4)),
        now,
    )
    assert kept.behind_by <= 0  # the plan itself was kept
    # 138 h in the 57 days from yesterday's log.
    assert kept.verdict is Verdict.AT_RISK and kept.needed_per_week == 16.9


def test_three_idle_weeks_put_a_goal_at_risk_whatever_the_date() -> None:
    old = logs((NOW - timedelta(days=30), 10.0), (NOW - timedelta(days=10), 0.0))
    plan = pace(old, exam=date(2027, 6, 1))
    assert (plan.verdict, plan.suggestion) == (Verdict.AT_RISK, Suggestion.RESTART_SMALL)


def test_without_a_date_the_habit_is_judged_and_booking_is_suggested_near_the_end() -> None:
    near_done = pace(weekly(18.0), exam=None, planned=6)  # 90 h of 100: ten more hours at 18 h/week
    assert near_done.weeks_left is None and near_done.needed_per_week is None
    assert near_done.projected_weeks == pytest.approx(10 / 18, abs=0.1)
    assert (near_done.verdict, near_done.suggestion) == (Verdict.ON_TRACK, Suggestion.BOOK_EXAM)
    assert pace(weekly(2.0), exam=None, planned=6).verdict is Verdict.AT_RISK


def test_a_new_goal_is_judged_on_its_plan_and_a_past_exam_date_asks_for_the_result() -> None:
    fresh = pace((), exam=date(2027, 5, 26), started_days=2)
    assert fresh.recent_per_week is None
    assert fresh.verdict is Verdict.ON_TRACK  # 100 h in 26 weeks at a planned 6 h/week
    passed_date = pace(weekly(6.0), exam=date(2026, 11, 20))
    assert (passed_date.phase, passed_date.suggestion) == (Phase.RESULT_DUE, Suggestion.RECORD_RESULT)
    assert passed_date.options == ()


# -- behind or ahead, and the days that count ----------------------------------------------------------


def test_a_weekly_check_in_is_not_behind_the_moment_it_arrives() -> None:
    """Logging once a week at the check-in: the week since the last log is not due before it is logged."""
    started = at("2026-11-03T09:00+09:00")  # a Tuesday
    history = logs((at("2026-11-10T09:05+09:00"), 5.0), (at("2026-11-17T09:05+09:00"), 5.0))
    check_in = at("2026-11-24T09:00+09:00")
    plan = plan_of(goal(exam=None, planned=5, started=started), History(SEOUL, history), check_in)
    assert plan.behind_by == 0.0 and position(plan, EN) == "on pace with your plan"
    # A week later with still nothing logged, that week is due.
    later = plan_of(
        goal(exam=None, planned=5, started=started), History(SEOUL, history), check_in + timedelta(days=7)
    )
    assert later.behind_by == 5.0 and position(later, EN) == "5 h behind your plan"


def test_paused_skipped_and_holiday_weeks_do_not_count_against_the_plan() -> None:
    started = at("2026-11-02T09:00+09:00")  # a Monday
    now = at("2026-12-07T09:00+09:00")  # five weeks later, nothing logged
    plain = plan_of(goal(exam=None, planned=7, started=started), History(SEOUL), now)
    assert plain.behind_by == 28.0  # the four weeks before the week's grace
    excused = History(
        SEOUL,
        slots=(
            Slot(at("2026-11-10T09:00+09:00"), "skipped", "user"),
            Slot(at("2026-11-17T09:00+09:00"), "skipped", "holiday"),
        ),
        pauses=(Pause(date(2026, 11, 23), date(2026, 11, 30)),),
    )
    plan = plan_of(goal(exam=None, planned=7, started=started), excused, now)
    # The check-in skipped on 10 November excuses the week it asked about (3-9 November); with the holiday week
    # and the paused week, only seven days counted: 2 and 10-15 November.
    assert plan.behind_by == 7.0
    excuses = [week.excuse for week in plan.weeks]
    assert excuses == [Excuse.SKIPPED, None, Excuse.HOLIDAY, Excuse.PAUSED, None, None]
    assert [week.planned for week in plan.weeks] == [1.0, 6.0, 0.0, 0.0, 7.0, 1.0]


def test_our_own_downtime_keeps_the_streak_but_not_the_hours() -> None:
    started = at("2026-11-02T09:00+09:00")
    history = History(
        SEOUL,
        logs=logs((at("2026-11-03T20:00+09:00"), 2.0), (at("2026-11-17T20:00+09:00"), 2.0)),
        slots=(Slot(at("2026-11-10T09:00+09:00"), "missed", "downtime"),),
    )
    plan = plan_of(goal(exam=None, planned=2, started=started), history, at("2026-11-18T09:00+09:00"))
    assert plan.streak_weeks == 2
    assert plan.weeks[1].excuse is None and plan.weeks[1].planned == 2.0


def test_each_week_is_measured_against_the_plan_in_force_and_a_re_plan_starts_a_fresh_account() -> None:
    started = at("2026-11-02T09:00+09:00")
    raised = Change(at("2026-11-16T09:00+09:00"), "raise", 10, None, 5, None)
    history = History(SEOUL, logs((at("2026-11-09T09:00+09:00"), 1.0)))
    now = at("2026-11-30T09:00+09:00")
    plan = plan_of(goal(exam=None, planned=10, started=started, changes=(raised,)), history, now)
    assert [week.planned for week in plan.weeks] == [5.0, 5.0, 10.0, 10.0, 1.43]  # today so far
    # The 4 h behind before the re-plan are not carried: one week of the new plan is due (the latest week is
    # still within its grace), nothing has been logged since.
    assert plan.behind_by == 10.0
    kept = Change(at("2026-11-16T09:00+09:00"), "keep", 5, None, 5, None)
    keeping = plan_of(goal(exam=None, planned=5, started=started, changes=(kept,)), history, now)
    assert keeping.behind_by == 14.0  # "keep the plan" starts nothing afresh


def test_four_days_before_the_exam_it_says_days_not_zero_weeks() -> None:
    plan = pace(weekly(6.0), exam=(NOW + timedelta(days=4)).date())
    assert plan.phase is Phase.FINAL and plan.days_left == 4
    assert time_left(plan, EN) == "4 days left"
    assert time_left(pace(weekly(6.0), exam=(NOW + timedelta(days=20)).date()), EN) == "2.9 weeks left"
    assert time_left(pace(weekly(6.0), exam=NOW.date()), EN) == "today"


@pytest.mark.parametrize(
    ("score", "readiness", "verdict", "move_offered"),
    [
        (85.0, Readiness.READY, Verdict.ON_TRACK, False),
        (74.0, Readiness.CLOSE, Verdict.ON_TRACK, False),
        (60.0, Readiness.BELOW, Verdict.AT_RISK, True),
    ],
)
def test_in_the_last_two_weeks_the_practice_score_against_the_pass_mark_decides(
    score: float, readiness: Readiness, verdict: Verdict, move_offered: bool
) -> None:
    """Never "move the exam" four days out with a practice score above the pass mark."""
    history = (*weekly(3.0, 4), Log(1, NOW - timedelta(hours=2), 1.0, (), score, "cost"))
    plan = plan_of(
        goal(
            exam=(NOW + timedelta(days=4)).date(), planned=3, started=NOW - timedelta(weeks=5), pass_mark=72.0
        ),
        History(SEOUL, history),
        NOW,
    )
    assert (plan.readiness, plan.verdict, plan.suggestion) == (readiness, verdict, Suggestion.LAST_WEEKS)
    assert any(o.kind is OptionKind.MOVE for o in plan.options) is move_offered


def test_a_recorded_result_closes_the_exam_date() -> None:
    exam = (NOW - timedelta(days=3)).date()
    failed = Result(False, exam, NOW - timedelta(days=1))
    plan = plan_of(goal(exam=exam, started=NOW - timedelta(weeks=6), results=(failed,)), History(SEOUL), NOW)
    assert plan.phase is Phase.NO_DATE


# -- re-planning -----------------------------------------------------------------------------------------


def test_re_plan_options_raise_to_what_makes_the_date_or_move_it_at_the_pace_kept() -> None:
    plan = pace(weekly(3.0), exam=date(2027, 2, 3), planned=5)  # 85 h left in 10 weeks, 3 h a week kept
    raise_to, move, keep = plan.options
    assert (raise_to.kind, raise_to.weekly_hours, raise_to.exam_date) == (
        OptionKind.RAISE,
        8.5,
        date(2027, 2, 3),
    )
    assert (move.kind, move.weekly_hours) == (OptionKind.MOVE, 3.0)
    assert move.exam_date == NOW.date() + timedelta(weeks=29)  # 85 h at 3 h a week
    assert keep.kind is OptionKind.KEEP
    # Choosing "raise" puts a plan in force under which the date is no longer at risk.
    raised = Change(NOW, "raise", 8.5, date(2027, 2, 3), 5, date(2027, 2, 3))
    after = plan_of(
        goal(exam=date(2027, 2, 3), planned=8.5, started=NOW - timedelta(days=35), changes=(raised,)),
        History(SEOUL, weekly(3.0)),
        NOW + timedelta(minutes=1),
    )
    assert after.behind_by == 0.0 and after.needed_per_week is not None and after.needed_per_week <= 8.5


def test_keeping_the_plan_is_remembered_for_two_weeks() -> None:
    kept = Change(NOW - timedelta(days=3), "keep", 5, date(2027, 2, 3), 5, date(2027, 2, 3))
    plan = plan_of(
        goal(exam=date(2027, 2, 3), planned=5, started=NOW - timedelta(days=35), changes=(kept,)),
        History(SEOUL, weekly(3.0)),
        NOW,
    )
    assert plan.verdict is Verdict.AT_RISK and plan.options == ()


def test_no_offer_while_on_track() -> None:
    assert pace(weekly(6.0), exam=date(2027, 3, 3)).options == ()


# -- the streak ------------------------------------------------------------------------------------------


def _slot(week: int, status: str = "sent", *, answered: bool = False, reason: str | None = None) -> Slot:
    slot_at = datetime(2027, 1, 5, tzinfo=UTC) + timedelta(weeks=week)
    return Slot(slot_at, status, reason, slot_at + timedelta(hours=2) if answered else None)


def test_streaks_count_answered_or_logged_weeks_and_forgive_skips_pauses_holidays_and_our_downtime() -> None:
    now = datetime(2027, 1, 27, tzinfo=UTC)  # week 3, still open

    def count(*slots: Slot, pauses: tuple[Pause, ...] = (), logged: tuple[Log, ...] = ()) -> int:
        return streak(History(SEOUL, logged, slots, pauses), now)

    assert count(*(_slot(n, answered=True) for n in range(3))) == 3
    assert count(_slot(0, answered=True), _slot(1, "skipped", reason="user"), _slot(2, answered=True)) == 2
    assert count(_slot(0, answered=True), _slot(1, "skipped", reason="holiday"), _slot(2, answered=True)) == 2
    assert count(_slot(0, answered=True), _slot(1, "missed", reason="downtime"), _slot(2, answered=True)) == 2
    paused = (Pause(date(2027, 1, 11), date(2027, 1, 18)),)
    assert count(_slot(0, answered=True), _slot(2, answered=True), pauses=paused) == 2
    assert count(_slot(0, answered=True), _slot(1), _slot(2, answered=True)) == 1  # a silent week ends it
    studied = logs((at("2027-01-14T20:00+09:00"), 1.0))  # a log counts the week as an answer does
    assert count(_slot(0, answered=True), _slot(1), _slot(2, answered=True), logged=studied) == 3
    # Two check-ins answered in one week are one week.
    assert count(_slot(2, answered=True), Slot(_slot(2).slot_at + timedelta(days=1), "sent", None, now)) == 1
