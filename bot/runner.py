"""Runs every configured adapter, and the services beside them, in one event loop until cancelled."""

from __future__ import annotations

import asyncio
import logging
from typing import Protocol

from pydantic import SecretStr

from bot.lease import ProcessLease
from bot.metrics import Metrics
from bot.settings import Settings
from coach.core import Coach
from coach.delivery import Sender
from storage.db import Database

log = logging.getLogger(__name__)


class StartError(RuntimeError):
    """A service could not start for a reason the operator can fix; the message says what to check."""


class Service(Protocol):
    """Something ``encore run`` starts and stops: an adapter, the scheduler, the health endpoint."""

    name: str

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


class Adapter(Service, Protocol):
    sender: Sender


def build_adapters(settings: Settings, coach: Coach) -> list[Adapter]:
    adapters: list[Adapter] = []
    if settings.telegram_enabled:
        from bot.telegram import TelegramAdapter

        adapters.append(TelegramAdapter(settings, coach))
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
) -> list[Service]:
    """Services that run beside the adapters (the check-in scheduler, the health endpoint)."""
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
            )
        )
    return services


def _secret(value: SecretStr | None) -> str | None:
    """The secret's text, or ``None`` when it is unset or blank."""
    if value is None:
        return None
    return value.get_secret_value().strip() or None


async def run_services(settings: Settings) -> None:
    from bot.cli import open_database

    database = await open_database(settings)
    metrics = Metrics()
    coach = Coach(database, observers=[metrics.observe])
    adapters = build_adapters(settings, coach)
    # Proactive messages (check-ins) go through counting senders, so /metrics sees them too.
    senders = {
        platform: metrics.counting(sender) for platform, sender in build_senders(settings, adapters).items()
    }
    # The lease first and given back last: while any part runs, a restore is refused.
    lease = ProcessLease(database, "run")
    services: list[Service] = [lease, *adapters, *build_services(settings, database, coach, senders, metrics)]
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
        await database.dispose()
