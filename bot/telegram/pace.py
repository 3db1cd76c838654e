"""Every replica's messages on one bot token at one pace: python-telegram-bot's rate-limiter hook over the
shared pace in PostgreSQL (:mod:`storage.pace`).

Telegram counts every message a bot sends (about 30 a second), replies and check-ins alike, whichever
replica sends them. Each ``send*`` call first takes a turn: it goes when fewer than ``per_second`` went in
the last second, and counts from when its request came back (Telegram counts a message when it arrives,
which on a busy host can be a good while after its turn). Check-ins (sent inside
:func:`bot.telegram.turns.background`) leave :data:`bot.outbox.LEFT_TO_REPLIES` of each second to replies, so a big check-in round never makes a person wait long for an answer. A 429 holds
the pace for every replica. If the database cannot be reached the message goes out unpaced (the outbox's
own pace still holds) rather than not at all.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

from bot.outbox import LEFT_TO_REPLIES
from bot.telegram.sender import retry_after_seconds
from bot.telegram.turns import in_background
from storage import pace
from storage.db import Database

log = logging.getLogger(__name__)

_PACED = frozenset({"sendMessage", "sendPhoto", "sendDocument", "copyMessage", "forwardMessage"})

JSON = bool | dict[str, Any] | list[dict[str, Any]]


class SharedPace(BaseRateLimiter[None]):
    """At most ``per_second`` messages a second on the token called ``name``, across every replica."""

    def __init__(self, database: Database, name: str, per_second: float) -> None:
        self.database = database
        self.name = name
        self.per_second = per_second
        # One request of each kind at a time asks the database; the others queue here, in order. Hundreds of
        # check-ins asking at once would only queue on the pace's row lock, and wake all together.
        self._lanes = {True: asyncio.Lock(), False: asyncio.Lock()}
        self._settling: set[asyncio.Task[None]] = set()

    async def initialize(self) -> None:
        """Nothing to set up: the pace row is created by the first send."""

    async def shutdown(self) -> None:
        """Let the last turns be settled."""
        if self._settling:
            await asyncio.wait(set(self._settling), timeout=2.0)

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, JSON]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: None,
    ) -> JSON:
        turn = await self._turn() if endpoint in _PACED else ""
        try:
            return await callback(*args, **kwargs)
        except RetryAfter as error:
            with contextlib.suppress(Exception):
                async with self.database.session() as session:
                    await pace.hold(session, self.name, retry_after_seconds(error))
            raise
        finally:
            if turn:  # in the background: the reply has gone, nobody waits for this
                task = asyncio.create_task(self._settle(turn))
                self._settling.add(task)
                task.add_done_callback(self._settling.discard)

    async def _turn(self) -> str:
        background = in_background()
        allowed = max(int(self.per_second) - (LEFT_TO_REPLIES if background else 0), 1)
        async with self._lanes[background]:
            return await self._wait_for_turn(allowed)

    async def _wait_for_turn(self, allowed: int) -> str:
        while True:
            try:
                async with self.database.session() as session:
                    wait, turn = await pace.take_turn(session, self.name, allowed)
            except Exception as error:
                log.warning(
                    "the shared send pace is out of reach (%s); sending unpaced", type(error).__name__
                )
                return ""
            if wait <= 0:
                return turn
            await asyncio.sleep(min(wait, 1.0))

    async def _settle(self, turn: str) -> None:
        try:
            async with self.database.session() as session:
                await pace.settle(session, self.name, turn)
        except Exception as error:  # the turn stays counted from when it was taken
            log.warning("could not settle a turn on the shared send pace (%s)", type(error).__name__)
