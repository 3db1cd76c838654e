"""What every reader returns: the meaning it understood, the candidates when it could mean several, or why
it understood nothing. A reader never picks silently between candidates; the question asks the user."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Generic, TypeAlias, TypeVar

T = TypeVar("T")


class Reason(StrEnum):
    """Why a reader understood nothing (so a question can say something more useful than "try again")."""

    EMPTY = "empty"
    TOO_LONG = "too_long"
    UNREADABLE = "unreadable"
    OUT_OF_RANGE = "out_of_range"


@dataclass(frozen=True, slots=True)
class Understood(Generic[T]):
    value: T


@dataclass(frozen=True, slots=True)
class Ambiguous(Generic[T]):
    """Two or more readings, most likely first; the caller asks which one is meant."""

    candidates: tuple[T, ...]


@dataclass(frozen=True, slots=True)
class NotUnderstood:
    reason: Reason = Reason.UNREADABLE


Parsed: TypeAlias = Understood[T] | Ambiguous[T] | NotUnderstood


def understood_value(result: Parsed[T]) -> T | None:
    """The value of an :class:`Understood` result, else ``None``."""
    return result.value if isinstance(result, Understood) else None
