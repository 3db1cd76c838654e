"""Encore on Telegram: builds the python-telegram-bot ``Application`` and runs it inside ``encore run``.

Long polling by default (one replica at a time on PostgreSQL, :mod:`bot.telegram.poller`); with
``TELEGRAM_WEBHOOK_URL`` our webhook server (:mod:`bot.telegram.webhook`) listens instead and turns away
(HTTP 403) any request without the right ``X-Telegram-Bot-Api-Secret-Token`` before reading its body.
Either way each update is in the inbox before Telegram is told it arrived (:mod:`bot.telegram.inbox`).
``TELEGRAM_API_URL`` is PTB's ``base_url``, so a local Bot API server (or a test double) can stand in for
api.telegram.org.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from datetime import timedelta

from telegram import Update
from telegram.error import InvalidToken, NetworkError, TelegramError
from telegram.ext import Application

from bot.settings import Settings
from bot.startup import StartError
from bot.telegram import profile
from bot.telegram.handlers import Handlers
from bot.telegram.inbox import Finished, InboxQueue, InboxRequest, TakeOver, worker_name
from bot.telegram.ordering import PerUserUpdateProcessor
from bot.telegram.pace import SharedPace
from bot.telegram.poller import PollerLock, bot_key
from bot.telegram.redaction import RedactToken
from bot.telegram.sender import Attempt, Patient, TelegramSender
from bot.telegram.webhook import WebhookServer
from coach.core import Coach
from coach.delivery import Sender
from storage import inbox

log = logging.getLogger(__name__)

ALLOWED_UPDATES = (Update.MESSAGE, Update.CALLBACK_QUERY)
MAX_CONCURRENT_UPDATES = 16
UNPACED = 1000  # messages a second from which no shared pace is kept (TELEGRAM_MESSAGES_PER_SECOND's most)  # across users; each user's own updates still run one at a time
# What Telegram accepts as a deep link's start parameter (https://core.telegram.org/bots/features#deep-linking).
START_PARAMETER = re.compile(r"[A-Za-z0-9_-]{1,64}")


class TelegramStartError(StartError):
    """Telegram would not let the bot start; the message says what to check (and never holds the token)."""


class TelegramAdapter:
    """The coach on Telegram, started and stopped by ``encore run``.

    ``settings`` gives the token, API URL and webhook options; ``coach`` answers every event.
    ``poll_timeout`` is the long-poll wait in seconds; ``attempt`` decides how reply calls are retried
    (default :class:`~bot.telegram.sender.Patient`; tests give it a sleep that only records);
    ``max_concurrent_updates`` is how many users are served at once; ``inbox`` False handles updates
    straight from Telegram without writing them down first (a benchmark's baseline: a kill loses them).
    """

    name = "telegram"

    def __init__(
        self,
        settings: Settings,
        coach: Coach,
        *,
        poll_timeout: float = 10.0,
        attempt: Attempt | None = None,
        max_concurrent_updates: int = MAX_CONCURRENT_UPDATES,
        inbox: bool = True,
    ) -> None:
        if settings.telegram_bot_token is None:
            raise ValueError("TELEGRAM_BOT_TOKEN is not set")
        self.settings = settings
        self.coach = coach
        self._redaction = RedactToken(settings.telegram_bot_token.get_secret_value())
        self._redaction.install()  # before PTB builds its Bot, which logs its URL at DEBUG
        self.poll_timeout = poll_timeout
        database, worker = coach.database, worker_name()
        self.worker = worker
        self.queue = InboxQueue(database, worker, write=inbox and self.webhook_mode)
        self.finished = Finished(database) if inbox else None
        builder = (
            Application.builder()
            .token(settings.telegram_bot_token.get_secret_value())
            .base_url(settings.telegram_api_url)
            .update_queue(self.queue)
            .concurrent_updates(
                PerUserUpdateProcessor(
                    max_concurrent_updates, on_done=self.finished.handled if self.finished else None
                )
            )
            # Check-ins are scheduled in the database; PTB's in-memory job queue would forget them.
            .job_queue(None)
        )
        if inbox:
            builder = builder.get_updates_request(InboxRequest(database, worker))
        per_second = settings.telegram_messages_per_second
        if not database.is_sqlite and per_second < UNPACED:  # replicas share PostgreSQL: one pace per token
            token = settings.telegram_bot_token.get_secret_value()
            name = f"telegram:{bot_key(token)}"
            builder = builder.rate_limiter(SharedPace(database, name, per_second))
        self.application = builder.build()
        self.take_over = (
            TakeOver(
                database,
                worker,
                self.queue,
                self.application.bot,
                timedelta(seconds=settings.encore_inbox_lease_seconds),
            )
            if inbox
            else None
        )
        # Several replicas on PostgreSQL: one polls at a time (webhook mode needs no lock).
        self.poller_lock = (
            PollerLock(database, settings.telegram_bot_token.get_secret_value())
            if not self.webhook_mode and not database.is_sqlite
            else None
        )
        self._polling: asyncio.Task[None] | None = None
        self.webhook: WebhookServer | None = None
        # The dashboard app's address, for the menu button and the buttons that open it.
        self.webapp_url = settings.encore_webapp_url if settings.webapp_enabled else None
        self.sender: Sender = TelegramSender(self.application.bot, webapp_url=self.webapp_url)
        # SQLite lets one transaction write at a time and makes the others sleep and retry (naps of up to
        # 100 ms); handing the coach one event at a time passes the turn on at once instead.
        coach_concurrency = 1 if coach.database.is_sqlite else max_concurrent_updates
        self.handlers = Handlers(
            coach, attempt or Patient(), coach_concurrency=coach_concurrency, webapp_url=self.webapp_url
        )
        self.handlers.install(self.application, [command for command, _ in coach.commands("en")])
        coach.start_links[self.name] = self.start_link  # /link offers a deep link beside its code

    @property
    def webhook_mode(self) -> bool:
        return bool(self.settings.telegram_webhook_url)

    async def start(self) -> None:
        application = self.application
        try:
            await application.initialize()  # getMe: checks the token
        except InvalidToken:
            await application.bot.shutdown()
            # PTB's own message quotes the token; ours must not.
            raise TelegramStartError(
                "Telegram rejected TELEGRAM_BOT_TOKEN. Check the token (and TELEGRAM_API_URL if you set it)."
            ) from None
        except NetworkError as error:
            await application.bot.shutdown()
            raise TelegramStartError(
                f"Could not reach Telegram at {self.settings.telegram_api_url} ({error}). "
                "Check the network, or TELEGRAM_API_URL if you set it."
            ) from None
        try:
            await profile.register(application.bot, self.coach, self.webapp_url)
            await application.start()
            assert application.updater is not None
            if self.webhook_mode:
                await self._start_webhook()
            elif self.poller_lock is not None:
                self._polling = asyncio.create_task(self._poll_while_holding_the_lock())
            else:
                await self._start_polling()
        except BaseException:
            await self.stop()
            raise
        if self.take_over is not None:
            self.take_over.start()  # at once: what a stopped process left is finished first
        log.info(
            "Telegram bot @%s is %s",
            application.bot.username,
            "serving its webhook" if self.webhook_mode else "polling for updates",
        )

    async def _start_webhook(self) -> None:
        """Our own webhook server (secret and size checked before the body is read), then setWebhook."""
        settings = self.settings
        assert settings.telegram_webhook_url and settings.telegram_webhook_secret
        secret = settings.telegram_webhook_secret.get_secret_value()
        self.webhook = WebhookServer(
            self.queue,
            self.application.bot,
            path=settings.telegram_webhook_path,
            secret=secret,
            listen=settings.telegram_webhook_listen,
            port=settings.telegram_webhook_port,
        )
        await self.webhook.start()
        await self.application.bot.set_webhook(
            url=settings.telegram_webhook_url, secret_token=secret, allowed_updates=ALLOWED_UPDATES
        )

    async def _start_polling(self) -> None:
        assert self.application.updater is not None
        await self.application.updater.start_polling(
            timeout=timedelta(seconds=self.poll_timeout),
            allowed_updates=ALLOWED_UPDATES,
            error_callback=_polling_failed,
        )

    async def _poll_while_holding_the_lock(self) -> None:
        """Poll only while this replica holds the poller lock; wait to take over when another does."""
        assert self.poller_lock is not None and self.application.updater is not None
        while True:
            await self.poller_lock.acquire()
            try:
                await self._start_polling()
                await self.poller_lock.lost()
            except Exception as error:  # let another replica poll; this one tries again later
                log.warning("polling as the poller replica failed (%s)", type(error).__name__)
                await self.poller_lock.release()
            if self.application.updater.running:
                await self.application.updater.stop()

    async def stop(self) -> None:
        """Stop taking updates, finish the ones in hand, then close the connections."""
        application = self.application
        if self._polling is not None:
            self._polling.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._polling
            self._polling = None
        if self.take_over is not None:
            await self.take_over.stop()
        if application.updater is not None and application.updater.running:
            await application.updater.stop()
        if self.webhook is not None:
            await self.webhook.stop()
            self.webhook = None
        if application.running:
            await application.stop()
        await self.handlers.drain()  # model answers under way are sent (each gives up by its deadline)
        if self.poller_lock is not None:
            await self.poller_lock.release()
        if self.finished is not None:
            await self.finished.close()
            with contextlib.suppress(Exception):  # unreleased claims are taken over after the lease
                async with self.coach.database.session() as session:
                    await inbox.release(session, self.worker)
        await application.shutdown()
        await application.bot.shutdown()
        self._redaction.uninstall()

    def chat_link(self) -> str | None:
        """``https://t.me/<bot>``, once the bot knows its name (after :meth:`start`)."""
        try:
            username = self.application.bot.username
        except RuntimeError:  # not initialized yet
            return None
        return f"https://t.me/{username}" if username else None

    def start_link(self, payload: str) -> str | None:
        """The deep link that opens the bot's chat and sends ``/start <payload>``, once the bot knows its
        name; ``None`` for a payload Telegram would not pass on."""
        chat = self.chat_link()
        if chat is None or not START_PARAMETER.fullmatch(payload):
            return None
        return f"{chat}?start={payload}"


def _polling_failed(error: TelegramError) -> None:
    # PTB retries on its own; one line per failure is enough (its default logs a full traceback).
    log.warning("polling Telegram failed, retrying: %s: %s", type(error).__name__, error)
