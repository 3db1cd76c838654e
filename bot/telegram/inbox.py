"""Nothing lost on a kill: every Telegram update is written to the inbox before Telegram hears it arrived.

Polling: Telegram forgets updates once ``getUpdates`` is called with a later offset, which python-telegram-
bot does as soon as the previous batch is queued. :class:`InboxRequest` (PTB's request object for
``getUpdates``) writes each batch to the inbox before handing it to PTB, so no later offset is ever sent
for an update that is not written down. Webhook: :class:`InboxQueue` writes the update before PTB's
webhook server answers 200 (a failed write answers 500, and Telegram sends it again).

Each handled update is deleted from the inbox (:class:`Finished`, a few at a time); :class:`TakeOver`
gives updates a dead process left behind (claim older than the lease) to this process. The coach takes
each update once (the update id is its key), so one handled before the kill and taken over after it
changes nothing: what the user wrote is acted on exactly once. A reply is sent after the event's
transaction commits, so a kill in between loses that reply (at most once), never doubles it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import socket
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from telegram import Bot, Update
from telegram._utils.types import ODVInput
from telegram.error import NetworkError
from telegram.request import BaseRequest, HTTPXRequest, RequestData

from storage import inbox, receipts
from storage.db import Database

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
KEEP_RECEIPTS = timedelta(days=2)  # Telegram keeps an unconfirmed update for a day
FINISH_EVERY = 0.05  # seconds a handled update waits to be deleted with others


def utc_now() -> datetime:
    return datetime.now(UTC)


def worker_name() -> str:
    """This process, as its inbox claims name it."""
    return f"{socket.gethostname()[:32]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class InboxRequest(HTTPXRequest):
    """PTB's ``getUpdates`` request: the updates it brings are in the inbox before PTB sees them."""

    def __init__(self, database: Database, worker: str, clock: Clock = utc_now) -> None:
        super().__init__(connection_pool_size=1)
        self.database = database
        self.worker = worker
        self.clock = clock

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        status, body = await super().do_request(
            url, method, request_data, read_timeout, write_timeout, connect_timeout, pool_timeout
        )
        if status == 200 and url.endswith("/getUpdates"):
            await self._write(body)
        return status, body

    async def _write(self, body: bytes) -> None:
        try:
            updates = json.loads(body).get("result") or []
            rows = [(int(update["update_id"]), json.dumps(update)) for update in updates]
        except (ValueError, TypeError, KeyError, AttributeError):
            return  # not a list of updates: PTB reports what is wrong with it
        if not rows:
            return
        try:
            async with self.database.session() as session:
                await inbox.put(session, rows, self.worker, self.clock())
        except Exception as error:
            # Not written, so not confirmed: PTB asks again with the same offset and gets them again.
            raise NetworkError(f"could not write updates to the inbox ({type(error).__name__})") from error


class InboxQueue(asyncio.Queue[object]):
    """PTB's update queue. In webhook mode each update is written to the inbox before it is queued (and
    so before the webhook answers); :meth:`requeue` queues an update taken over from the inbox."""

    def __init__(self, database: Database, worker: str, *, write: bool, clock: Clock = utc_now) -> None:
        super().__init__()
        self.database = database
        self.worker = worker
        self.write = write
        self.clock = clock

    async def put(self, item: object) -> None:
        if self.write and isinstance(item, Update):
            payload = json.dumps(item.to_dict())
            async with self.database.session() as session:
                await inbox.put(session, [(item.update_id, payload)], self.worker, self.clock())
        await super().put(item)

    async def requeue(self, item: Update) -> None:
        await super().put(item)


class Finished:
    """Deletes handled updates from the inbox, many in one transaction. A kill before the delete leaves
    the row behind: it is taken over and finds its update already handled."""

    def __init__(self, database: Database) -> None:
        self.database = database
        self._done: list[int] = []
        self._flushing: asyncio.Task[None] | None = None

    def handled(self, update: object) -> None:
        if not isinstance(update, Update):
            return
        self._done.append(update.update_id)
        if self._flushing is None or self._flushing.done():
            self._flushing = asyncio.ensure_future(self._flush())

    async def _flush(self) -> None:
        while self._done:
            await asyncio.sleep(FINISH_EVERY)
            batch, self._done = self._done, []
            try:
                async with self.database.session() as session:
                    await inbox.done(session, batch)
            except Exception as error:  # they stay; taken over later, they change nothing
                log.warning("could not clear %d handled updates from the inbox (%s)", len(batch), error)

    async def close(self) -> None:
        if self._flushing is not None:
            with contextlib.suppress(Exception):
                await self._flushing


class TakeOver:
    """Every ``lease / 4`` seconds, takes the updates whose claim is older than ``lease`` (their process
    died) and queues them here; sweeps old update keys now and then."""

    def __init__(
        self,
        database: Database,
        worker: str,
        queue: InboxQueue,
        bot: Bot,
        lease: timedelta,
        clock: Clock = utc_now,
    ) -> None:
        self.database = database
        self.worker = worker
        self.queue = queue
        self.bot = bot
        self.lease = lease
        self.clock = clock
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        swept_at: datetime | None = None
        while True:
            try:
                await self.once()
                now = self.clock()
                if swept_at is None or now - swept_at > timedelta(hours=1):
                    async with self.database.session() as session:
                        await receipts.forget_before(session, now - KEEP_RECEIPTS)
                    swept_at = now
            except Exception as error:  # the database may be away for a moment: the next round retries
                log.warning("could not look for updates left in the inbox (%s)", type(error).__name__)
            await asyncio.sleep(max(self.lease.total_seconds() / 4, 0.2))

    async def once(self) -> int:
        """Take over what dead processes left; returns how many updates were queued here."""
        now = self.clock()
        async with self.database.session() as session:
            taken = await inbox.take_over(session, self.worker, now, now - self.lease)
        for update_id, payload in taken:
            update = Update.de_json(json.loads(payload), self.bot)
            if update is None:  # cannot be read back: nothing to do with it
                log.warning("dropped an unreadable update %s from the inbox", update_id)
                async with self.database.session() as session:
                    await inbox.done(session, [update_id])
                continue
            await self.queue.requeue(update)
        if taken:
            log.info("took over %d updates a stopped process had not handled", len(taken))
        return len(taken)
