"""Times of day and weekly slots: "밤 9시" is 21:00, "9pm" too; "9시" alone could be morning or evening.

A time without a day part ("9시", "9", "9:30", "at 9") is :class:`~coach.understanding.results.Ambiguous`
unless the caller passes a ``hint`` (the user said 밤 or "evening" elsewhere, see :func:`day_part_in`).
A zero-padded hour ("07:30", "09시") or one past 12 ("21시", "21:00") is read as a 24-hour clock.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time
from enum import StrEnum

from coach.understanding.results import Ambiguous, NotUnderstood, Parsed, Reason, Understood
from coach.understanding.text import MAX_ANSWER_CHARS, normal


class DayPart(StrEnum):
    MORNING = "morning"
    AFTERNOON = "afternoon"
    EVENING = "evening"
    NIGHT = "night"


_PART_WORDS = {
    "오전": DayPart.MORNING,
    "아침": DayPart.MORNING,
    "새벽": DayPart.MORNING,
    "am": DayPart.MORNING,
    "a.m.": DayPart.MORNING,
    "a.m": DayPart.MORNING,
    "morning": DayPart.MORNING,
    "in the morning": DayPart.MORNING,
    "오후": DayPart.AFTERNOON,
    "낮": DayPart.AFTERNOON,
    "afternoon": DayPart.AFTERNOON,
    "in the afternoon": DayPart.AFTERNOON,
    "pm": DayPart.EVENING,
    "p.m.": DayPart.EVENING,
    "p.m": DayPart.EVENING,
    "저녁": DayPart.EVENING,
    "evening": DayPart.EVENING,
    "in the evening": DayPart.EVENING,
    "밤": DayPart.NIGHT,
    "night": DayPart.NIGHT,
    "at night": DayPart.NIGHT,
    "tonight": DayPart.NIGHT,
}
_PART = "|".join(re.escape(word) for word in sorted(_PART_WORDS, key=len, reverse=True))
_FILLER = re.compile(
    r"^(?:at|around|about|by|maybe|say|every day at|usually)\s+|"
    r"\s*(?:쯤|경|정도|즈음|에요|예요|이요|요|에|으로|로|께|입니다|이에요|please|ish)$|[.!~]+$"
)
_CLOCK = re.compile(
    rf"^(?:(?P<before>{_PART})\s*)?"
    r"(?P<hour>\d{1,2})"
    r"(?:\s*(?::|시|h|o'?clock)\s*(?:(?P<minute>\d{2}|(?<=시)\s*\d{1,2}|(?<=h)\d{1,2})\s*분?)?\s*(?P<half>반)?)?"
    rf"(?:\s*(?P<after>{_PART}))?$"
)
_NAMED = {
    "noon": time(12, 0),
    "midday": time(12, 0),
    "정오": time(12, 0),
    "midnight": time(0, 0),
    "자정": time(0, 0),
}
_HALF_PAST = re.compile(r"^half past (\d{1,2})(?:\s+(.+))?$")
_PART_ANYWHERE = re.compile(rf"(?<![a-z가-힣])(?:{_PART})(?![a-z])")


@dataclass(frozen=True, slots=True)
class WeeklyTime:
    """A weekly slot: ``weekday`` (0 = Monday) and/or ``at`` (a time of day); at least one is set.

    ``part`` is a day part said without an hour ("금요일 저녁"): the question can ask for the hour with it
    as the hint.
    """

    weekday: int | None
    at: time | None
    part: DayPart | None = None


def day_part_in(text: str) -> DayPart | None:
    """The day part a message mentions anywhere ("밤에 공부해요" -> night), to use as a ``hint`` later."""
    found = _PART_ANYWHERE.search(normal(text))
    return _PART_WORDS[found.group(0)] if found else None


def _with_part(hour: int, minute: int, part: DayPart) -> time | None:
    if not 1 <= hour <= 12:
        return time(hour, minute) if hour == 0 and part is DayPart.MORNING else None
    if part is DayPart.MORNING:
        return time(hour % 12, minute)
    if part is DayPart.AFTERNOON:
        return time(hour % 12 + 12, minute)
    if part is DayPart.EVENING:
        return time(0 if hour == 12 else hour + 12, minute)
    # night: 밤 9시 is 21:00, 밤 2시 is 02:00 (people say it of the small hours), 밤 12시 is midnight
    if hour == 12 or hour <= 4:
        return time(hour % 12, minute)
    return time(hour + 12, minute)


def _both(hour: int, minute: int) -> tuple[time, ...]:
    """The two readings of a 12-hour time, the likelier one first for a weekly slot."""
    if hour == 12:
        return (time(12, minute), time(0, minute))
    morning, evening = time(hour, minute), time(hour + 12, minute)
    return (morning, evening) if hour >= 7 else (evening, morning)


def _strip(text: str) -> str:
    previous = None
    while previous != text:
        previous, text = text, _FILLER.sub("", text).strip()
    return text


def parse_time_of_day(text: str, *, hint: DayPart | None = None) -> Parsed[time]:
    """A time of day in ``text``; ``hint`` settles "9시" when the user's day part is known."""
    normalized = _strip(normal(text))
    if not normalized:
        return NotUnderstood(Reason.EMPTY)
    if len(normalized) > MAX_ANSWER_CHARS:
        return NotUnderstood(Reason.TOO_LONG)
    if normalized in _NAMED:
        return Understood(_NAMED[normalized])
    half_past = _HALF_PAST.match(normalized)
    if half_past:
        normalized = f"{half_past.group(2) or ''} {half_past.group(1)}시 반".strip()
    match = _CLOCK.match(normalized)
    if not match:
        return NotUnderstood()
    return _read_clock(match, hint)


def _read_clock(match: re.Match[str], hint: DayPart | None) -> Parsed[time]:
    hour_text = match.group("hour")
    hour = int(hour_text)
    minute = 30 if match.group("half") else int(match.group("minute") or 0)
    if match.group("half") and match.group("minute"):
        return NotUnderstood()
    if minute > 59 or hour > 24:
        return NotUnderstood(Reason.OUT_OF_RANGE)
    words = [w for w in (match.group("before"), match.group("after")) if w]
    if len({_PART_WORDS[w] for w in words}) > 1:
        return NotUnderstood()  # "오전 9pm"
    if hour == 24:
        hour = 0
    if words:
        at = _with_part(hour, minute, _PART_WORDS[words[0]])
        return Understood(at) if at else NotUnderstood(Reason.OUT_OF_RANGE)
    if hour == 0 or hour > 12 or (len(hour_text) == 2 and hour_text.startswith("0")):
        return Understood(time(hour, minute))
    if hint is not None:
        at = _with_part(hour, minute, hint)
        if at is not None:
            return Understood(at)
    return Ambiguous(_both(hour, minute))


_KO_DAYS = ("월", "화", "수", "목", "금", "토", "일")
_EN_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_EN_SHORT = {
    "mon": 0,
    "tue": 1,
    "tues": 1,
    "wed": 2,
    "thu": 3,
    "thur": 3,
    "thurs": 3,
    "fri": 4,
    "sat": 5,
    "sun": 6,
}
_DAY_NAMES: dict[str, tuple[int, ...]] = {}
for _index, (_ko, _en) in enumerate(zip(_KO_DAYS, _EN_DAYS, strict=True)):
    for _name in (f"{_ko}요일", f"{_ko}욜", _en, _en + "s"):
        _DAY_NAMES[_name] = (_index,)
for _name, _index in _EN_SHORT.items():
    _DAY_NAMES[_name] = (_index,)
_DAY_NAMES.update({"주말": (5, 6), "weekend": (5, 6), "weekends": (5, 6)})
_DAY = re.compile(
    r"(?<![a-z가-힣])("
    + "|".join(sorted(_DAY_NAMES, key=len, reverse=True))
    + r")(?:마다|에는|에|은|는)?(?![a-z])"
)
_WEEKLY_FILLER = re.compile(
    r"(?<![a-z가-힣])(?:매주|매|every|each|on|at|마다|or|and|또는|이나|나|아니면|the|weekly)(?![a-z가-힣])|[,/]"
)


def parse_weekly_time(text: str, *, hint: DayPart | None = None) -> Parsed[WeeklyTime]:
    """A weekday and/or a time of day: "화요일 밤 9시", "Tuesdays at 9", "매주 화요일", "9pm"."""
    normalized = normal(text)
    if not normalized.strip():
        return NotUnderstood(Reason.EMPTY)
    if len(normalized) > MAX_ANSWER_CHARS:
        return NotUnderstood(Reason.TOO_LONG)
    days: list[int] = []
    for found in _DAY.finditer(normalized):
        days += [day for day in _DAY_NAMES[found.group(1)] if day not in days]
    rest = _strip(" ".join(_WEEKLY_FILLER.sub(" ", _DAY.sub(" ", normalized)).split()))
    times: tuple[time | None, ...] = (None,)
    part = _PART_WORDS.get(rest)
    if part is not None:
        rest = ""
    if rest:
        clock = parse_time_of_day(rest, hint=hint)
        if isinstance(clock, NotUnderstood):
            return clock
        times = (clock.value,) if isinstance(clock, Understood) else clock.candidates
    if not days and times == (None,) and part is None:
        return NotUnderstood()
    weekdays: list[int | None] = list(days) or [None]
    readings = tuple(WeeklyTime(day, at, part) for day in weekdays for at in times)
    return Understood(readings[0]) if len(readings) == 1 else Ambiguous(readings)
