"""Reading study hours and exam scores out of what people type, in English and Korean.

Hours: "1.5", "1,5", "90m", "90분", "1h30", "1:30", "2 hours", "an hour and a half", "2시간", "한 시간",
"한시간 반", "1시간 30분", "삼십 분". The sign is kept, so a caller can tell "-3" (refuse kindly) from
nonsense (re-ask). Scores: "72", "72%", "72점", "36/50" (a fraction becomes a percentage).
"""

from __future__ import annotations

import re

from coach.parsing import clean

_NATIVE_KO = {
    "한": 1,
    "하나": 1,
    "두": 2,
    "둘": 2,
    "세": 3,
    "셋": 3,
    "석": 3,
    "네": 4,
    "넷": 4,
    "다섯": 5,
    "여섯": 6,
    "일곱": 7,
    "여덟": 8,
    "아홉": 9,
    "열": 10,
    "열한": 11,
    "열두": 12,
}
_SINO_KO = {"일": 1, "이": 2, "삼": 3, "사": 4, "오": 5, "육": 6, "칠": 7, "팔": 8, "구": 9}
_WORDS_EN = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
}
_FILLER = re.compile(
    r"\b(?:about|around|roughly|approx\.?|maybe|just|only)\b|약|대략|정도|쯤|가량|공부했어요|했어요|했음"
)
_NATIVE_HOURS = re.compile(r"(" + "|".join(sorted(_NATIVE_KO, key=len, reverse=True)) + r")\s*시간")
_SINO_MINUTES = re.compile(r"(?:([이삼사오육칠팔구])?(십))?([일이삼사오육칠팔구])?\s*분")
_WORD_HOURS = re.compile(r"\b(" + "|".join(_WORDS_EN) + r")\s+(hours?|hrs?)\b")
_NUMBER = r"\d+(?:\.\d+)?"
_PLAIN = re.compile(rf"^({_NUMBER})$")
_CLOCK = re.compile(r"^(\d{1,3}):([0-5]\d)$")
_UNITS = re.compile(
    rf"^(?:(?P<hours>{_NUMBER})\s*(?:hours?|hrs?|h|시간)\s*(?:and\s*)?)?"
    r"(?P<half>반|a half)?\s*"
    rf"(?:(?P<minutes>{_NUMBER})\s*(?P<munit>minutes?|mins?|m|분)?)?$"
)
_SCORE = re.compile(rf"^({_NUMBER})\s*(?:%|점|percent|points?|pts?)?$")
_FRACTION = re.compile(rf"^({_NUMBER})\s*/\s*({_NUMBER})$")


def _sino_minutes(match: re.Match[str]) -> str:
    tens = (_SINO_KO[match.group(1)] if match.group(1) else 1) * 10 if match.group(2) else 0
    ones = _SINO_KO[match.group(3)] if match.group(3) else 0
    return f"{tens + ones}분" if tens + ones else match.group(0)


def _normal(text: str) -> tuple[str, int]:
    """Lower-case text with number words turned into digits, and the sign (-1 for "-3")."""
    text = clean(text).lower().replace(",", ".")
    text = _FILLER.sub(" ", text).strip()
    sign = 1
    if text.startswith(("-", "−", "minus ")):
        sign = -1
        text = text.lstrip("-−").removeprefix("minus ").strip()
    text = re.sub(r"\bhalf (?:an )?hour\b", "30m", text)
    text = re.sub(rf"^({_NUMBER}) and a half (hours?|hrs?)$", r"\1 \2 a half", text)
    text = re.sub(r"\b(?:an?|one) hour and a half\b", "1 hour a half", text)
    text = _WORD_HOURS.sub(lambda m: f"{_WORDS_EN[m.group(1)]} {m.group(2)}", text)
    text = re.sub(r"^반\s*시간$", "30분", text)
    text = _NATIVE_HOURS.sub(lambda m: f"{_NATIVE_KO[m.group(1)]}시간", text)
    text = _SINO_MINUTES.sub(_sino_minutes, text)
    return " ".join(text.split()), sign


def parse_hours(text: str) -> float | None:
    """Hours in ``text`` (negative if the user typed a minus), or ``None`` if it is not a duration."""
    if len(text) > 60:
        return None
    normal, sign = _normal(text)
    if not normal:
        return None
    plain = _PLAIN.match(normal)
    if plain:
        return sign * float(plain.group(1))
    clock = _CLOCK.match(normal)
    if clock:
        return sign * (int(clock.group(1)) + int(clock.group(2)) / 60)
    units = _UNITS.match(normal)
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
    return sign * hours


def parse_score(text: str) -> float | None:
    """A score as a percentage: "72", "72%", "72점" give 72; "36/50" gives 72. ``None`` if unreadable.

    The result is not range-checked: the caller tells the user that 0–100 is expected.
    """
    normal = clean(text).lower().replace(",", ".")
    if len(normal) > 30:
        return None
    sign = -1.0 if normal.startswith(("-", "−")) else 1.0
    normal = normal.lstrip("-−").strip()
    fraction = _FRACTION.match(normal)
    if fraction:
        got, out_of = float(fraction.group(1)), float(fraction.group(2))
        if out_of <= 0 or got > out_of:
            return None
        return sign * round(100 * got / out_of, 1)
    score = _SCORE.match(normal)
    return sign * float(score.group(1)) if score else None
