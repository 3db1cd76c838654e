"""The Telegram webhook server: the secret is checked from the headers, before a byte of the body is read.

python-telegram-bot's own webhook server (tornado) reads a whole request body, up to 100 MB, before its
handler can look at the secret header, so anyone could make every replica hold that much memory. This
aiohttp server refuses a request without the right ``X-Telegram-Bot-Api-Secret-Token`` (403) and one that
declares or brings more than 1 MiB (413) unread, then puts the update into PTB's update queue, which writes
it to the inbox first (:class:`bot.telegram.inbox.InboxQueue`): the 200 goes back only once it is written.
"""

from __future__ import annotations

import hmac
import json
import logging

from aiohttp import web
from telegram import Bot, Update

from bot.http_limits import LINGER_SECONDS, MAX_BODY_BYTES, declared_too_large, refusal
from bot.telegram.inbox import InboxQueue

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


class WebhookServer:
    """Serves ``path`` on ``listen:port`` for Telegram, handing updates to ``queue``."""

    def __init__(
        self, queue: InboxQueue, bot: Bot, *, path: str, secret: str, listen: str, port: int
    ) -> None:
        self.queue = queue
        self.bot = bot
        self.path = path
        self.secret = secret.encode()
        self.listen = listen
        self.port = port
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        app = web.Application(client_max_size=MAX_BODY_BYTES)
        app.router.add_post(self.path, self._post)
        self._runner = web.AppRunner(app, access_log=None, lingering_time=LINGER_SECONDS)
        await self._runner.setup()
        await web.TCPSite(self._runner, self.listen, self.port).start()

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _post(self, request: web.Request) -> web.StreamResponse:
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, self.secret):
            return refusal(403, "wrong or missing secret token")
        if declared_too_large(request):
            return refusal(413, "request body too large")
        try:
            update = Update.de_json(json.loads(await request.read()), self.bot)
        except web.HTTPRequestEntityTooLarge:
            return refusal(413, "request body too large")
        except (ValueError, TypeError, KeyError, AttributeError):
            return refusal(400, "not a Telegram update")
        if update is None:
            return refusal(400, "not a Telegram update")
        try:
            await self.queue.put(update)
        except Exception as error:  # not written down: Telegram sends it again after a 500
            log.warning("could not take a Telegram update (%s)", type(error).__name__)
            return refusal(500, "try again")
        return web.Response(status=200)
