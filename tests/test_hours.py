"""Study hours and scores typed the way people type them, in English and Korean."""

from __future__ import annotations

import pytest

from coach.hours import parse_hours, parse_score


@pytest.mark.parametrize(
    ("typed", "hours"),
    [
        ("1.5", 1.5),
        ("1,5", 1.5),
        ("90m", 1.5),
        ("90 min", 1.5),
        ("90분", 1.5),
        ("1h30", 1.5),
        ("1h 30m", 1.5),
        ("1:30", 1.5),
        ("2 hours", 2.0),
        ("about 3 hours", 3.0),
        ("an hour and a half", 1.5),
        ("half an hour", 0.5),
        ("two hrs", 2.0),
        ("2시간", 2.0),
        ("약 2시간", 2.0),
        ("한 시간", 1.0),
        ("한시간", 1.0),
        ("한시간 반", 1.5),
        ("1시간 30분", 1.5),
        ("한 시간 삼십분", 1.5),
        ("세시간", 3.0),
        ("３시간", 3.0),
        ("0", 0.0),
    ],
)
def test_durations_people_type_are_understood(typed: str, hours: float) -> None:
    assert parse_hours(typed) == pytest.approx(hours)


@pytest.mark.parametrize("typed", ["banana", "", "1-2", "1h75", "🙂", "DROP TABLE", "x" * 100])
def test_what_is_not_a_duration_is_not_guessed(typed: str) -> None:
    assert parse_hours(typed) is None


def test_a_minus_sign_is_kept_so_the_coach_can_refuse_it_kindly() -> None:
    assert parse_hours("-3") == -3.0
    assert parse_hours("-1.5h") == -1.5


@pytest.mark.parametrize(("typed", "score"), [("72", 72.0), ("72%", 72.0), ("72점", 72.0), ("36/50", 72.0)])
def test_scores_become_percentages(typed: str, score: float) -> None:
    assert parse_score(typed) == score


def test_scores_out_of_range_are_returned_for_the_caller_to_refuse() -> None:
    assert parse_score("101") == 101.0
    assert parse_score("-5") == -5.0
    assert parse_score("51/50") is None
    assert parse_score("5/0") is None
    assert parse_score("seventy") is None
