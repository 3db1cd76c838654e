"""Free text turned into meaning, in Korean and English: pure functions, no I/O, typed results.

Readers for answers to questions return :data:`Parsed` results (:class:`Understood`, :class:`Ambiguous`
with candidates to ask about, or :class:`NotUnderstood` with a reason); :func:`read_moment` says what any
message is (crisis, an impulse to quit, a quick log, a snooze, a question, a note).
"""

from __future__ import annotations

from coach.understanding.answers import (
    Score,
    is_bare_number,
    parse_number,
    parse_rating,
    parse_score,
    parse_years,
    parse_yes_no,
)
from coach.understanding.dates import Precision, When, parse_when
from coach.understanding.durations import Duration, Per, find_duration, parse_duration
from coach.understanding.moments import (
    Crisis,
    Empty,
    Moment,
    MomentKind,
    Note,
    Question,
    QuickLog,
    QuitImpulse,
    Snooze,
    SnoozeUntil,
    Topic,
    command_named,
    is_small_talk,
    read_moment,
)
from coach.understanding.places import parse_place
from coach.understanding.results import Ambiguous, NotUnderstood, Parsed, Reason, Understood, understood_value
from coach.understanding.risk import is_crisis, is_quit_impulse
from coach.understanding.text import has_hangul, language_of
from coach.understanding.times import DayPart, WeeklyTime, day_part_in, parse_time_of_day, parse_weekly_time

__all__ = [
    "Ambiguous",
    "Crisis",
    "DayPart",
    "Duration",
    "Empty",
    "Moment",
    "MomentKind",
    "NotUnderstood",
    "Note",
    "Parsed",
    "Per",
    "Precision",
    "Question",
    "QuickLog",
    "QuitImpulse",
    "Reason",
    "Score",
    "Snooze",
    "SnoozeUntil",
    "Topic",
    "Understood",
    "WeeklyTime",
    "When",
    "command_named",
    "day_part_in",
    "find_duration",
    "has_hangul",
    "is_bare_number",
    "is_crisis",
    "is_quit_impulse",
    "is_small_talk",
    "language_of",
    "parse_duration",
    "parse_number",
    "parse_place",
    "parse_rating",
    "parse_score",
    "parse_time_of_day",
    "parse_weekly_time",
    "parse_yes_no",
    "parse_when",
    "parse_years",
    "read_moment",
    "understood_value",
]
