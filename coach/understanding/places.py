"""Places as people name them, turned into an IANA time zone: "부산", "Busan", "부산에 살아요",
"I live in Daegu", "Busan, Korea", "+09:00", "Asia/Seoul". Several zones for one name are ambiguous."""

from __future__ import annotations

import re
from datetime import datetime

from coach.timezones import parse_timezone
from coach.understanding.results import Ambiguous, NotUnderstood, Parsed, Reason, Understood
from coach.understanding.text import MAX_ANSWER_CHARS, clean

_AROUND = re.compile(
    r"^(?:i\s*(?:'m| am)\s+(?:in|from|based in)|i\s+live\s+in|i\s+work\s+in|based in|living in|in|near)\s+|"
    r"\s*(?:에\s*살아요|에\s*살고\s*있어요|에서\s*살아요|에서\s*일해요|에\s*있어요|이에요|예요|에요|이요|요|입니다|"
    r"에서|에|근처|쪽|시내|please)$|[.!~]+$",
    re.IGNORECASE,
)


def parse_place(text: str, *, now: datetime) -> Parsed[str]:
    """The IANA zone a place, country, zone name or UTC offset means at ``now`` (aware)."""
    cleaned = clean(text)
    if not cleaned:
        return NotUnderstood(Reason.EMPTY)
    if len(cleaned) > MAX_ANSWER_CHARS:
        return NotUnderstood(Reason.TOO_LONG)
    previous = None
    while previous != cleaned:
        previous, cleaned = cleaned, _AROUND.sub("", cleaned).strip()
    attempts = [cleaned] + [part.strip() for part in cleaned.split(",") if part.strip()]
    for attempt in dict.fromkeys(attempts):
        guess = parse_timezone(attempt, now=now)
        if guess.out_of_range:
            return NotUnderstood(Reason.OUT_OF_RANGE)
        if guess.zone:
            return Understood(guess.zone)
        if guess.candidates:
            return Ambiguous(guess.candidates)
    return NotUnderstood()
