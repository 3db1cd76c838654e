"""Runs every configured adapter, and the services beside them, in one event loop until cancelled."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from pydantic import SecretStr

from bot.lease import ProcessLease
from bot.llm import ai_services
from bot.metrics import Metrics
from bot.settings import Settings
from bot.startup import StartError as StartError  # where ``encore run``'s callers have found it
from bot.startup import open_database
from coach import city_zones
from coach.core import Coach
from coach.delivery import Sender
from storage.db import Database

if TYPE_CHECKING:
    from bot.webapp import WebApp

log = logging.getLogger(__name__)


class Service(Protocol):
    """Something ``encore run`` starts and stops: an adapter, the scheduler, the health endpoint."""

    name: str

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


class Adapter(Service, Protocol):
    sender: Sender


@runtime_checkable
class ChatLinked(Protocol):
    """An adapter whose chat has a public link (Telegram's ``https://t.me/<bot>``), once started."""

    def chat_link(self) -> str | None: ...


def build_adapters(settings: Settings, coach: Coach) -> list[Adapter]:
    adapters: list[Adapter] = []
    if settings.telegram_enabled:
        from bot.telegram import TelegramAdapter

        adapters.append(TelegramAdapter(settings, coach, inbox=settings.encore_telegram_inbox))
    if settings.slack_enabled:
        from bot.slack import SlackAdapter

        adapters.append(SlackAdapter(settings, coach))
    return adapters


def build_senders(settings: Settings, adapters: list[Adapter]) -> dict[str, Sender]:
    """One sender per platform for proactive messages: each adapter's, and the console outbox file if set."""
    senders: dict[str, Sender] = {adapter.sender.platform: adapter.sender for adapter in adapters}
    if settings.encore_console_outbox is not None:
        from bot.console_outbox import ConsoleOutbox

        senders["console"] = ConsoleOutbox(settings.encore_console_outbox)
    return senders


def build_services(
    settings: Settings,
    database: Database,
    coach: Coach,
    senders: dict[str, Sender],
    metrics: Metrics | None = None,
    adapters: Sequence[Adapter] = (),
) -> list[Service]:
    """Services that run beside the adapters (the check-in scheduler, the health endpoint and, with
    ``ENCORE_WEBAPP_URL``, the dashboard app beside it)."""
    from bot.scheduler import SchedulerService

    services: list[Service] = [SchedulerService(settings, database, senders, clock=coach.clock)]
    if settings.encore_http_port is not None:
        from bot.health import HealthServer

        services.append(
            HealthServer(
                database,
                metrics or Metrics(),
                host=settings.encore_http_listen,
                port=settings.encore_http_port,
                metrics_token=_secret(settings.encore_metrics_token),
                webapp=build_webapp(settings, coach, adapters),
            )
        )
    return services


def _secret(value: SecretStr | None) -> str | None:
    """The secret's text, or ``None`` when it is unset or blank."""
    if value is None:
        return None
    return value.get_secret_value().strip() or None


def build_webapp(settings: Settings, coach: Coach, adapters: Sequence[Adapter] = ()) -> WebApp | None:
    """The dashboard app, when ``ENCORE_WEBAPP_URL`` and a Telegram token are set (its sign-in is
    Telegram's)."""
    if not settings.webapp_enabled or settings.telegram_bot_token is None:
        return None
    from bot.webapp import WebApp

    chat_links = [adapter.chat_link for adapter in adapters if isinstance(adapter, ChatLinked)]
    return WebApp(
        coach,
        bot_token=settings.telegram_bot_token.get_secret_value(),
        chat_link=chat_links[0] if chat_links else lambda: None,
    )


async def run_services(settings: Settings) -> None:
    database = await open_database(settings)
    metrics = Metrics()
    coach = Coach(database, observers=[metrics.observe], services=ai_services(settings))
    # The city index behind "부산" or "Busan" takes a second or two to build: do it now, not on a user's answer.
    warming = asyncio.ensure_future(asyncio.to_thread(city_zones.warm_up))
    adapters = build_adapters(settings, coach)
    # Proactive messages (check-ins) go through counting senders, so /metrics sees them too.
    senders = {
        platform: metrics.counting(sender) for platform, sender in build_senders(settings, adapters).items()
    }
    # The lease first and given back last: while any part runs, a restore is refused.
    lease = ProcessLease(database, "run")
    services: list[Service] = [
        lease,
        *adapters,
        *build_services(settings, database, coach, senders, metrics, adapters),
    ]
    started: list[Service] = []
    try:
        for service in services:
            await service.start()
            started.append(service)
            log.info("%s started", service.name)
        await asyncio.Event().wait()  # until cancelled by SIGTERM/SIGINT
    finally:
        for service in reversed(started):
            try:
                await service.stop()
            except Exception:
                log.exception("%s did not stop cleanly", service.name)
        warming.cancel()
        await database.dispose()
