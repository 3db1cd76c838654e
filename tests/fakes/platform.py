"""A fake chat platform for proactive messages: records what it is sent, fails when told to.

It stands in for a platform's sender (``coach.delivery.Sender``), so the scheduler, the outbox and the
storage around them run for real; it raises the same delivery errors a real adapter translates from a
403, a 429 or a 5xx.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from coach.delivery import Recipient, Unreachable
from coach.messages import Reply


@dataclass(frozen=True)
class Delivery:
    recipient: Recipient
    replies: tuple[Reply, ...]
    at: float

    @property
    def text(self) -> str:
        return "\n\n".join(reply.text for reply in self.replies)

    @property
    def labels(self) -> list[str]:
        return [choice.label for reply in self.replies for choice in reply.choices]

    def action(self, label: str) -> str:
        for reply in self.replies:
            for choice in reply.choices:
                if choice.label == label:
                    return choice.action
        raise AssertionError(f"no button {label!r} in {self.labels}")


class FakePlatform:
    """Records deliveries; ``fail_next(error, ...)`` makes the next deliveries raise, ``block(chat)`` makes
    a chat answer "blocked" (403) for good. ``clock`` stamps each delivery (a monotonic fake, if given)."""

    def __init__(self, platform: str = "console", *, clock: Callable[[], float] | None = None) -> None:
        self.platform = platform
        self.clock = clock or (lambda: 0.0)
        self.deliveries: list[Delivery] = []
        self.attempts = 0
        self._failures: deque[BaseException] = deque()
        self._blocked: set[str] = set()

    def fail_next(self, *errors: BaseException) -> None:
        self._failures.extend(errors)

    def block(self, chat_id: str) -> None:
        self._blocked.add(chat_id)

    async def deliver(self, recipient: Recipient, replies: Sequence[Reply]) -> None:
        self.attempts += 1
        if recipient.chat_id in self._blocked:
            raise Unreachable("Forbidden: bot was blocked by the user")
        if self._failures:
            raise self._failures.popleft()
        self.deliveries.append(Delivery(recipient, tuple(replies), self.clock()))

    def to(self, chat_id: str) -> list[Delivery]:
        return [d for d in self.deliveries if d.recipient.chat_id == chat_id]


class FakeTime:
    """A monotonic clock for the pacer that moves only when something sleeps on it."""

    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


