"""What the coach tells observers about each event it handled, for metrics, with no metrics library here.

An observer is any callable taking a :class:`Handled`; ``bot.metrics`` turns them into Prometheus series.
Nothing here carries what the user wrote.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

EventKind = Literal["command", "button", "text"]


@dataclass(frozen=True, slots=True)
class Handled:
    """One event through :meth:`coach.core.Coach.handle`.

    ``flow`` is the flow that handled it (``None`` for help text, expired buttons and the like);
    ``completed`` names the flow if the event brought it to its end, or if it answers in one step (``/help``
    while a reflection waits for its answer); ``/cancel`` is not a completion;
    ``failed`` is true when handling raised.
    """

    platform: str
    kind: EventKind
    user_id: int | None
    flow: str | None
    completed: str | None
    replies: int
    seconds: float
    failed: bool = False


Observer = Callable[[Handled], None]
