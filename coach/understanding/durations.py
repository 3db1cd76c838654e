"""Durations and weekly rates: "90분", "한 시간 반", "1h30", "6 hours a week", "주 6시간".

The sign is kept ("-3" reads as -3 hours), so a question can refuse it kindly rather than re-ask. A bare
number is hours: this reader is used where hours are asked for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from coach.understanding.results import NotUnderstood, Parsed, Reason, Understood
from coach.understanding.text import MAX_ANSWER_CHARS, clean, normal


class Per(StrEnum):
    DAY = "day"
    WEEK = "week"


@dataclass(frozen=True, slots=True)
class Duration:
    """``hours`` (a fraction for minutes), and ``per`` when it was said as a rate ("a week")."""

    hours: float
    per: Per | None = None


_FILLER = re.compile(
    r"\b(?:about|around|roughly|approx\.?|maybe|just|only|for|of study|studying)\b|약|대략|정도|쯤|가량|"
    r"공부했어요|했어요|했음|했다|씩|이요|요$"
)
_RATES = (
    (re.compile(r"(?:\ba|\bper|\beach|\bevery|/)\s*(?:week|wk)\b|\bweekly\b|\bweekly\b"), Per.WEEK),
    (
        re.compile(
            r"^(?:주당|주|매주|일주일에|1주일에|1 주일에|한 주에|1 주에)\s*|\s*(?:씩)?\s*(?:주당|매주)$"
        ),
        Per.WEEK,
    ),
    (re.compile(r"(?:\ba|\bper|\beach|\bevery|/)\s*day\b|\bdaily\b"), Per.DAY),
    (re.compile(r"^(?:하루에|하루|매일|1일)\s*|\s*(?:씩)?\s*매일$"), Per.DAY),
)
_NUMBER = r"\d+(?:\.\d+)?"
_PLAIN = re.compile(rf"^({_NUMBER})$")
_CLOCK = re.compile(r"^(\d{1,3}):([0-5]\d)$")
_UNITS = re.compile(
    rf"^(?:(?P<hours>{_NUMBER})\s*(?:hours?|hrs?|h|시간)\s*(?:and\s*)?)?"
    r"(?P<half>반|a half)?\s*"
    rf"(?:(?P<minutes>{_NUMBER})\s*(?P<munit>minutes?|mins?|m|분)?)?$"
)
# A duration inside a longer sentence ("오늘 2시간 공부했어요", "studied 90 minutes"), for quick logs.
DURATION_IN_TEXT = re.compile(
    rf"(?<![\d.:/])(?:{_NUMBER}\s*(?:hours?|hrs?|h|시간)(?![a-z])(?:\s*(?:and\s*)?(?:반|\d{{1,2}}(?:\s*(?:minutes?|mins?|m|분))?(?![\d.a-z])))?"
    rf"|{_NUMBER}\s*(?:minutes?|mins?|분)(?![a-z])"
    r")"
)


def _prepare(text: str) -> tuple[str, int, Per | None]:
    text = clean(text).lower()
    per = None
    for pattern, rate in _RATES:
        text, count = pattern.subn(" ", text)
        if count:
            per = rate
            break
    text = _FILLER.sub(" ", normal(text).replace(",", ".")).strip()
    sign = 1
    if text.startswith(("-", "−", "minus ")):
        sign = -1
        text = text.lstrip("-−").removeprefix("minus ").strip()
    return " ".join(text.split()), sign, per


def parse_duration(text: str) -> Parsed[Duration]:
    """Hours (negative if the user typed a minus) and, if said, per day or per week."""
    if len(text) > MAX_ANSWER_CHARS:
        return NotUnderstood(Reason.TOO_LONG)
    prepared, sign, per = _prepare(text)
    if not prepared:
        return NotUnderstood(Reason.EMPTY if not text.strip() else Reason.UNREADABLE)
    hours = _hours(prepared)
    return NotUnderstood() if hours is None else Understood(Duration(sign * hours, per))


def _hours(normal_text: str) -> float | None:
    plain = _PLAIN.match(normal_text)
    if plain:
        return float(plain.group(1))
    clock = _CLOCK.match(normal_text)
    if clock:
        return int(clock.group(1)) + int(clock.group(2)) / 60
    units = _UNITS.match(normal_text)
    if not units or not (units.group("hours") or units.group("minutes") or units.group("half")):
        return None
    hours = float(units.group("hours") or 0)
    if units.group("half"):
        if units.group("hours") is None and units.group("minutes") is not None:
            return None  # "반 30분" is not a duration
        hours += 0.5
    minutes = units.group("minutes")
    if minutes is not None:
        if units.group("hours") is None and units.group("munit") is None:
            return None  # a bare number is handled above; "반 5" is not a duration
        if units.group("hours") is not None and float(minutes) >= 60:
            return None  # "1h75" is a typo, not 2h15
        hours += float(minutes) / 60
    return hours


def find_duration(text: str) -> Duration | None:
    """The first duration said inside a sentence ("오늘 두 시간 공부했어요" -> 2 h), or ``None``."""
    found = DURATION_IN_TEXT.search(normal(text))
    if found is None:
        return None
    result = parse_duration(found.group(0))
    return result.value if isinstance(result, Understood) else None
