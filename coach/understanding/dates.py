"""Dates and horizons, relative to the user's own today: "4개월 안에", "in 2 years", "2032년 6월",
"12월 10일", "June 13, 2027", "2030-06-30".

Our own rules read the common forms in microseconds; :mod:`dateparser` (which knows Korean) is asked only
when they fail and the text has words in it, with its settings tuned for speed and for the future. A
numeric date whose day and month could be swapped ("06/07/2027") is ambiguous, never guessed.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from functools import cache
from typing import Any

from coach.understanding.results import Ambiguous, NotUnderstood, Parsed, Reason, Understood
from coach.understanding.text import MAX_ANSWER_CHARS, normal


class Precision(StrEnum):
    DAY = "day"
    MONTH = "month"
    YEAR = "year"


@dataclass(frozen=True, slots=True)
class When:
    """A day, or a month or year (``first`` to ``last``); ``relative`` when said as "in 4 months".

    A horizon reads ``last`` ("by June 2032" is ready by June 30); an exam date with only a month
    known can ask for the day.
    """

    first: date
    last: date
    precision: Precision
    relative: bool = False


_MONTHS_EN = {
    name: index
    for index in range(1, 13)
    for name in (calendar.month_name[index].lower(), calendar.month_abbr[index].lower())
}
_MONTHS_EN["sept"] = 9
_MONTH_EN = "(" + "|".join(sorted(_MONTHS_EN, key=len, reverse=True)) + r")\.?"
_FILLER = re.compile(
    r"^(?:by|in|on|until|till|before|around|about|the end of|end of|ready by|at)\s+|"
    r"\s*(?:까지|쯤|경|정도|즈음|에|이요|요|입니다|이에요|예요|에요|전에|전후)$|[.!~]+$"
)
_FULL = re.compile(r"^(\d{4})\s*[-./년]\s*(\d{1,2})\s*[-./월]\s*(\d{1,2})\s*일?$")
_YEAR_MONTH = re.compile(r"^(\d{4})\s*(?:년\s*|[-./]\s*)(\d{1,2})\s*월?(?:\s*(?:말|초|중순))?$")
_KO_MONTH_DAY = re.compile(
    r"^(?:(올해|내년|내후년)\s*)?(\d{1,2})\s*월\s*(?:(\d{1,2})\s*일)?(?:\s*(?:말|초|중순))?$"
)
_YEAR = re.compile(
    r"^(\d{4})\s*년?(?:\s*(?:말|초|중반|상반기|하반기))?$|^(?:end of|early|late|mid)\s*(\d{4})$"
)
_EN_MDY = re.compile(rf"^{_MONTH_EN}\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s*(\d{{4}}))?$")
_EN_DMY = re.compile(rf"^(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH_EN}(?:,?\s*(\d{{4}}))?$")
_EN_MY = re.compile(rf"^(?:(next|this)\s+)?{_MONTH_EN}(?:,?\s*(\d{{4}}))?$")
_NUMERIC = re.compile(r"^(\d{1,2})\s*/\s*(\d{1,2})(?:\s*/\s*(\d{4}))?$")
_UNITS = {
    "년": "year",
    "years": "year",
    "year": "year",
    "yrs": "year",
    "개월": "month",
    "달": "month",
    "months": "month",
    "month": "month",
    "주": "week",
    "주일": "week",
    "weeks": "week",
    "week": "week",
    "일": "day",
    "days": "day",
    "day": "day",
}
_UNIT = "(" + "|".join(sorted(_UNITS, key=len, reverse=True)) + ")"
_RELATIVE = re.compile(
    rf"^(?:in|within|about)?\s*(\d+(?:\.5)?)\s*{_UNIT}\s*(반)?\s*"
    r"(?:안에|안|이내에|이내|내에|내|후에|후|뒤에|뒤|있다가|from now|later|time|후쯤)?$"
)
_NAMED_YEARS = {"올해": 0, "금년": 0, "this year": 0, "내년": 1, "next year": 1, "내후년": 2, "반년": -6}
_NAMED_MONTHS = {"이번 달": 0, "this month": 0, "다음 달": 1, "다음달": 1, "next month": 1}
_NAMED_DAYS = {"오늘": 0, "today": 0, "내일": 1, "tomorrow": 1, "모레": 2, "내일모레": 2, "글피": 3}
_WORDY = re.compile(r"[a-z가-힣]")


def parse_when(text: str, *, today: date, now: datetime | None = None) -> Parsed[When]:
    """A date or horizon in ``text``, counted from the user's local ``today`` (``now``: their local time)."""
    normalized = normal(text)
    if not normalized:
        return NotUnderstood(Reason.EMPTY)
    if len(normalized) > MAX_ANSWER_CHARS:
        return NotUnderstood(Reason.TOO_LONG)
    previous = None
    while previous != normalized:
        previous, normalized = normalized, _FILLER.sub("", normalized).strip()
    try:
        found = _own_rules(normalized, today)
    except ValueError:  # 2030-02-30, month 13
        return NotUnderstood(Reason.OUT_OF_RANGE)
    if found is not None:
        return found
    if _WORDY.search(normalized) and not normalized.isdigit():
        return _with_dateparser(normalized, now or datetime.combine(today, datetime.min.time()))
    return NotUnderstood()


def _own_rules(text: str, today: date) -> Parsed[When] | None:
    for rule in (_full, _year_month, _ko_month_day, _year, _english, _numeric, _relative, _named):
        result = rule(text, today)
        if result is not None:
            return result
    return None


def _day(value: date) -> Understood[When]:
    return Understood(When(value, value, Precision.DAY))


def _month(year: int, month: int) -> Understood[When]:
    last = calendar.monthrange(year, month)[1]
    return Understood(When(date(year, month, 1), date(year, month, last), Precision.MONTH))


def _year_of(year: int) -> Understood[When]:
    return Understood(When(date(year, 1, 1), date(year, 12, 31), Precision.YEAR))


def _full(text: str, today: date) -> Parsed[When] | None:
    match = _FULL.match(text)
    return _day(date(int(match[1]), int(match[2]), int(match[3]))) if match else None


def _year_month(text: str, today: date) -> Parsed[When] | None:
    match = _YEAR_MONTH.match(text)
    return _month(int(match[1]), int(match[2])) if match else None


def _next_month_day(month: int, day: int | None, today: date, years_ahead: int | None) -> Parsed[When]:
    year = today.year + (years_ahead or 0)
    if years_ahead is None and (month, day or 31) < (today.month, today.day if day else 1):
        year += 1
    return _day(date(year, month, day)) if day else _month(year, month)


def _ko_month_day(text: str, today: date) -> Parsed[When] | None:
    match = _KO_MONTH_DAY.match(text)
    if not match:
        return None
    ahead = {"올해": 0, "내년": 1, "내후년": 2}.get(match[1] or "")
    return _next_month_day(int(match[2]), int(match[3]) if match[3] else None, today, ahead)


def _year(text: str, today: date) -> Parsed[When] | None:
    match = _YEAR.match(text)
    if not match:
        return None
    year = int(match[1] or match[2])
    return _year_of(year) if 1900 <= year <= 9999 else NotUnderstood(Reason.OUT_OF_RANGE)


def _english(text: str, today: date) -> Parsed[When] | None:
    match = _EN_MDY.match(text)
    if match:
        month, day, year = _MONTHS_EN[match[1]], int(match[2]), match[3]
        return _day(date(int(year), month, day)) if year else _next_month_day(month, day, today, None)
    match = _EN_DMY.match(text)
    if match:
        day, month, year = int(match[1]), _MONTHS_EN[match[2]], match[3]
        return _day(date(int(year), month, day)) if year else _next_month_day(month, day, today, None)
    match = _EN_MY.match(text)
    if match:
        month = _MONTHS_EN[match[2]]
        if match[3]:
            return _month(int(match[3]), month)
        ahead = 1 if match[1] == "next" and month <= today.month else None
        return _next_month_day(month, None, today, ahead if ahead else (0 if match[1] == "this" else None))
    return None


def _numeric(text: str, today: date) -> Parsed[When] | None:
    match = _NUMERIC.match(text)
    if not match:
        return None
    first, second = int(match[1]), int(match[2])
    readings: list[tuple[int, int]] = []
    for month, day in ((first, second), (second, first)):
        if (
            1 <= month <= 12
            and 1 <= day <= calendar.monthrange(2024, month)[1]
            and (month, day) not in readings
        ):
            readings.append((month, day))
    if not readings:
        return NotUnderstood(Reason.OUT_OF_RANGE)
    whens = []
    for month, day in readings:
        result = (
            _day(date(int(match[3]), month, day)) if match[3] else _next_month_day(month, day, today, None)
        )
        if isinstance(result, Understood):
            whens.append(result.value)
    return Understood(whens[0]) if len(whens) == 1 else Ambiguous(tuple(whens))


def _add_months(today: date, months: int) -> date:
    year, month = divmod(today.month - 1 + months, 12)
    year += today.year
    return date(year, month + 1, min(today.day, calendar.monthrange(year, month + 1)[1]))


def _relative(text: str, today: date) -> Parsed[When] | None:
    match = _RELATIVE.match(text)
    if not match:
        return None
    amount = float(match[1]) + (0.5 if match[3] else 0.0)
    unit = _UNITS[match[2]]
    if unit == "year" and amount >= 1000:
        return None  # "2030년" is a year, read by _year
    if amount <= 0 or amount > (100 if unit in ("year", "month") else 1000):
        return NotUnderstood(Reason.OUT_OF_RANGE)
    if unit in ("year", "month"):
        months = round(amount * (12 if unit == "year" else 1))
        target = _add_months(today, months)
        precision = Precision.YEAR if unit == "year" and amount == int(amount) else Precision.MONTH
    else:
        target = today + timedelta(days=round(amount * (7 if unit == "week" else 1)))
        precision = Precision.DAY
    return Understood(When(target, target, precision, relative=True))


def _named(text: str, today: date) -> Parsed[When] | None:
    if text in _NAMED_YEARS:
        ahead = _NAMED_YEARS[text]
        if ahead < 0:
            target = _add_months(today, -ahead)
            return Understood(When(target, target, Precision.MONTH, relative=True))
        return _year_of(today.year + ahead)
    if text in _NAMED_DAYS:
        return _day(today + timedelta(days=_NAMED_DAYS[text]))
    if text in _NAMED_MONTHS:
        target = _add_months(today.replace(day=1), _NAMED_MONTHS[text])
        return _month(target.year, target.month)
    return None


@cache
def _parser() -> Any:
    from dateparser.date import DateDataParser

    settings = {"PREFER_DATES_FROM": "future", "RETURN_AS_TIMEZONE_AWARE": False, "STRICT_PARSING": False}
    return DateDataParser(languages=["ko", "en"], settings=settings)


_PERIODS = {"day": Precision.DAY, "week": Precision.DAY, "month": Precision.MONTH, "year": Precision.YEAR}


def _with_dateparser(text: str, now: datetime) -> Parsed[When]:
    base = now.replace(tzinfo=None)
    parser = _parser()
    parser._settings.RELATIVE_BASE = base  # one parser (its language data loads once); today moves on
    data = parser.get_date_data(text)
    if data.date_obj is None:
        return NotUnderstood()
    found = data.date_obj.date()
    precision = _PERIODS.get(data.period or "day", Precision.DAY)
    if precision is Precision.MONTH:
        return _month(found.year, found.month)
    if precision is Precision.YEAR:
        return _year_of(found.year)
    return _day(found)
