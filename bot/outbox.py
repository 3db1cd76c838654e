"""Sending proactive messages at a pace each platform accepts, and saying what happened.

Rate limits belong to the bot token, so pacing is per platform: Telegram takes about 30 messages a second
overall and one a second per chat, Slack about one a second per channel. A 429 (``RateLimited``) holds
the whole platform for its ``retry_after`` and the message is tried again; a blocked user
(``Unreachable``) and a passing failure (``TemporaryFailure``, a 5xx) are reported to the caller, which
records them.

The pacer is written here rather than taken from a rate-limiting library because it needs two limits at
once (overall and per chat), a hold that a 429 can extend, and a clock tests can drive.
"""

from __future__ import annotations

import asyncio
import collections
import logging
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from coach.delivery import (
    DeliveryError,
    RateLimited,
    Recipient,
    Sender,
    TemporaryFailure,
    Uncertain,
    Unreachable,
)
from coach.messages import Reply

log = logging.getLogger(__name__)

Sleep = Callable[[float], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class Pace:
    """``per_second`` messages overall (``None``: no overall limit) and ``chat_interval`` seconds between
    two messages to one chat."""

    per_second: float | None
    chat_interval: float


# A little under Telegram's 30/s, so jitter in when requests arrive never tips it over.
PACES: dict[str, Pace] = {
    "telegram": Pace(per_second=29.0, chat_interval=1.0),
    "slack": Pace(per_second=None, chat_interval=1.0),
    "console": Pace(per_second=None, chat_interval=0.0),
}
UNPACED = Pace(per_second=None, chat_interval=0.0)


LEFT_TO_REPLIES = 2  # of Telegram's messages each second, how many check-ins leave to replies


def paces(telegram_per_second: float, checkins_per_second: float | None = None) -> dict[str, Pace]:
    """:data:`PACES` with Telegram's pace for check-ins set: ``TELEGRAM_MESSAGES_PER_SECOND`` less what is
    left to replies (which this pace does not see), or the lower ``ENCORE_CHECKINS_PER_SECOND``."""
    for_checkins = max(telegram_per_second - LEFT_TO_REPLIES, 1.0)
    per_second = min(for_checkins, checkins_per_second or for_checkins)
    return {**PACES, "telegram": Pace(per_second=per_second, chat_interval=1.0)}


_MIN_SLEEP = 0.001  # never wait for a rounding error: time must move on


class Pacer:
    """Hands out send times under both limits: one chat at a time waits for its own turn, then takes the
    next overall slot, so a busy chat never holds up the others.

    ``clock`` is a monotonic clock in seconds and ``sleep`` waits; tests pass a fake pair.
    """

    def __init__(
        self, pace: Pace, *, clock: Callable[[], float] = time.monotonic, sleep: Sleep = asyncio.sleep
    ) -> None:
        self.pace = pace
        self.clock = clock
        self.sleep = sleep
        self._next_any = 0.0
        self._next_chat: dict[str, float] = {}
        self._chat_turns: dict[str, asyncio.Lock] = {}
        self._held_until = 0.0
        self._last_second: collections.deque[float] = collections.deque()  # when recent sends were let go

    def hold(self, seconds: float) -> None:
        """The platform said to wait: nothing more goes out before then."""
        self._held_until = max(self._held_until, self.clock() + seconds)

    async def wait(
        self, chat: str, messages: int = 1, *, about_to_send: Callable[[], Awaitable[bool]] | None = None
    ) -> bool:
        """Return when ``messages`` messages may go to ``chat``.

        ``about_to_send`` runs once when the turn has come, before the last check of the one-second
        window, so the time it takes never lets sends out in a burst; its False is returned (don't send).
        """
        if len(self._chat_turns) > 10_000:
            self._forget_quiet_chats()
        turn = self._chat_turns.setdefault(chat, asyncio.Lock())
        async with turn:
            while True:
                now = self.clock()
                ready = max(now, self._next_chat.get(chat, 0.0), self._held_until)
                if ready > now:
                    await self.sleep(ready - now)
                    continue
                start = max(now, self._next_any)
                if self.pace.per_second:
                    self._next_any = start + messages / self.pace.per_second
                if self.pace.chat_interval:
                    self._next_chat[chat] = start + messages * self.pace.chat_interval
                if start > now:
                    await self.sleep(start - now)
                if about_to_send is not None:
                    go_ahead, about_to_send = await about_to_send(), None
                    if not go_ahead:
                        return False
                if self.clock() < self._held_until:  # a 429 that came meanwhile sends us round again
                    continue
                await self._within_the_second(messages)
                return True

    async def _within_the_second(self, messages: int) -> None:
        """Never more than ``per_second`` messages in any one second, even when the event loop was busy
        and several reserved times came due together (spacing alone would let them out in a burst)."""
        if not self.pace.per_second:
            return
        allowed = max(int(self.pace.per_second), messages)
        recent = self._last_second
        while True:
            now = self.clock()
            while recent and recent[0] + 1.0 <= now:
                recent.popleft()
            if len(recent) + messages <= allowed:
                recent.extend([now] * messages)
                return
            await self.sleep(max(recent[0] + 1.0 - now, _MIN_SLEEP))

    def _forget_quiet_chats(self) -> None:
        now = self.clock()
        self._next_chat = {chat: at for chat, at in self._next_chat.items() if at > now}
        self._chat_turns = {chat: turn for chat, turn in self._chat_turns.items() if turn.locked()}


@dataclass(frozen=True, slots=True)
class Delivered:
    """What became of one delivery: ``sent``, ``retry`` (later, not before ``retry_after`` seconds),
    ``unreachable`` (the user blocked the bot or removed the app), ``uncertain`` (it may have arrived: a
    timeout after the request went out; never sent again) or ``withdrawn`` (the caller's last-moment check
    said not to send after all: nothing went out)."""

    result: Literal["sent", "retry", "unreachable", "uncertain", "withdrawn"]
    retry_after: float = 0.0
    reason: str = ""


class Outbox:
    """Paces and sends through one :class:`~coach.delivery.Sender` per platform.

    ``senders`` maps a platform name to its sender; ``paces`` overrides :data:`PACES`; ``max_in_flight``
    bounds concurrent requests; a 429 is retried up to ``rate_limit_retries`` times before the delivery is
    handed back for a later tick.
    """

    def __init__(
        self,
        senders: Mapping[str, Sender],
        *,
        paces: Mapping[str, Pace] | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Sleep = asyncio.sleep,
        max_in_flight: int = 256,
        rate_limit_retries: int = 3,
    ) -> None:
        self.senders = dict(senders)
        wanted = {**PACES, **(paces or {})}
        self.pacers = {
            platform: Pacer(wanted.get(platform, UNPACED), clock=clock, sleep=sleep)
            for platform in self.senders
        }
        self._in_flight = asyncio.Semaphore(max_in_flight)
        self.rate_limit_retries = rate_limit_retries

    def can_send(self, platform: str) -> bool:
        return platform in self.senders

    async def send(
        self,
        recipient: Recipient,
        replies: Sequence[Reply],
        *,
        about_to_send: Callable[[], Awaitable[bool]] | None = None,
    ) -> Delivered:
        """Send ``replies`` when the pace allows. ``about_to_send`` runs once, after pacing and right before
        the first request; if it returns False nothing is sent (``withdrawn``)."""
        sender = self.senders.get(recipient.platform)
        if sender is None:
            return Delivered("retry", reason="no_sender")
        pacer = self.pacers[recipient.platform]
        chat = f"{recipient.workspace}/{recipient.chat_id}"
        async with self._in_flight:
            for _attempt in range(self.rate_limit_retries + 1):
                go_ahead = await pacer.wait(chat, len(replies), about_to_send=about_to_send)
                about_to_send = None  # once: a retry after a 429 is the same message
                if not go_ahead:
                    return Delivered("withdrawn")
                try:
                    await sender.deliver(recipient, replies)
                    return Delivered("sent")
                except RateLimited as limited:
                    log.warning("%s asked us to wait %.1fs", recipient.platform, limited.retry_after)
                    pacer.hold(limited.retry_after)
                    last_wait = limited.retry_after
                except Unreachable:
                    log.info("user %s is unreachable on %s", recipient.user_id, recipient.platform)
                    return Delivered("unreachable")
                except Uncertain as uncertain:
                    log.warning(
                        "sending to user %s may or may not have arrived (%s); not sending it again",
                        recipient.user_id,
                        uncertain,
                    )
                    return Delivered("uncertain", reason="uncertain")
                except TemporaryFailure as failure:
                    log.warning(
                        "sending to user %s failed for now: %s", recipient.user_id, type(failure).__name__
                    )
                    return Delivered("retry", reason="error")
                except DeliveryError:
                    log.warning("sending to user %s failed", recipient.user_id)
                    return Delivered("retry", reason="error")
                except Exception:
                    log.exception("the %s sender failed unexpectedly", recipient.platform)
                    return Delivered("retry", reason="error")
            return Delivered("retry", retry_after=last_wait, reason="rate_limited")
