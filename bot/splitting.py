"""Long texts cut into pieces that each fit one platform message.

Both chat platforms cap a message (Telegram at 4,096 UTF-16 units, a Slack section at 3,000 characters)
and a journal answer can be longer. A text is cut between paragraphs where possible, then between lines,
then between words, and only as a last resort inside a word; each adapter says how it measures length
and how a word may be cut.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

SEPARATORS = ("\n\n", "\n", " ")

Measure = Callable[[str], int]
HardCut = Callable[[str, int], list[str]]


def cut_by_characters(text: str, limit: int, measure: Measure = len) -> list[str]:
    """``text`` cut anywhere into pieces of at most ``limit`` (as ``measure`` counts)."""
    pieces: list[str] = []
    current: list[str] = []
    size = 0
    for char in text:
        width = measure(char)
        if size + width > limit and current:
            pieces.append("".join(current))
            current, size = [], 0
        current.append(char)
        size += width
    pieces.append("".join(current))
    return pieces


def split_text(
    text: str,
    limit: int,
    *,
    measure: Measure = len,
    hard_cut: HardCut | None = None,
    separators: Sequence[str] = SEPARATORS,
) -> list[str]:
    """``text`` in pieces of at most ``limit`` as ``measure`` counts, cut at the coarsest boundary that
    works. ``hard_cut`` cuts a single overlong word (default: anywhere, by ``measure``)."""
    if measure(text) <= limit:
        return [text]
    if not separators:
        return hard_cut(text, limit) if hard_cut else cut_by_characters(text, limit, measure)
    separator, finer = separators[0], separators[1:]
    pieces: list[str] = []
    current: str | None = None
    for part in text.split(separator):
        if measure(part) > limit:
            # An oversized part is cut at the next finer boundary; its pieces stand alone so the
            # boundary between them is not turned into a coarser one.
            if current is not None:
                pieces.append(current)
            *whole, current = split_text(part, limit, measure=measure, hard_cut=hard_cut, separators=finer)
            pieces.extend(whole)
        elif current is None:
            current = part
        elif measure(current) + measure(separator) + measure(part) <= limit:
            current += separator + part
        else:
            pieces.append(current)
            current = part
    if current is not None:
        pieces.append(current)
    return pieces
