"""Study hours and exam scores as the study flow reads them today: a float, or ``None``.

The readers live in :mod:`coach.understanding` (typed results, weekly rates, scores out of a whole); these
two functions keep the study flow's current contract until it asks those readers directly.
"""

from __future__ import annotations

from coach.understanding.answers import parse_score as _read_score
from coach.understanding.durations import Per, parse_duration
from coach.understanding.results import Understood


def parse_hours(text: str) -> float | None:
    """Hours in ``text`` (negative if the user typed a minus), or ``None`` if it is not a duration."""
    if len(text) > 60:
        return None
    result = parse_duration(text)
    if not isinstance(result, Understood) or result.value.per is Per.DAY:
        return None  # "an hour a day" is not what either question asks; phase 2 reads the rate itself
    return result.value.hours


def parse_score(text: str) -> float | None:
    """A score as a percentage: "72", "72%", "72점" give 72; "36/50" gives 72. ``None`` if unreadable.

    The result is not range-checked: the caller tells the user that 0–100 is expected.
    """
    cleaned = text.strip()
    sign = -1.0 if cleaned.startswith(("-", "−")) else 1.0
    result = _read_score(cleaned.lstrip("-−"))
    if not isinstance(result, Understood):
        return None
    score = result.value
    percent = score.as_percent
    return sign * (percent if percent is not None else score.value)
