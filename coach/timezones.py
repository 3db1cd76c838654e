"""Understanding what a user types for a time zone: an IANA name, a city, a country or a UTC offset.

City and country names come from CLDR (through Babel) in English and Korean, and the country of each zone
from the tz database's ``zone.tab``, so "Seoul", "서울", "대한민국" and "Asia/Seoul" all mean Asia/Seoul.
Any other city of 15,000 people or more ("부산", "Busan", "Daegu", "Osaka") is looked up in GeoNames
(:mod:`coach.city_zones`). An answer is accepted only when it names one zone; otherwise the candidates are
offered.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from importlib import resources
from zoneinfo import ZoneInfo, available_timezones

from babel import Locale
from babel.dates import get_timezone_location

from coach.city_zones import zones_for_city

_OFFSET = re.compile(r"^(?:utc|gmt)?\s*([+-−])\s*(\d{1,2})(?::?(\d{2}))?$", re.IGNORECASE)
_ALIASES = {
    "kst": "Asia/Seoul",
    "한국": "Asia/Seoul",
    "korea": "Asia/Seoul",
    "south korea": "Asia/Seoul",
    "한국 시간": "Asia/Seoul",
    "jst": "Asia/Tokyo",
    "utc": "UTC",
    "gmt": "UTC",
}
MAX_CANDIDATES = 6


@dataclass(frozen=True, slots=True)
class TimezoneGuess:
    """``zone`` when the text named one zone; else ``candidates`` to choose from (maybe none)."""

    zone: str | None = None
    candidates: tuple[str, ...] = ()
    fixed_offset: bool = False
    out_of_range: bool = False


def _normal(text: str) -> str:
    return " ".join(text.replace("_", " ").strip().lower().split())


@cache
def _zone_countries() -> dict[str, list[str]]:
    """Country code -> canonical zones, from the tz database shipped with tzdata."""
    countries: dict[str, list[str]] = defaultdict(list)
    text = resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        fields = line.split("\t")
        countries[fields[0]].append(fields[2])
    return dict(countries)


@cache
def _names() -> dict[str, tuple[str, ...]]:
    """Every name a user might type (lower-case) -> the zones it could mean."""
    index: dict[str, set[str]] = defaultdict(set)
    zones = _all_zones()
    for zone in zones:
        index[_normal(zone)].add(zone)
        index[_normal(zone.rsplit("/", 1)[-1])].add(zone)
    for code, country_zones in _zone_countries().items():
        for language in ("en", "ko"):
            territory = Locale.parse(language).territories.get(code)
            if territory:
                index[_normal(territory)].update(country_zones)
        for zone in country_zones:
            for language in ("en", "ko"):
                city = get_timezone_location(zone, locale=language, return_city=True)
                index[_normal(city)].add(zone)
    for alias, zone in _ALIASES.items():
        index[_normal(alias)] = {zone}
    return {name: tuple(sorted(found)) for name, found in index.items()}


def zone_country(zone: str) -> str | None:
    """The ISO country code ``zone.tab`` gives a zone ("Asia/Seoul" -> "KR"); ``None`` for UTC and the like."""
    for code, zones in _zone_countries().items():
        if zone in zones:
            return code
    return None


@cache
def _all_zones() -> frozenset[str]:
    """zoneinfo walks the tz database on every available_timezones() call: once is enough."""
    return frozenset(available_timezones())


def is_valid_timezone(name: str) -> bool:
    return name in _all_zones()


def parse_timezone(text: str, *, now: datetime) -> TimezoneGuess:
    """What zone ``text`` means at ``now`` (an aware datetime, used to match UTC offsets)."""
    cleaned = text.strip()
    if not cleaned or len(cleaned) > 64:
        return TimezoneGuess()
    offset = _OFFSET.match(cleaned)
    if offset:
        return _from_offset(offset.group(1), int(offset.group(2)), int(offset.group(3) or 0), now)
    found = _names().get(_normal(cleaned), ()) or zones_for_city(cleaned)
    if len(found) == 1:
        return TimezoneGuess(zone=found[0])
    return TimezoneGuess(candidates=found[:MAX_CANDIDATES])


def _from_offset(sign: str, hours: int, minutes: int, now: datetime) -> TimezoneGuess:
    if hours > 14 or minutes >= 60 or (hours == 14 and minutes):
        return TimezoneGuess(out_of_range=True)
    direction = -1 if sign in "-−" else 1
    if minutes == 0:
        # Etc/GMT zones count the other way round: UTC+9 is Etc/GMT-9.
        zone = "UTC" if hours == 0 else f"Etc/GMT{'-' if direction > 0 else '+'}{hours}"
        return TimezoneGuess(zone=zone, fixed_offset=hours != 0)
    wanted = timedelta(hours=hours, minutes=minutes) * direction
    matches = sorted(
        zone
        for zones in _zone_countries().values()
        for zone in zones
        if now.astimezone(ZoneInfo(zone)).utcoffset() == wanted
    )
    if len(matches) == 1:
        return TimezoneGuess(zone=matches[0])
    return TimezoneGuess(candidates=tuple(matches[:MAX_CANDIDATES]))


def describe(zone: str, language: str, now: datetime) -> str:
    """A zone as a person reads it: "Seoul (UTC+09:00)"."""
    local = now.astimezone(ZoneInfo(zone))
    offset = local.utcoffset() or timedelta()
    total = int(offset.total_seconds() // 60)
    sign = "+" if total >= 0 else "-"
    label = f"UTC{sign}{abs(total) // 60:02d}:{abs(total) % 60:02d}"
    if zone == "UTC" or zone.startswith("Etc/"):
        return label
    city = get_timezone_location(zone, locale=language, return_city=True)
    return f"{city} ({label})"
