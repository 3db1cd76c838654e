"""Public holidays, for users who want no check-in on one: the ``holidays`` library, never a hand-made list.

A user's country is the one they chose in /settings; it is first offered from their time zone (through the
tz database's ``zone.tab``, so Asia/Seoul suggests Korea).
"""

from __future__ import annotations

from datetime import date
from functools import cache

import holidays
from babel import Locale

from coach.timezones import zone_country
from coach.understanding.text import clean

# Names people type that CLDR spells differently ("South Korea", "대한민국").
_ALIASES = {
    "korea": "KR",
    "한국": "KR",
    "남한": "KR",
    "usa": "US",
    "america": "US",
    "미국": "US",
    "uk": "GB",
    "britain": "GB",
    "영국": "GB",
    "일본": "JP",
}


@cache
def supported_countries() -> frozenset[str]:
    return frozenset(holidays.list_supported_countries())


@cache
def _holidays(country: str, year: int) -> holidays.HolidayBase:
    return holidays.country_holidays(country, years=year)


def is_public_holiday(country: str | None, day: date) -> bool:
    if not country or country not in supported_countries():
        return False
    return day in _holidays(country, day.year)


@cache
def _named(country: str, year: int, language: str) -> holidays.HolidayBase:
    return holidays.country_holidays(country, years=year, language=language)


def holiday_name(country: str | None, day: date, language: str) -> str | None:
    """The holiday's name in ``language`` (Korean or English when the library has it), or ``None``."""
    if not is_public_holiday(country, day):
        return None
    assert country is not None
    supported = getattr(holidays.country_holidays(country), "supported_languages", ())
    wanted = "ko" if language == "ko" else "en_US"
    name = _named(country, day.year, wanted if wanted in supported else "").get(day)
    return str(name) if name else None


def country_for_timezone(zone: str) -> str | None:
    """The country whose holidays a user in ``zone`` most likely keeps, if the library knows it."""
    code = zone_country(zone)
    return code if code in supported_countries() else None


def country_name(code: str, language: str) -> str:
    return str(Locale.parse(language).territories.get(code, code))


@cache
def _names() -> dict[str, str]:
    index = {}
    for language in ("en", "ko"):
        for code, name in Locale.parse(language).territories.items():
            if code in supported_countries():
                index[clean(str(name)).casefold()] = code
    return index | _ALIASES


def parse_country(text: str) -> str | None:
    """A country code from what a user typed ("KR", "kr", "Korea", "대한민국"), if it has holiday data."""
    typed = clean(text)
    if len(typed) == 2 and typed.upper() in supported_countries():
        return typed.upper()
    return _names().get(typed.casefold())
