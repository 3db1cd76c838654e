"""Short answers: scores ("780점", "36/50", "78%"), ratings on a 1–5 scale ("3점", "셋"), yes/no and bare
numbers (so an adapter can tell a typed answer from a picked choice)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from coach.understanding.results import Ambiguous, NotUnderstood, Parsed, Reason, Understood
from coach.understanding.text import WORDS_EN, clean, normal

_NUMBER = r"\d+(?:\.\d+)?"
_SCORE = re.compile(
    rf"^(?P<value>{_NUMBER})\s*(?P<unit>%|퍼센트|프로|점|percent|points?|pts?)?"
    rf"(?:\s*(?:/|out of|of|중에|만점에|점\s*만점에)\s*(?P<out_of>{_NUMBER})\s*(?:점)?)?$"
)
_OUT_OF_FIRST = re.compile(
    rf"^(?P<out_of>{_NUMBER})\s*점?\s*(?:만점에|만점 중|중에|중)\s*(?P<value>{_NUMBER})\s*점?$"
)
_SCORE_FILLER = re.compile(
    r"\s*(?:받았어요|받았다|나왔어요|나왔다|이요|요|입니다|이에요|예요|정도|쯤)$|^(?:i got|got|about|around|scored)\s+"
)
_NATIVE_COUNT = {"하나": 1, "한": 1, "둘": 2, "두": 2, "셋": 3, "세": 3, "넷": 4, "네": 4, "다섯": 5}


@dataclass(frozen=True, slots=True)
class Score:
    """A score as typed: ``value`` and, when given, what it is ``out_of``; ``percent`` says it was a %."""

    value: float
    out_of: float | None = None
    percent: bool = False

    @property
    def as_percent(self) -> float | None:
        if self.percent:
            return self.value
        if self.out_of:
            return round(100 * self.value / self.out_of, 1)
        return None


def _strip(text: str) -> str:
    previous = None
    while previous != text:
        previous, text = text, _SCORE_FILLER.sub("", text).strip()
    return text


def parse_score(text: str) -> Parsed[Score]:
    """ "3점", "780점", "36/50", "78%", "990점 만점에 780점"; a fraction above its whole is refused."""
    normalized = _strip(normal(text).replace(",", "."))
    if not normalized:
        return NotUnderstood(Reason.EMPTY)
    if len(normalized) > 40:
        return NotUnderstood(Reason.TOO_LONG)
    match = _OUT_OF_FIRST.match(normalized) or _SCORE.match(normalized)
    if not match:
        return NotUnderstood()
    value = float(match.group("value"))
    out_of = float(match.group("out_of")) if match.group("out_of") else None
    if out_of is not None and (out_of <= 0 or value > out_of):
        return NotUnderstood(Reason.OUT_OF_RANGE)
    unit = match.groupdict().get("unit") or ""
    return Understood(Score(value, out_of, percent=unit in ("%", "퍼센트", "프로", "percent")))


def parse_rating(text: str, *, scale: int = 5) -> Parsed[int]:
    """A whole rating from 1 to ``scale``: "3", "3점", "3/5", "셋", "three"; anything else is not one."""
    word = clean(text).lower().rstrip(".!~")
    word = re.sub(r"\s*(?:이요|요|입니다|이에요|예요|점이요|점)$", "", word)
    if word in _NATIVE_COUNT:
        value: float = _NATIVE_COUNT[word]
    elif word in WORDS_EN and word not in ("a", "an"):
        value = WORDS_EN[word]
    else:
        score = parse_score(text)
        if not isinstance(score, Understood) or score.value.percent:
            return score if isinstance(score, NotUnderstood) else NotUnderstood()
        if score.value.out_of is not None and score.value.out_of != scale:
            return NotUnderstood(Reason.OUT_OF_RANGE)
        value = score.value.value
    if value != int(value) or not 1 <= value <= scale:
        return NotUnderstood(Reason.OUT_OF_RANGE)
    return Understood(int(value))


_YES = re.compile(
    r"^(?:네+|넵|넹|예|응+|어|그래|그래요|그럼요|좋아|좋아요|좋습니다|맞아|맞아요|맞습니다|당연하죠|물론이죠|"
    r"알겠어요|할게요|ㅇㅇ|ㅇㅋ|오케이|"
    r"y|yes|yeah|yep|yup|sure|ok|okay|of course|please do|go ahead|sounds good|right|correct|absolutely|"
    r"definitely|i do|i am|let's do it|do it)$"
)
_NO = re.compile(
    r"^(?:아니|아니요|아니오|아뇨|아니에요|싫어|싫어요|안 해요|안해요|괜찮아요 안 해도 돼요|됐어요|ㄴㄴ|노|"
    r"n|no|nope|nah|no thanks|no thank you|not now|not really|don't|do not|never|i don't|i'm not|"
    r"maybe later|later)$"
)
_UNSURE = re.compile(
    r"^(?:글쎄|글쎄요|모르겠어요|잘 모르겠어요|아마|아마도|maybe|not sure|i don't know|dunno|perhaps)$"
)


def parse_yes_no(text: str) -> Parsed[bool]:
    """Yes or no in Korean or English; "글쎄요"/"maybe" is ambiguous (both readings)."""
    word = re.sub(r"[.!?~ ,]+$", "", clean(text).lower()).strip()
    word = re.sub(r"^(?:음+|um+|hmm+|well)[, ]+", "", word)
    if not word:
        return NotUnderstood(Reason.EMPTY)
    if _YES.match(word):
        return Understood(True)
    if _NO.match(word):
        return Understood(False)
    if _UNSURE.match(word):
        return Ambiguous((True, False))
    return NotUnderstood()


_YEARS = re.compile(
    r"^(?:about|around|almost|nearly|over|more than|약|대략|거의)?\s*(\d{1,3})\s*"
    r"(?:years?|yrs?|y|년차|년째|년|해)?\s*(?:정도|쯤|가량|넘게|이상|남짓)?\s*"
    r"(?:일했어요|일했습니다|근무했어요|근무했습니다|다녔어요|됐어요|되었어요|돼요|째예요|차예요|차요|이요|요|입니다|이에요|예요|"
    r"of experience|in total|now)?[.!~]*$"
)


def parse_years(text: str) -> Parsed[int]:
    """A whole number of years: "22", "22년", "22년차", "22 years", "about 22 years", "이십이 년"."""
    normalized = normal(text)
    if not normalized:
        return NotUnderstood(Reason.EMPTY)
    if len(normalized) > 40:
        return NotUnderstood(Reason.TOO_LONG)
    match = _YEARS.match(normalized)
    return Understood(int(match.group(1))) if match else NotUnderstood()


_BARE = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")


def parse_number(text: str) -> Parsed[float]:
    """A bare number ("3", "4.5", "-2", "３"), nothing else: units or words make it something more."""
    cleaned = clean(text)
    if not cleaned:
        return NotUnderstood(Reason.EMPTY)
    if not _BARE.match(cleaned):
        return NotUnderstood()
    return Understood(float(cleaned.replace(",", ".")))


def is_bare_number(text: str) -> bool:
    return isinstance(parse_number(text), Understood)
