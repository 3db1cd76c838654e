"""Weekly slot math: DST in Berlin and New York, Seoul, public holidays, pauses, snoozes and catch-up."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from coach.schedule import (
    checkin_after_slot,
    next_checkin,
    next_weekly,
    pause_is_over,
    snooze_until,
)

MONDAY, TUESDAY, WEDNESDAY, FRIDAY, SATURDAY, SUNDAY = 0, 1, 2, 4, 5, 6


@dataclass
class Someone:
    timezone: str
    checkin_weekday: int | None
    checkin_hour: int | None
    checkin_minute: int = 0
    checkins_paused: bool = False
    paused_until: date | None = None
    holiday_country: str | None = None


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


def local(instant: datetime, zone: str) -> datetime:
    return instant.astimezone(ZoneInfo(zone))


@pytest.mark.parametrize(
    ("zone", "before", "after_change"),
    [
        # Berlin springs forward on Sunday 2027-03-28 and falls back on Sunday 2027-10-31.
        ("Europe/Berlin", utc(2027, 3, 21, 8), utc(2027, 3, 28, 7)),
        ("Europe/Berlin", utc(2027, 10, 24, 7), utc(2027, 10, 31, 8)),
        # New York springs forward on 2027-03-14 and falls back on 2027-11-07.
        ("America/New_York", utc(2027, 3, 7, 14), utc(2027, 3, 14, 13)),
        ("America/New_York", utc(2027, 10, 31, 13), utc(2027, 11, 7, 14)),
    ],
)
def test_a_nine_o_clock_check_in_stays_at_nine_across_dst(
    zone: str, before: datetime, after_change: datetime
) -> None:
    assert local(before, zone).hour == 9
    following = next_weekly(after=before, timezone=zone, weekday=SUNDAY, hour=9)
    assert following == after_change
    assert (local(following, zone).hour, local(following, zone).minute) == (9, 0)


@pytest.mark.parametrize(
    ("zone", "day", "expected"),
    [
        ("Europe/Berlin", date(2027, 3, 28), utc(2027, 3, 28, 1)),  # 02:30 does not exist: 03:00 CEST
        ("America/New_York", date(2027, 3, 14), utc(2027, 3, 14, 7)),  # 02:30 does not exist: 03:00 EDT
    ],
)
def test_a_local_time_skipped_by_spring_forward_is_sent_at_the_next_valid_minute(
    zone: str, day: date, expected: datetime
) -> None:
    slot = next_weekly(
        after=utc(2027, 3, 1), timezone=zone, weekday=SUNDAY, hour=2, minute=30, not_before=day
    )
    assert slot == expected
    assert f"{local(slot, zone):%H:%M}" == "03:00"


@pytest.mark.parametrize(
    ("zone", "hour", "first", "next_week"),
    [
        # 02:30 happens twice in Berlin on 2027-10-31 (CEST, then CET); 01:30 twice in New York on 2027-11-07.
        ("Europe/Berlin", 2, utc(2027, 10, 31, 0, 30), utc(2027, 11, 7, 1, 30)),
        ("America/New_York", 1, utc(2027, 11, 7, 5, 30), utc(2027, 11, 14, 6, 30)),
    ],
)
def test_a_local_time_that_happens_twice_in_fall_back_is_used_once(
    zone: str, hour: int, first: datetime, next_week: datetime
) -> None:
    slot = next_weekly(after=first - timedelta(days=1), timezone=zone, weekday=SUNDAY, hour=hour, minute=30)
    assert slot == first
    # The same wall-clock time an hour later is not a second slot: the next one is a week on.
    assert next_weekly(after=slot, timezone=zone, weekday=SUNDAY, hour=hour, minute=30) == next_week


def test_seoul_has_no_dst_and_nine_is_midnight_utc_all_year() -> None:
    slots = []
    after = utc(2027, 1, 1)
    for _ in range(53):
        after = next_weekly(after=after, timezone="Asia/Seoul", weekday=TUESDAY, hour=9)
        slots.append(after)
    assert all((s.hour, s.minute, local(s, "Asia/Seoul").weekday()) == (0, 0, TUESDAY) for s in slots)
    assert all(b - a == timedelta(weeks=1) for a, b in zip(slots, slots[1:], strict=False))


@pytest.mark.parametrize(
    ("weekday", "after", "holiday", "expected"),
    [
        (MONDAY, utc(2027, 2, 2), date(2027, 2, 8), date(2027, 2, 15)),  # 설날 (second day)
        (WEDNESDAY, utc(2027, 9, 9), date(2027, 9, 15), date(2027, 9, 22)),  # 추석
    ],
)
def test_korean_holidays_are_skipped_when_the_user_asks(
    weekday: int, after: datetime, holiday: date, expected: date
) -> None:
    plain = Someone("Asia/Seoul", weekday, 9)
    keeping = Someone("Asia/Seoul", weekday, 9, holiday_country="KR")
    slot = next_checkin(plain, after)
    assert slot is not None and local(slot, "Asia/Seoul").date() == holiday
    skipping = next_checkin(keeping, after)
    assert skipping is not None and local(skipping, "Asia/Seoul").date() == expected
    assert local(skipping, "Asia/Seoul").hour == 9


def test_holidays_of_another_country_do_not_skip_a_korean_holiday() -> None:
    american = Someone("Asia/Seoul", MONDAY, 9, holiday_country="US")
    slot = next_checkin(american, utc(2027, 2, 2))
    assert slot is not None and local(slot, "Asia/Seoul").date() == date(2027, 2, 8)


def test_pause_until_a_date_resumes_on_that_date_and_indefinite_pause_has_no_slot() -> None:
    paused = Someone("Europe/Berlin", FRIDAY, 18, checkins_paused=True, paused_until=date(2027, 1, 15))
    slot = next_checkin(paused, utc(2026, 12, 1))
    assert slot is not None and local(slot, "Europe/Berlin").date() == date(2027, 1, 15)
    assert pause_is_over(paused, slot)
    assert not pause_is_over(paused, slot - timedelta(days=7))
    forever = Someone("Europe/Berlin", FRIDAY, 18, checkins_paused=True)
    assert next_checkin(forever, utc(2026, 12, 1)) is None
    assert next_checkin(Someone("UTC", None, None), utc(2026, 12, 1)) is None


def test_snooze_an_hour_three_hours_or_until_tomorrow_at_the_usual_time_across_dst() -> None:
    berliner = Someone("Europe/Berlin", SATURDAY, 9)
    pressed = utc(2027, 3, 27, 8, 5)  # Saturday 09:05 CET
    assert snooze_until("1", pressed, berliner) == pressed + timedelta(hours=1)
    assert snooze_until("3", pressed, berliner) == pressed + timedelta(hours=3)
    tomorrow = snooze_until("tomorrow", pressed, berliner)
    assert local(tomorrow, "Europe/Berlin") == datetime(2027, 3, 28, 9, tzinfo=ZoneInfo("Europe/Berlin"))
    assert tomorrow - pressed == timedelta(hours=22, minutes=55)  # one hour fewer: the clocks went forward
    with pytest.raises(ValueError):
        snooze_until("forever", pressed, berliner)


def test_after_downtime_the_next_check_in_is_the_latest_inside_the_window_never_a_burst() -> None:
    seoul = Someone("Asia/Seoul", TUESDAY, 9)
    old_slot = utc(2027, 1, 5)  # Tuesday 09:00 KST, three weeks before "now"
    # Back 3 hours after the 2027-01-26 slot: that one goes out late; the weeks before are not sent.
    now = utc(2027, 1, 26, 3)
    assert checkin_after_slot(seoul, old_slot, now, timedelta(hours=12)) == utc(2027, 1, 26)
    # Back 20 hours after it: outside a 12-hour window, so the next check-in is next week's.
    later = utc(2027, 1, 26, 20)
    assert checkin_after_slot(seoul, old_slot, later, timedelta(hours=12)) == utc(2027, 2, 2)
    # On time: simply the following week.
    assert checkin_after_slot(seoul, utc(2027, 1, 26), utc(2027, 1, 26, 0, 1), timedelta(hours=12)) == utc(
        2027, 2, 2
    )
