"""``/healthz`` and ``/metrics`` on ``ENCORE_HTTP_PORT``: a small aiohttp server beside the adapters.

``/healthz`` answers 200 when the database answers (503 otherwise), for container health checks and load
balancers; ``/metrics`` is the Prometheus exposition of :class:`bot.metrics.Metrics`, behind a bearer token
when ``ENCORE_METRICS_TOKEN`` is set (``/healthz`` stays open: it tells nothing but "up"). Neither endpoint
takes a body, so a request that brings one is refused unread. With the dashboard app switched on
(``ENCORE_WEBAPP_URL``) it also serves ``/app/`` (see :mod:`bot.webapp`).
"""

from __future__ import annotations

import asyncio
import hmac
import logging
from typing import TYPE_CHECKING

from aiohttp import web
from aiohttp.http_exceptions import BadHttpMessage
from prometheus_client import CONTENT_TYPE_LATEST
from sqlalchemy import text

from bot.http_limits import LINGER_SECONDS, MAX_BODY_BYTES, no_body, refusal
from bot.metrics import Metrics
from storage.db import Database

if TYPE_CHECKING:
    from bot.webapp import WebApp

log = logging.getLogger(__name__)


class _WithoutRequestText(logging.Filter):
    """aiohttp logs a request it cannot parse (a header over 8 KB, a bad character) with the start of
    the offending line: that may be someone's sign-in data for the dashboard app. Such a record keeps
    only the kind of error, at INFO (it is the client's fault, not ours)."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, BadHttpMessage):
            record.msg, record.args = "refused a malformed HTTP request (%s)", (type(error).__name__,)
            record.exc_info, record.exc_text = None, None
            record.levelno, record.levelname = logging.INFO, "INFO"
        return True


def _http_logger() -> logging.Logger:
    logger = logging.getLogger("bot.health.http")
    if not any(isinstance(existing, _WithoutRequestText) for existing in logger.filters):
        logger.addFilter(_WithoutRequestText())
    return logger


DATABASE_TIMEOUT = 3.0


class HealthServer:
    """A :class:`bot.runner.Service`. ``port`` 0 picks a free port; :attr:`port` tells which after start.

    ``metrics_token``, when given, must come as ``Authorization: Bearer <token>`` to read ``/metrics``;
    ``webapp``, if given, is served under ``/app/``.
    """

    name = "health"

    def __init__(
        self,
        database: Database,
        metrics: Metrics,
        *,
        host: str,
        port: int,
        metrics_token: str | None = None,
        webapp: WebApp | None = None,
    ) -> None:
        self.database = database
        self.metrics = metrics
        self.host = host
        self.port = port
        self.metrics_token = metrics_token or None
        self.webapp = webapp
        self._runner: web.AppRunner | None = None

    def app(self) -> web.Application:
        app = web.Application(client_max_size=MAX_BODY_BYTES, middlewares=[no_body])
        app.router.add_get("/healthz", self._healthz)
        app.router.add_get("/metrics", self._metrics)
        if self.webapp is not None:
            self.webapp.install(app)
        return app

    async def start(self) -> None:
        self._runner = web.AppRunner(
            self.app(), access_log=None, logger=_http_logger(), lingering_time=LINGER_SECONDS
        )
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        self.port = self._runner.addresses[0][1]
        log.info(
            "health and metrics on http://%s:%d/ (/metrics %s)",
            self.host,
            self.port,
            "needs its bearer token" if self.metrics_token else "open",
        )

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
        if self.metrics_token is not None and not self._authorized(request):
            return refusal(401, "a bearer token is required", {"WWW-Authenticate": 'Bearer realm="metrics"'})
        response = web.Response(body=self.metrics.exposition())
        response.headers["Content-Type"] = CONTENT_TYPE_LATEST
        return response

    def _authorized(self, request: web.Request) -> bool:
        assert self.metrics_token is not None
        scheme, _, given = request.headers.get("Authorization", "").partition(" ")
        return scheme.lower() == "bearer" and hmac.compare_digest(
            given.strip().encode(), self.metrics_token.encode()
        )
