"""What a model wrote, checked before anyone sees it.

Bounded length; the user's language (Hangul among the letters); no link and no figure the brief did not
contain, in digits or in words — a sentence holding one is dropped. Whatever is left must still say
something, or the curated text is used instead.
"""

from __future__ import annotations

import re
from functools import lru_cache

from coach.ai.brief import Brief
from coach.understanding.text import clean, normal

MAX_CHARS = 700  # a few sentences; more is not an answer to one message, it is a model running on
MIN_CHARS = 8
READ_LIMIT = 4 * MAX_CHARS  # a stream longer than this is cut off and refused

_URL = re.compile(r"(?:https?://|www\.)\S+|\b[\w-]+\.(?:com|net|org|io|ai|kr|co|me|dev|app)\b\S*", re.I)
_FIGURE = re.compile(r"\d+(?:[.,]\d+)*")
_SENTENCE = re.compile(r"(?<=[.!?。！？])\s+|\n+")
_HANGUL = re.compile(r"[\uac00-\ud7a3\u3131-\u318e]")
_LETTER = re.compile(r"[^\W\d_]")
_MARKUP = re.compile(r"[*_`#>]+")
_PARTIAL_LINK = re.compile(r"https?:|www|\.\w+$|/", re.I)
_HANGUL_WORD = re.compile(r"[\uac00-\ud7a3\u3131-\u318e]+")
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9+#-]*")
_PARTICLE = re.compile(r"(?:은|는|이|가|을|를|의|에|에서|으로|로|과|와|도|만|이나|나)$")


def figures(text: str) -> set[str]:
    """Every figure in ``text``: written in digits (``3``, ``12.5``, ``2027``), or in words before what they
    count ("three weeks", "세 달", "삼십 분", "half an hour" is 30) — an invented number is one either way.
    "One" is not counted when spelled out: "a week", "한 번 해 보세요" are how language says "a", not a claim."""
    digits = set(_FIGURE.findall(clean(text)))
    spelled = {figure for figure in _FIGURE.findall(normal(text)) if figure not in digits and figure != "1"}
    return digits | spelled


@lru_cache(maxsize=64)
def _known_figures(known: str) -> frozenset[str]:
    """The brief's figures, read once per brief (every sentence of every draft is held against them)."""
    return frozenset(figures(known))


def hangul_share(text: str) -> float:
    letters = _LETTER.findall(text)
    return len(_HANGUL.findall(text)) / len(letters) if letters else 0.0


def speaks(text: str, language: str, quoted: str = "") -> bool:
    """Written in ``language``: mostly Hangul for Korean, hardly any for English. Words of the other script
    that the answer takes from ``quoted`` (the brief: the person's own words, an exam's or a role's name) are
    not held against it: "정보관리기술사" in an English answer, "AWS Solutions Architect" in a Korean one."""
    korean = language == "ko"
    if quoted:
        taken = _quoted_words(quoted, korean)
        if korean:
            text = _LATIN_WORD.sub(lambda m: " " if m.group(0).casefold() in taken else m.group(0), text)
        else:
            text = _HANGUL_WORD.sub(lambda m: " " if _stem(m.group(0)) in taken else m.group(0), text)
    share = hangul_share(text)
    return share >= 0.5 if korean else share <= 0.05


@lru_cache(maxsize=64)
def _quoted_words(quoted: str, latin: bool) -> frozenset[str]:
    """The Latin words (case-folded) or the Korean words (without their particle) in ``quoted``."""
    if latin:
        return frozenset(word.casefold() for word in _LATIN_WORD.findall(quoted))
    return frozenset(_stem(word) for word in _HANGUL_WORD.findall(quoted))


def _stem(word: str) -> str:
    """A Korean word without the particle it may carry ("기술사를" → "기술사")."""
    return _PARTICLE.sub("", word) or word


def grounded(sentence: str, brief: Brief) -> bool:
    """No link at all, and only figures the brief holds."""
    if _URL.search(sentence):
        return False
    return figures(sentence) <= _known_figures(brief.known)


def clean_sentences(text: str, brief: Brief) -> list[str]:
    """The sentences of ``text`` that are grounded, markup removed."""
    text = _MARKUP.sub("", text)
    return [s.strip() for s in _SENTENCE.split(text) if s.strip() and grounded(s.strip(), brief)]


def checked(text: str, brief: Brief) -> str | None:
    """The model's reply as it may be shown, or ``None`` when the curated text must stand."""
    if not text.strip() or len(text) > MAX_CHARS:
        return None
    kept = " ".join(clean_sentences(text, brief))
    if len(kept) < MIN_CHARS or not speaks(kept, brief.language, brief.known):
        return None
    return kept


def checked_part(text: str, brief: Brief) -> str | None:
    """What of a reply still streaming may be shown as a draft: the complete sentences that pass, and the
    sentence being written up to its last whole word while it holds no link and no figure."""
    if len(text) > MAX_CHARS:
        return None
    parts = _SENTENCE.split(text)
    done, writing = parts[:-1], parts[-1]
    shown = clean_sentences(" ".join(done), brief) if done else []
    words = writing.rsplit(None, 1)[0] if " " in writing.strip() else ""
    words = _MARKUP.sub("", words).strip()
    if words and grounded(words, brief) and not _PARTIAL_LINK.search(words):
        shown.append(words)
    kept = " ".join(shown)
    if len(kept) < MIN_CHARS or not speaks(kept, brief.language, brief.known):
        return None
    return kept
