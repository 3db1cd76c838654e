"""Whose turn on the shared send pace: a person waiting for an answer, or a check-in that can wait."""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator

_background: contextvars.ContextVar[bool] = contextvars.ContextVar("background", default=False)


@contextlib.contextmanager
def background() -> Iterator[None]:
    """Messages sent in here (check-ins) give way to replies on the shared pace."""
    token = _background.set(True)
    try:
        yield
    finally:
        _background.reset(token)


def in_background() -> bool:
    return _background.get()
