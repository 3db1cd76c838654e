"""Running the real Telegram adapter against the fake Bot API, and people who chat with it.

``running_bot`` starts :class:`bot.telegram.TelegramAdapter` (polling or webhook) exactly as ``encore run``
does, only with a retry policy whose waits are recorded instead of slept. A :class:`ChatUser` sends
updates through the fake and waits until the bot has finished with them: the fake confirms the update was
taken, then PTB's update queue reports it processed, so no test sleeps or guesses.
"""

from __future__ import annotations

import asyncio
import os
import re
import socket
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Literal
from urllib.parse import parse_qs, urlsplit

from sqlalchemy.ext.asyncio import AsyncSession

from bot.settings import Settings
from bot.telegram import TelegramAdapter
from bot.telegram.sender import Patient
from coach.core import Coach
from coach.flows.base import Flow
from storage import users
from storage.db import Database
from storage.models import User
from tests.fakes.telegram_api import BOT_USER, TOKEN, FakeTelegram, Sent, private_chat, user
from tests.support import FakeClock

Mode = Literal["polling", "webhook"]
WEBHOOK_SECRET = "s3cret-only-telegram-knows"
UNLIMITED = 1000  # messages a second: a pace the fake never notices
ROOT = Path(__file__).resolve().parents[1]


def encore_run_env(fake: FakeTelegram, database_url: str, **extra: str) -> dict[str, str]:
    """The environment of an ``encore run`` child process that polls ``fake`` and stores in
    ``database_url``, with ``extra`` settings: of this process's own environment only ``PATH``."""
    return {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": str(ROOT),
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_URL": fake.base_url,
        "ENCORE_DATABASE_URL": database_url,
        **extra,
    }


def free_port() -> int:
    """A port nobody listens on (PTB's webhook server takes a port number, not a bound socket)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def telegram_settings(
    fake: FakeTelegram, database_url: str, mode: Mode = "polling", **extra: Any
) -> Settings:
    values: dict[str, Any] = {
        "encore_database_url": database_url,
        "telegram_bot_token": TOKEN,
        "telegram_api_url": fake.base_url,
        # The fake enforces no limit unless a test asks it to: no need to pace replies at Telegram's.
        "telegram_messages_per_second": UNLIMITED,
    }
    if mode == "webhook":
        port = free_port()
        values |= {
            "telegram_webhook_url": f"http://127.0.0.1:{port}/telegram/updates",
            "telegram_webhook_secret": WEBHOOK_SECRET,
            "telegram_webhook_listen": "127.0.0.1",
            "telegram_webhook_port": port,
        }
    return Settings(_env_file=None, **(values | extra))  # type: ignore[call-arg]


@dataclass
class RunningBot:
    fake: FakeTelegram
    adapter: TelegramAdapter
    coach: Coach
    waits: list[float] = field(default_factory=list)

    async def settle(self, update_id: int, timeout: float = 10.0) -> None:
        """Return once the bot has taken ``update_id`` and finished every update it holds; each of the
        waits may take ``timeout`` seconds (a test that queues hundreds of updates at once gives more)."""
        await self.fake.handed_over(update_id, timeout)
        await asyncio.wait_for(self.adapter.application.update_queue.join(), timeout)
        # Model answers are sent in tasks of their own.
        await asyncio.wait_for(self.adapter.handlers.drain(), timeout)


@asynccontextmanager
async def running_bot(
    fake: FakeTelegram,
    database: Database,
    *,
    mode: Mode = "polling",
    clock: FakeClock | None = None,
    flows: Sequence[Flow] | None = None,
    services: Mapping[str, object] | None = None,
    **settings: Any,
) -> AsyncIterator[RunningBot]:
    """The adapter on ``fake`` as ``encore run`` starts it; ``settings`` are extra configuration values,
    ``services`` the coach's (an AI model, say)."""
    coach = Coach(database, clock=clock or FakeClock(), flows=flows, services=services)
    waits: list[float] = []

    async def recorded_sleep(seconds: float) -> None:
        waits.append(seconds)
        await asyncio.sleep(0)

    adapter = TelegramAdapter(
        telegram_settings(fake, database.url, mode, **settings),
        coach,
        attempt=Patient(attempts=4, backoff=0.01, sleep=recorded_sleep),
    )
    await adapter.start()
    try:
        yield RunningBot(fake, adapter, coach, waits)
    finally:
        await adapter.stop()


class ChatUser:
    """A Telegram user in a private chat (or in ``chat``) with the bot under test."""

    def __init__(
        self,
        bot: RunningBot,
        user_id: int,
        *,
        first_name: str = "Alice",
        language_code: str | None = "en",
        chat: dict[str, Any] | None = None,
    ) -> None:
        self.bot = bot
        self.user = user(user_id, first_name, language_code)
        self.chat = chat or private_chat(self.user)
        self.last_query_id = ""

    @property
    def fake(self) -> FakeTelegram:
        return self.bot.fake

    @property
    def chat_id(self) -> int:
        return int(self.chat["id"])

    @property
    def messages(self) -> list[Sent]:
        return self.fake.messages(self.chat_id)

    async def deliver(self, update: dict[str, Any]) -> list[Sent]:
        """Send any update; returns the messages the bot posted in this chat while handling it."""
        before = len(self.messages)
        await self.bot.settle(self.fake.add_update(update))
        return self.messages[before:]

    async def send(self, text: str) -> list[Sent]:
        return await self.deliver(self.fake.message(self.user, self.chat, text))

    async def open_link(self, url: str) -> list[Sent]:
        """Open a deep link as a Telegram app does: ``https://t.me/<bot>?start=<payload>`` sends
        ``/start <payload>`` to that bot, if the payload is 1-64 of ``A-Za-z0-9_-`` (Telegram's rule)."""
        parts = urlsplit(url)
        assert (parts.scheme, parts.netloc, parts.path) == ("https", "t.me", f"/{BOT_USER['username']}"), url
        (payload,) = parse_qs(parts.query)["start"]
        assert re.fullmatch(r"[A-Za-z0-9_-]{1,64}", payload), f"Telegram would not pass on {payload!r}"
        return await self.send(f"/start {payload}")

    async def press(self, label: str, on: Sent | None = None) -> list[Sent]:
        """Press the newest button labelled ``label`` (or the one on ``on``)."""
        message = on or self.with_button(label)
        return await self.press_data(message, message.button(label)["callback_data"])

    async def press_data(self, message: Sent, data: str) -> list[Sent]:
        """Send a button press carrying ``data``, whatever the message's buttons say (a forged press)."""
        update, self.last_query_id = self.fake.callback(self.user, message, data)
        return await self.deliver(update)

    @property
    def answer(self) -> dict[str, Any]:
        """How the bot answered the last button press (the pop-up text, if any)."""
        return self.fake.answers[self.last_query_id]

    def with_button(self, label: str) -> Sent:
        for message in reversed(self.messages):
            if label in message.labels:
                return message
        shown = [m.labels for m in self.messages if m.labels]
        raise AssertionError(f"no button {label!r} in the chat; keyboards: {shown}")

    @property
    def last(self) -> Sent:
        return self.messages[-1]


def texts(messages: Sequence[Sent]) -> str:
    return "\n\n".join(message.text for message in messages)


async def known_person(session: AsyncSession, telegram_id: int, now: datetime) -> User:
    """Someone who has written to the bot before ``now``: an English Telegram identity in UTC."""
    person, _, _ = await users.resolve_identity(
        session,
        platform="telegram",
        workspace="",
        external_id=str(telegram_id),
        chat_id=str(telegram_id),
        language_code="en",
        display_name=None,
        timezone="UTC",
        now=now,
    )
    return person
