"""``/healthz`` and ``/metrics`` on ``ENCORE_HTTP_PORT``: a small aiohttp server beside the adapters.

``/healthz`` answers 200 when the database answers (503 otherwise), for container health checks and load
balancers; ``/metrics`` is the Prometheus exposition of :class:`bot.metrics.Metrics`.
"""

from __future__ import annotations

import asyncio
import logging

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST
from sqlalchemy import text

from bot.metrics import Metrics
from storage.db import Database

log = logging.getLogger(__name__)

DATABASE_TIMEOUT = 3.0


class HealthServer:
    """A :class:`bot.runner.Service`. ``port`` 0 picks a free port; :attr:`port` tells which after start."""

    name = "health"

    def __init__(self, database: Database, metrics: Metrics, *, host: str, port: int) -> None:
        self.database = database
        self.metrics = metrics
        self.host = host
        self.port = port
        self._runner: web.AppRunner | None = None

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/healthz", self._healthz)
        app.router.add_get("/metrics", self._metrics)
        return app

    async def start(self) -> None:
        self._runner = web.AppRunner(self.app(), access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        self.port = self._runner.addresses[0][1]
        log.info("health and metrics on http://%s:%d/", self.host, self.port)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _healthz(self, request: web.Request) -> web.Response:
        try:
            async with asyncio.timeout(DATABASE_TIMEOUT):
                async with self.database.engine.connect() as connection:
                    await connection.execute(text("SELECT 1"))
        except Exception as error:
            log.warning("health check: database unavailable (%s)", type(error).__name__)
            return web.json_response({"status": "unavailable", "database": "down"}, status=503)
        return web.json_response({"status": "ok", "database": "ok"})

    async def _metrics(self, request: web.Request) -> web.Response:
        response = web.Response(body=self.metrics.exposition())
        response.headers["Content-Type"] = CONTENT_TYPE_LATEST
        return response
