"""Study pacing: weeks left (leap years included), ISO-week streaks in the user's zone (across DST and
year ends) and the weakest domain. The verdict is tested through the plan model (tests/test_plan.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from coach.pace import (
    Checkin,
    domain_shares,
    hours_by_week,
    streak_weeks,
    weakest_domain,
    week_of,
    weeks_until,
)

SEOUL = ZoneInfo("Asia/Seoul")
BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
DOMAINS = [("design", 0.3), ("security", 0.3), ("cost", 0.2), ("ops", 0.2)]


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def test_weeks_left_counts_the_leap_day() -> None:
    assert weeks_until(date(2028, 2, 1), date(2028, 2, 29)) == 4.0
    assert weeks_until(date(2028, 2, 22), date(2028, 3, 7)) == 2.0  # 7 days of February plus the 29th
    assert weeks_until(date(2027, 2, 22), date(2027, 3, 7)) == pytest.approx(13 / 7)


def test_a_checkin_on_the_leap_day_counts_for_its_iso_week() -> None:
    leap = at("2028-02-29T20:00+09:00")
    assert week_of(leap, SEOUL) == date(2028, 2, 28)
    weeks = hours_by_week([Checkin(leap, 3.0)], SEOUL, at("2028-03-02T12:00+09:00"), 2)
    assert weeks == [(date(2028, 2, 21), 0.0), (date(2028, 2, 28), 3.0)]


def test_a_sunday_evening_checkin_stays_in_its_week_across_the_autumn_dst_change() -> None:
    # Berlin leaves summer time at 03:00 on Sunday 25 October 2026. 23:30 that evening is 22:30 UTC:
    # still Sunday locally, although the summer offset (+2) would put it on Monday.
    sunday_night = datetime(2026, 10, 25, 22, 30, tzinfo=UTC)
    assert week_of(sunday_night, BERLIN) == date(2026, 10, 19)
    times = [
        at("2026-10-11T23:30+02:00"),  # summer time
        at("2026-10-18T23:30+02:00"),
        sunday_night,  # winter time from that morning
    ]
    assert streak_weeks(times, BERLIN, now=at("2026-10-27T09:00+01:00")) == 3
    # Bucketed with a fixed summer offset the last check-in would land in the new week: no such shift.
    weeks = hours_by_week([Checkin(t, 1.0) for t in times], BERLIN, at("2026-10-27T09:00+01:00"), 4)
    assert weeks == [
        (date(2026, 10, 5), 1.0),
        (date(2026, 10, 12), 1.0),
        (date(2026, 10, 19), 1.0),
        (date(2026, 10, 26), 0.0),  # this week: nothing yet
    ]


def test_streak_across_the_spring_dst_change_and_a_gap() -> None:
    # New York springs forward at 02:00 on Sunday 8 March 2026.
    times = [
        at("2026-02-22T10:00-05:00"),
        # no check-in in the week of 23 February: the streak restarts after it
        at("2026-03-07T22:00-05:00"),  # Saturday before the change
        at("2026-03-08T03:30-04:00"),  # Sunday, just after the change: same week
        at("2026-03-15T23:59-04:00"),
    ]
    assert streak_weeks(times, NEW_YORK, now=at("2026-03-16T08:00-04:00")) == 2
    # This week has no check-in yet, but it is not over: last week's streak still stands.
    assert streak_weeks(times, NEW_YORK, now=at("2026-03-20T08:00-04:00")) == 2
    # A whole week missed breaks it.
    assert streak_weeks(times, NEW_YORK, now=at("2026-03-23T08:00-04:00")) == 0


def test_streak_runs_over_the_year_end_through_iso_week_53() -> None:
    # 2026 has an ISO week 53 (28 December – 3 January).
    times = [at("2026-12-24T20:00+09:00"), at("2026-12-31T20:00+09:00"), at("2027-01-05T20:00+09:00")]
    assert week_of(times[1], SEOUL).isocalendar()[:2] == (2026, 53)
    assert streak_weeks(times, SEOUL, now=at("2027-01-06T09:00+09:00")) == 3


def test_weakest_domain_weighs_time_against_exam_weight_and_practice_flags() -> None:
    checkins = [
        Checkin(at("2026-11-02T20:00+09:00"), 6.0, ("design",)),
        Checkin(at("2026-11-09T20:00+09:00"), 4.0, ("design", "security")),
        Checkin(at("2026-11-16T20:00+09:00"), 2.0, ("cost",)),
    ]
    shares = {s.key: s for s in domain_shares(DOMAINS, checkins)}
    assert shares["design"].share == pytest.approx(8 / 12)
    assert shares["ops"].share == 0
    weakest = weakest_domain(list(shares.values()))
    assert weakest is not None and weakest.key == "ops"  # 20% of the exam, no time at all
    flagged = [*checkins, Checkin(at("2026-11-23T20:00+09:00"), 1.0, (), 64.0, "cost")]
    weakest = weakest_domain(domain_shares(DOMAINS, flagged))
    assert weakest is not None and weakest.key == "cost"  # the practice exam's lowest counts most
    assert weakest_domain(domain_shares(DOMAINS, [])) is None
