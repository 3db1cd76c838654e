"""Text as the readers see it: NFKC-normalised, lower-case, one space between words, number words as digits.

Korean has two sets of number words: native ones count hours ("두 시간", "세 시") and Sino-Korean ones
count minutes, months and years ("삼십 분", "육 개월"). Each is turned into digits only before the counter
it goes with, so ordinary words that happen to look like numbers ("이", "사") are left alone.
"""

from __future__ import annotations

import re
import unicodedata

MAX_ANSWER_CHARS = 80  # an answer to a question is short; anything longer is a message, not an answer

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
    "열하나": 11,
    "열두": 12,
    "열둘": 12,
    "스무": 20,
    "스물": 20,
}
_SINO_KO = {"일": 1, "이": 2, "삼": 3, "사": 4, "오": 5, "육": 6, "칠": 7, "팔": 8, "구": 9}
WORDS_EN = {
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
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "forty-five": 45,
    "fifty": 50,
    "sixty": 60,
    "ninety": 90,
}
_NATIVE_COUNTERS = r"(?=\s*(?:시간|시(?![작험키])|개월|달(?![력라])|주(?![말의일문소제])|번|점))"
_NATIVE = re.compile(
    r"(?<![가-힣])(" + "|".join(sorted(_NATIVE_KO, key=len, reverse=True)) + r")" + _NATIVE_COUNTERS
)
_SINO = re.compile(
    r"(?<![가-힣])(?:([이삼사오육칠팔구])?(십))?([일이삼사오육칠팔구])?(?=\s*(?:분(?![야석위기])|개월|년|점))"
)
_WORDS = re.compile(
    r"\b(" + "|".join(sorted(WORDS_EN, key=len, reverse=True)) + r")\b"
    r"(?=\s+(?:hours?|hrs?|minutes?|mins?|days?|weeks?|months?|years?|points?|o'?clock|am|pm)\b)"
)
_HALF_WORDS = re.compile(r"\b(one|two|three|four|five|six|seven|eight|nine|ten) and a half (hours?|hrs?)\b")
_HANGUL = re.compile(r"[\uac00-\ud7a3\u3131-\u318e]")


def clean(text: str) -> str:
    """NFKC-normalised text: full-width digits and colons become ASCII, spaces are folded."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def _sino(match: re.Match[str]) -> str:
    if not match.group(0):
        return ""
    tens = (_SINO_KO[match.group(1)] if match.group(1) else 1) * 10 if match.group(2) else 0
    ones = _SINO_KO[match.group(3)] if match.group(3) else 0
    return str(tens + ones) if tens + ones else match.group(0)


_HALVES = (
    (re.compile(r"\b(?:half an|a half) hour\b"), "30 minutes"),
    (re.compile(r"\b(?:an?|one) hour and a half\b"), "1.5 hours"),
    (re.compile(r"\b(\d+) and a half (hours?|hrs?)\b"), r"\1.5 \2"),
    (re.compile(r"(?<![가-힣\d])반\s*시간"), "30분"),
)


def normal(text: str) -> str:
    """Lower-case :func:`clean` text with number words before a counter turned into digits."""
    text = clean(text).lower().replace("’", "'")
    text = _HALF_WORDS.sub(lambda m: f"{WORDS_EN[m.group(1)]}.5 {m.group(2)}", text)
    for pattern, replacement in _HALVES:
        text = pattern.sub(replacement, text)
    if _HANGUL.search(text):
        text = _NATIVE.sub(lambda m: str(_NATIVE_KO[m.group(1)]), text)
        text = _SINO.sub(_sino, text)
    return _WORDS.sub(lambda m: str(WORDS_EN[m.group(1)]), text)


def has_hangul(text: str) -> bool:
    return _HANGUL.search(text) is not None


def language_of(text: str) -> str | None:
    """``"ko"`` when the text has Korean letters, ``"en"`` when it has Latin ones only, else ``None``."""
    if has_hangul(text):
        return "ko"
    if re.search(r"[A-Za-z]{2,}", text):
        return "en"
    return None
