"""Korean particles after words the coach does not know in advance (a role, a command, a certification).

A Korean particle depends on the sound a word ends with: 은/이/을/과/으로 after a final consonant, 는/가/를/
와/로 after a vowel (and 로 after ㄹ). Translators write the pair in a message, after a placeholder, as
``{role}은(는)``, ``{goal}을(를)``, ``{name}이(가)``, ``{path}과(와)``, ``{tool}으로(로)`` (either order, either
half first); :func:`resolve` puts the right half in once the word is known. A word whose sound cannot be
told from its letters (most English words) keeps both halves, as Korean writing does for such words.

Digits and capital-letter acronyms are read the Korean way: "SAA-C03" ends in 삼 (consonant), "AZ-900" in
구백 (consonant), "CKA" in 에이 (vowel).
"""

from __future__ import annotations

import re
from typing import Literal

HANGUL_FIRST, HANGUL_LAST = 0xAC00, 0xD7A3
JONG_COUNT = 28
RIEUL = 8  # the index of ㄹ among final consonants

# (after a consonant, after a vowel); 으로/로 also takes 로 after ㄹ.
PAIRS: dict[str, tuple[str, str]] = {
    "은": ("은", "는"),
    "는": ("은", "는"),
    "이": ("이", "가"),
    "가": ("이", "가"),
    "을": ("을", "를"),
    "를": ("을", "를"),
    "과": ("과", "와"),
    "와": ("과", "와"),
    "으로": ("으로", "로"),
    "로": ("으로", "로"),
}
# How a final digit is read: 0 영, 1 일, 2 이, 3 삼, 4 사, 5 오, 6 육, 7 칠, 8 팔, 9 구; a number ending in
# zeros ends in 십/백/천/만, all with a final consonant.
_DIGIT_ENDING: dict[str, Literal["consonant", "vowel", "rieul"]] = {
    "0": "consonant",
    "1": "rieul",
    "2": "vowel",
    "3": "consonant",
    "4": "vowel",
    "5": "vowel",
    "6": "consonant",
    "7": "rieul",
    "8": "rieul",
    "9": "vowel",
}
# Letter names as Koreans say them: L 엘 and R 알 end in ㄹ, M 엠 and N 엔 in a consonant, the rest in a vowel.
_LETTER_ENDING: dict[str, Literal["consonant", "vowel", "rieul"]] = {
    **dict.fromkeys("ABCDEFGHIJKOPQSTUVWXYZ", "vowel"),
    "L": "rieul",
    "R": "rieul",
    "M": "consonant",
    "N": "consonant",
}
# Closing marks do not change how a word sounds: "(SAA-C03)" ends in 삼, "“리더”" in 더.
_SILENT_TAIL = " \t*_\"'”’」』)]}>》〉.…"
_ACRONYM = re.compile(r"(?:^|[^A-Za-z])([A-Z]{1,6})$")

Ending = Literal["consonant", "vowel", "rieul", "unknown"]

# A pair written after a placeholder: 은(는), (은)는, 는(은)… and 으로(로), (으)로.
_PAIR_PATTERN = re.compile(
    r"^(?:으로\(로\)|\(으\)로|로\(으로\)|([은는이가을를과와])\(([은는이가을를과와])\))"
)


def ending(word: str) -> Ending:
    """How ``word`` ends when read aloud in Korean (closing brackets, quotes and markup ignored).

    A name ending in a parenthesis is read by what is inside ("… (SAA-C03)" ends in 삼) when that can be
    told, else by what comes before it ("SQL 개발자 (SQL Developer)" ends in 자).
    """
    stripped = word.rstrip(" \t*_")
    if stripped.endswith(")") and "(" in stripped:
        before, _, inside = stripped[:-1].rpartition("(")
        found = _ending(inside)
        return found if found != "unknown" else _ending(before)
    return _ending(word)


def _ending(word: str) -> Ending:
    text = word.rstrip(_SILENT_TAIL)
    if not text:
        return "unknown"
    last = text[-1]
    code = ord(last)
    if HANGUL_FIRST <= code <= HANGUL_LAST:
        jong = (code - HANGUL_FIRST) % JONG_COUNT
        if jong == 0:
            return "vowel"
        return "rieul" if jong == RIEUL else "consonant"
    if last.isdigit() and last in _DIGIT_ENDING:
        return _DIGIT_ENDING[last]
    acronym = _ACRONYM.search(text)
    if acronym:
        return _LETTER_ENDING[acronym.group(1)[-1]]
    return "unknown"


def particle(word: str, pair: str) -> str:
    """The particle of ``pair`` (any half: "을", "를", "으로"…) that follows ``word``.

    An unknown ending gives both halves, consonant form first: "을(를)", "(으)로".
    """
    consonant, vowel = PAIRS[pair]
    sound = ending(word)
    if consonant == "으로":
        if sound == "unknown":
            return "(으)로"
        return "로" if sound in ("vowel", "rieul") else "으로"
    if sound == "unknown":
        return f"{consonant}({vowel})"
    return consonant if sound in ("consonant", "rieul") else vowel


def attach(word: str, pair: str) -> str:
    """``word`` followed by the right particle: ``attach("클라우드 아키텍트", "을")`` → "클라우드 아키텍트를"."""
    return word + particle(word, pair)


def resolve(word: str, after: str) -> str:
    """``after`` (the text following ``word`` in a message) with a leading particle pair resolved."""
    found = _PAIR_PATTERN.match(after)
    if not found:
        return after
    half = found.group(1) or ("으로" if "로" in found.group(0) else "")
    return particle(word, half) + after[found.end() :]
