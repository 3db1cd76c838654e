"""The door of ``/slack/events``: what is refused before slack-bolt sees a request, and what is taken once.

In order, each step as cheap as it can be:

1. Signature headers present and well formed, the timestamp a number within five minutes: else 401,
   before a byte of the body is read (no traceback, nothing logged above DEBUG).
2. A declared body over :data:`bot.http_limits.MAX_BODY_BYTES` (1 MiB): 413 at once; a body sent without
   a length stops being read at that size (413).
3. The signature over the body (which must be UTF-8, as Slack's is): else 401 (400). Only now is the
   body looked at.
4. The body must be a request Slack sends, with fields of the types bolt and the listeners read
   (:mod:`bot.slack.shapes`): else 400 (415 for another content type).
5. Each delivery is taken once in the database (:mod:`storage.receipts`): a retried event (same event id),
   a replayed request (same signature), or one event sent to two replicas is acknowledged and not handled
   again, across replicas and restarts.

A refused request with a body still unread closes its connection, so nobody can make us drain megabytes.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp
from slack_sdk.signature import SignatureVerifier

from bot.http_limits import MAX_BODY_BYTES, declared_too_large, refusal
from bot.slack.shapes import FORM, JSON, MalformedRequest, delivery_key, parse
from storage import receipts
from storage.db import Database

log = logging.getLogger(__name__)

MAX_AGE_SECONDS = 5 * 60  # Slack's own rule for a request's timestamp
KEEP_RECEIPTS = timedelta(hours=1)  # Slack retries within minutes; a replayed signature is stale in five
SWEEP_EVERY = timedelta(minutes=10)

_TIMESTAMP = re.compile(r"^[0-9]{1,12}$")
_SIGNATURE = re.compile(r"^v0=[0-9a-f]{64}$")


class SlackGate:
    """Checks every request to ``/slack/events`` before bolt does (see the module docstring).

    ``signing_secret`` is the app's; ``database`` remembers deliveries; ``clock`` gives the time stored
    with them (the signature's freshness is always judged by the real clock, as Slack's is).
    """

    def __init__(self, signing_secret: str, database: Database, clock: Callable[[], datetime]) -> None:
        self.verifier = SignatureVerifier(signing_secret)
        self.database = database
        self.clock = clock
        self._swept_at: datetime | None = None

    def web_app(self, bolt: AsyncApp, path: str) -> web.Application:
        """An aiohttp application serving ``path``: this gate first, then ``bolt`` as usual."""
        web_app = web.Application(client_max_size=MAX_BODY_BYTES)

        async def serve(request: web.Request) -> web.Response:
            refused = await self.admit(request)
            if refused is not None:
                return refused
            return await to_aiohttp_response(await bolt.async_dispatch(await to_bolt_request(request)))

        web_app.router.add_post(path, serve)
        return web_app

    async def admit(self, request: web.Request) -> web.Response | None:
        """``None`` when bolt may handle ``request`` (its body is read and cached); else the response."""
        stamp = request.headers.get("X-Slack-Request-Timestamp", "")
        signature = request.headers.get("X-Slack-Signature", "")
        if not (_TIMESTAMP.match(stamp) and _SIGNATURE.match(signature)):
            return self._refuse(401, "missing or malformed signature headers")
        if abs(time.time() - int(stamp)) > MAX_AGE_SECONDS:
            return self._refuse(401, "stale timestamp")
        if declared_too_large(request):
            return self._refuse(413, "body too large")
        try:
            body = await request.read()
        except web.HTTPRequestEntityTooLarge:
            return self._refuse(413, "body too large")
        try:
            text = body.decode("utf-8")  # Slack sends UTF-8, and the verifier needs text
        except UnicodeDecodeError:
            return self._refuse(400, "body is not UTF-8")
        if not self.verifier.is_valid(text, stamp, signature):
            return self._refuse(401, "invalid signature")
        content_type = request.content_type
        if content_type not in (FORM, JSON):
            return self._refuse(415, "unsupported content type")
        try:
            document = parse(text, content_type)
        except MalformedRequest as error:
            log.info("slack: refused a signed but malformed request (%s)", error)
            return refusal(400, "malformed request")
        key = delivery_key(document, signature)
        if key is not None and not await self.first_delivery(key):
            log.info("slack: a delivery taken before was acknowledged again and not handled")
            return web.Response(status=200)
        return None

    def _refuse(self, status: int, reason: str) -> web.Response:
        log.debug("slack: refused a request: %s", reason)
        return refusal(status, reason)

    async def once_per_event(
        self, body: dict[str, Any], ack: Callable[[], Awaitable[Any]], next_: Callable[[], Awaitable[Any]]
    ) -> Any:
        """Bolt middleware for Socket Mode, where no request passes :meth:`admit`: an event Slack sends again
        (same event id) is acknowledged and not handled twice."""
        event_id, team = body.get("event_id"), body.get("team_id")
        is_event = (
            body.get("type") == "event_callback" and isinstance(event_id, str) and isinstance(team, str)
        )
        if is_event and not await self.first_delivery(f"slack:event:{team}:{event_id}"):
            return await ack()
        return await next_()

    async def first_delivery(self, key: str) -> bool:
        """True the first time ``key`` is seen, across replicas and restarts (see :mod:`storage.receipts`)."""
        now = self.clock()
        async with self.database.session() as session:
            first = await receipts.take(session, key, now)
        if self._swept_at is None or now - self._swept_at >= SWEEP_EVERY:
            # Its own transaction: two replicas taking one key must never also wait on each other's sweep.
            self._swept_at = now
            async with self.database.session() as session:
                await receipts.forget_before(session, now - KEEP_RECEIPTS)
        return first
