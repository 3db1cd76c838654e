"""The readers of coach.understanding on the issue's examples and our own phrasings, Korean and English.

Every phrasing has the meaning it must get. A reader may fail to understand one (that lowers the rate,
which must stay at 95% or more), but it must never return a different meaning: a misread is silent, a
"not understood" makes the coach ask again.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from coach.understanding import (
    Ambiguous,
    DayPart,
    Duration,
    NotUnderstood,
    Parsed,
    Per,
    Precision,
    Reason,
    Score,
    Understood,
    WeeklyTime,
    When,
    day_part_in,
    language_of,
    parse_duration,
    parse_number,
    parse_place,
    parse_rating,
    parse_score,
    parse_time_of_day,
    parse_weekly_time,
    parse_when,
    parse_yes_no,
)
from tests.support import Talker
from tests.understanding_corpus import ISSUE_EXAMPLES, NONSENSE, OWN_PHRASINGS

TODAY = date(2026, 11, 25)
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def _one(value: object) -> object:
    if isinstance(value, time):
        return f"{value:%H:%M}"
    if isinstance(value, WeeklyTime):
        parts = [f"d{value.weekday}"] if value.weekday is not None else []
        parts += [f"{value.at:%H:%M}"] if value.at else ([str(value.part)] if value.part else [])
        return " ".join(parts)
    if isinstance(value, Duration):
        return value.hours if value.per is None else f"{value.hours:g}/{value.per}"
    if isinstance(value, When):
        if value.precision is Precision.YEAR and not value.relative:
            return str(value.first.year)
        if value.precision is Precision.MONTH and not value.relative:
            return f"{value.first:%Y-%m}"
        return value.last.isoformat()
    if isinstance(value, Score):
        if value.percent:
            return f"{value.value:g}%"
        return f"{value.value:g}" + (f"/{value.out_of:g}" if value.out_of else "")
    return value


def shown(result: Parsed[object]) -> object:
    """A result as the corpus writes it; ``None`` for "not understood"."""
    if isinstance(result, Understood):
        return _one(result.value)
    if isinstance(result, Ambiguous):
        return ("?", *(_one(candidate) for candidate in result.candidates))
    return None


def read(reader: str, text: str) -> Parsed[object]:
    readers = {
        "time": lambda: parse_time_of_day(text),
        "weekly": lambda: parse_weekly_time(text),
        "duration": lambda: parse_duration(text),
        "when": lambda: parse_when(text, today=TODAY, now=NOW.replace(tzinfo=None)),
        "place": lambda: parse_place(text, now=NOW),
        "score": lambda: parse_score(text),
        "rating": lambda: parse_rating(text),
        "yesno": lambda: parse_yes_no(text),
    }
    result: Parsed[object] = readers[reader]()
    return result


@pytest.mark.parametrize(("reader", "text", "expected"), ISSUE_EXAMPLES)
def test_every_example_of_the_issue_is_understood(reader: str, text: str, expected: object) -> None:
    assert shown(read(reader, text)) == expected


def test_our_own_phrasings_are_understood_and_none_is_misread() -> None:
    assert len(OWN_PHRASINGS) >= 150
    misread: list[tuple[str, object, object]] = []
    missed: list[str] = []
    for reader, text, expected in OWN_PHRASINGS:
        got = shown(read(reader, text))
        if got is None:
            missed.append(text)
        elif got != expected:
            misread.append((text, expected, got))
    assert not misread, f"read with a different meaning: {misread}"
    rate = 1 - len(missed) / len(OWN_PHRASINGS)
    assert rate >= 0.95, f"understood {rate:.1%}; not understood: {missed}"


@pytest.mark.parametrize(("reader", "text"), NONSENSE)
def test_what_is_not_an_answer_is_not_understood(reader: str, text: str) -> None:
    assert isinstance(read(reader, text), NotUnderstood)


def test_a_hint_settles_an_hour_without_a_day_part_and_only_then() -> None:
    assert parse_time_of_day("9시", hint=DayPart.NIGHT) == Understood(time(21, 0))
    assert parse_time_of_day("9시", hint=DayPart.MORNING) == Understood(time(9, 0))
    assert parse_time_of_day("오전 9시", hint=DayPart.NIGHT) == Understood(time(9, 0))  # said wins over hint
    assert parse_weekly_time("화요일 9시", hint=DayPart.EVENING) == Understood(WeeklyTime(1, time(21, 0)))
    assert isinstance(parse_time_of_day("9시"), Ambiguous)


def test_the_day_part_said_elsewhere_becomes_the_hint() -> None:
    assert day_part_in("저는 보통 밤에 공부해요") is DayPart.NIGHT
    assert day_part_in("I study in the evening after work") is DayPart.EVENING
    assert day_part_in("오전에 회의가 많아요") is DayPart.MORNING
    assert day_part_in("삼겹살 먹었어요") is None


def test_reasons_say_why_nothing_was_understood() -> None:
    assert parse_time_of_day("") == NotUnderstood(Reason.EMPTY)
    assert parse_duration("1" * 200) == NotUnderstood(Reason.TOO_LONG)
    assert parse_when("2030-02-30", today=TODAY) == NotUnderstood(Reason.OUT_OF_RANGE)
    assert parse_rating("7") == NotUnderstood(Reason.OUT_OF_RANGE)
    assert parse_place("+15:00", now=NOW) == NotUnderstood(Reason.OUT_OF_RANGE)


def test_a_month_is_a_range_and_a_horizon_reads_its_last_day() -> None:
    result = parse_when("2032년 6월", today=TODAY)
    assert result == Understood(When(date(2032, 6, 1), date(2032, 6, 30), Precision.MONTH))
    relative = parse_when("4개월 안에", today=TODAY)
    assert isinstance(relative, Understood) and relative.value.relative


def test_a_month_and_day_without_a_year_is_the_next_one() -> None:
    assert shown(parse_when("3월 1일", today=TODAY)) == "2027-03-01"
    assert shown(parse_when("11월 30일", today=TODAY)) == "2026-11-30"


def test_a_minus_is_kept_for_the_question_to_refuse_kindly() -> None:
    assert parse_duration("-3") == Understood(Duration(-3.0))
    assert parse_duration("주 6시간") == Understood(Duration(6.0, Per.WEEK))


def test_bare_numbers_are_told_from_answers_with_units() -> None:
    assert parse_number("3") == Understood(3.0)
    assert parse_number("３") == Understood(3.0)
    assert isinstance(parse_number("3 hours"), NotUnderstood)
    assert isinstance(parse_number("3시"), NotUnderstood)


def test_the_language_of_a_message() -> None:
    assert language_of("사표 낼까 봐요") == "ko"
    assert language_of("I want to quit") == "en"
    assert language_of("AWS 공부 2시간") == "ko"
    assert language_of("🙂 3") is None


def test_a_long_message_is_too_long_for_every_reader() -> None:
    text = "밤 9시 " * 2000
    for reader in ("time", "weekly", "duration", "when", "place", "score", "rating", "yesno"):
        assert not isinstance(read(reader, text), Understood)


async def test_onboarding_takes_busan_for_the_time_zone_as_its_prompt_suggests(minsu: Talker) -> None:
    """The settings prompt's own example, "부산", is a city GeoNames knows: Seoul's zone, no re-ask."""
    await minsu.command("start")
    await minsu.say("은행 IT 인프라 팀장")
    await minsu.say("22")
    await minsu.press(minsu.labels[0])
    await minsu.press(minsu.labels[1])
    await minsu.press(minsu.labels[1])
    await minsu.press("09:00")
    assert "부산" in minsu.text  # the question names it as an example
    await minsu.say("부산")
    assert "서울 (UTC+09:00)" in minsu.text
