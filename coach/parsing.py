"""Reading numbers, dates and times out of what people type, in English and Korean.

These are the readers the flows use today. :mod:`coach.understanding` has the typed readers that replace
them (``parse_when``, ``parse_time_of_day`` with ambiguity instead of a silent 09:00 for "9시"); the
flows move to those when they are wired to the shared questions.
"""

from __future__ import annotations

import re
from datetime import date, time

from coach.understanding.text import clean

_INT = re.compile(r"^\s*([+-]?\d{1,6})\s*(?:years?|yrs?|y|년|년차|년 ?정도)?\s*$", re.IGNORECASE)
_DATE = re.compile(r"^\s*(\d{4})\s*[-./년]\s*(\d{1,2})\s*[-./월]\s*(\d{1,2})\s*일?\s*$")
_YEAR = re.compile(r"^\s*(\d{4})\s*년?\s*$")
__all__ = ["clean", "parse_clock", "parse_date", "parse_int", "parse_year"]

_CLOCK = re.compile(
    r"^\s*(?P<ampm1>오전|오후|am|pm)?\s*(?P<hour>\d{1,2})\s*(?:(?::|시\s*|h)\s*(?P<minute>\d{1,2})?\s*분?)?"
    r"\s*(?P<ampm2>am|pm|a\.m\.|p\.m\.)?\s*$",
    re.IGNORECASE,
)


def parse_int(text: str) -> int | None:
    match = _INT.match(clean(text))
    return int(match.group(1)) if match else None


def parse_date(text: str) -> date | None:
    """``2030-06-30``, ``2030.6.30``, ``2030년 6월 30일``; ``None`` if it is not a real date."""
    match = _DATE.match(clean(text))
    if not match:
        return None
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def parse_year(text: str) -> int | None:
    match = _YEAR.match(clean(text))
    return int(match.group(1)) if match else None


def parse_clock(text: str) -> time | None:
    """``9``, ``09:30``, ``9pm``, ``21시``, ``오후 9시 30분``; ``None`` if it is not a time of day."""
    match = _CLOCK.match(clean(text))
    if not match:
        return None
    hour = int(match.group("hour"))
    minute = int(match.group("minute") or 0)
    marker = (match.group("ampm1") or match.group("ampm2") or "").lower().replace(".", "")
    if marker:
        if not 1 <= hour <= 12:
            return None
        afternoon = marker in ("pm", "오후")
        hour = hour % 12 + (12 if afternoon else 0)
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        return None
    return time(hour, minute)
