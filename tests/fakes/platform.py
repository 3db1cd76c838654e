"""A fake chat platform for proactive messages: records what it is sent, fails when told to.

It stands in for a platform's sender (``coach.delivery.Sender``), so the scheduler, the outbox and the
storage around them run for real; it raises the same delivery errors a real adapter translates from a
403, a 429 or a 5xx.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
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
        self.delivered = asyncio.Event()  # set on every delivery, for tests that wait for a background task

    def fail_next(self, *errors: BaseException) -> None:
        self._failures.extend(errors)

    def block(self, chat_id: str) -> None:
        self._blocked.add(chat_id)

    def unblock(self, chat_id: str) -> None:
        self._blocked.discard(chat_id)

    async def deliver(self, recipient: Recipient, replies: Sequence[Reply]) -> None:
        self.attempts += 1
        if recipient.chat_id in self._blocked:
            raise Unreachable("Forbidden: bot was blocked by the user")
        if self._failures:
            raise self._failures.popleft()
        self.deliveries.append(Delivery(recipient, tuple(replies), self.clock()))
        self.delivered.set()

    def to(self, chat_id: str) -> list[Delivery]:
        return [d for d in self.deliveries if d.recipient.chat_id == chat_id]


class FakeTime:
    """Virtual monotonic time for the pacer: ``sleep`` parks the caller, and once every task is parked the
    clock jumps to the earliest wake-up. Concurrent senders therefore see time as they would in real life,
    without the test waiting for it."""

    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []
        self._sleepers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._order = itertools.count()
        self._driver: asyncio.Task[None] | None = None

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        wake = asyncio.get_running_loop().create_future()
        heapq.heappush(self._sleepers, (self.now + seconds, next(self._order), wake))
        if self._driver is None or self._driver.done():
            self._driver = asyncio.ensure_future(self._drive())
        await wake

    async def _drive(self) -> None:
        while self._sleepers:
            for _ in range(_SETTLE_STEPS):  # let every runnable task go on until it parks again
                await asyncio.sleep(0)
            at, _, wake = heapq.heappop(self._sleepers)
            self.now = max(self.now, at)
            if not wake.done():
                wake.set_result(None)


_SETTLE_STEPS = 50
