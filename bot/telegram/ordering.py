"""Updates from different users run side by side; one user's updates run strictly in the order sent.

PTB processes updates one at a time unless told otherwise. Handling users concurrently keeps one slow
conversation (a flood-control wait, a slow database) from holding up everyone else, but a user's own
messages must still reach the coach in order: "22" typed after "/start" is the answer to the first question.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor


class PerUserUpdateProcessor(BaseUpdateProcessor):
    """At most ``max_concurrent_updates`` updates at once, and never two from the same user (or chat).
    ``on_done`` hears of each update whose handling ran to its end (handlers' errors included)."""

    def __init__(self, max_concurrent_updates: int, on_done: Callable[[object], None] | None = None) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[int, asyncio.Lock] = {}
        self._waiting: dict[int, int] = {}
        self._on_done = on_done

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        await self._in_turn(update, coroutine)
        if self._on_done is not None:
            self._on_done(update)

    async def _in_turn(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = _sender_of(update)
        if key is None:
            await coroutine
            return
        # PTB starts one task per update in arrival order and this runs without a pause up to the
        # lock, so the lock's first-come-first-served queue keeps the user's order.
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._waiting[key] = self._waiting.get(key, 0) + 1
        try:
            async with lock:
                await coroutine
        finally:
            self._waiting[key] -= 1
            if not self._waiting[key]:
                del self._waiting[key], self._locks[key]

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release: locks go as their users' updates finish."""


def _sender_of(update: object) -> int | None:
    if not isinstance(update, Update):
        return None
    if update.effective_user is not None:
        return update.effective_user.id
    return update.effective_chat.id if update.effective_chat is not None else None
