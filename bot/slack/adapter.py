"""Encore as a Slack app: one ``/coach`` command, Block Kit buttons, a modal for long answers, App Home.

HTTP mode (signing secret) serves events, slash commands and interactivity at ``/slack/events`` on
``SLACK_PORT`` with an aiohttp runner inside the shared event loop (bolt's own ``start()`` would take the
loop over, and Telegram may be running beside us). With ``SLACK_APP_TOKEN`` it uses Socket Mode instead.

Every listener acknowledges first, so Slack's three seconds always hold; then it hands the event to the
coach and answers in the person's DM with the app. A person is (team id, user id): the same user id in two
workspaces is two people, and a button only works for the person its message was made for. Before bolt
sees a request, :class:`~bot.slack.gate.SlackGate` refuses what is unsigned, too large or malformed and
lets each delivery through once.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import re
import weakref
from collections.abc import Awaitable, Callable, Collection
from typing import Any

from aiohttp import web
from slack_bolt.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.http_retry.builtin_interval_calculators import BackoffRetryIntervalCalculator
from slack_sdk.http_retry.interval_calculator import RetryIntervalCalculator
from slack_sdk.web.async_client import AsyncWebClient

from bot.http_limits import LINGER_SECONDS
from bot.settings import Settings
from bot.slack.gate import SlackGate
from bot.slack.home import HomePublisher
from bot.slack.people import People, Recent
from bot.slack.render import (
    ANSWER_BLOCK,
    ANSWER_CALLBACK,
    ANSWER_INPUT,
    SLASH_COMMAND,
    WRITE_ACTION,
    Owner,
    answer_modal,
    answered,
    message_text,
    unescape,
    words,
)
from bot.slack.sender import NETWORK_ERRORS, SlackSender
from coach.core import Coach
from coach.dashboard import Dashboard
from coach.delivery import Sender
from coach.i18n import normalize_language
from coach.messages import Identity, Inbound, Reply

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
# ``/coach <subcommand>``: every subcommand goes to the coach (which answers "unknown" + help for one it
# lacks); this list is what the manifest advertises and how ``/reflect`` in the coach's text is shown.
SUBCOMMANDS = (
    "start",
    "reflect",
    "skills",
    "study",
    "progress",
    "settings",
    "journal",
    "export",
    "delete",
    "help",
    "cancel",
)
RETRIES = 2
DRAIN_SECONDS = 10.0
Ack = Callable[..., Any]
Listener = Callable[..., Awaitable[None]]


def _bolt_logger() -> logging.Logger:
    """Bolt logs a rejected request's body at INFO; people's words stay out of logs above DEBUG."""
    logger = logging.getLogger("bot.slack.bolt")
    logger.setLevel(logging.DEBUG if logging.getLogger().level == logging.DEBUG else logging.WARNING)
    return logger


def _owner(context: AsyncBoltContext) -> Owner:
    return Owner(context.team_id or context.enterprise_id or "", context.user_id or "")


def _accepted(replies: list[Reply]) -> bool:
    """False when the coach only refused (an expired button): the pressed message then stays as it was."""
    return any(not reply.ephemeral for reply in replies)


class SlackAdapter:
    """Runs the Slack app for ``coach`` as ``settings`` say (HTTP mode, or Socket Mode with an app token).

    ``retry_interval`` paces retries after a 5xx (tests make it short); ``clock`` times the ``users.info``
    cache. ``sender`` delivers check-ins; ``port`` is the bound HTTP port once started.
    """

    name = "slack"

    def __init__(
        self,
        settings: Settings,
        coach: Coach,
        *,
        retry_interval: RetryIntervalCalculator | None = None,
        clock: Callable[[], float] | None = None,
    ) -> None:
        assert settings.slack_bot_token is not None, "SLACK_BOT_TOKEN is required"
        self.settings = settings
        self.coach = coach
        token = settings.slack_bot_token.get_secret_value()
        interval = retry_interval or BackoffRetryIntervalCalculator(backoff_factor=0.5)
        server_errors = AsyncServerErrorRetryHandler(max_retry_count=RETRIES, interval_calculator=interval)
        lost_connections = AsyncConnectionErrorRetryHandler(interval_calculator=interval)
        # A person waiting for an answer: wait out a 429 here. A check-in: let the scheduler decide.
        self.client = AsyncWebClient(
            token=token,
            base_url=settings.slack_api_url,
            retry_handlers=[
                lost_connections,
                AsyncRateLimitErrorRetryHandler(max_retry_count=RETRIES),
                server_errors,
            ],
        )
        proactive = AsyncWebClient(
            token=token,
            base_url=settings.slack_api_url,
            retry_handlers=[lost_connections, server_errors],
        )
        self.commands = frozenset(SUBCOMMANDS) | {command for command, _ in coach.commands("en")}
        self.people = People(self.client, clock=clock) if clock else People(self.client)
        self.replier = SlackSender(self.client, coach, self.commands)
        self.home = HomePublisher(self.client, coach.database, self.commands, coach.clock)
        self.sender: Sender = SlackSender(proactive, coach, self.commands)
        signing_secret = (
            settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else ""
        )
        self.app = AsyncApp(
            name="encore",
            client=self.client,
            signing_secret=signing_secret,
            logger=_bolt_logger(),
        )
        self.gate = SlackGate(signing_secret, coach.database, coach.clock)
        self.port: int | None = None
        self._runner: web.AppRunner | None = None
        self._socket: Any = None
        self._languages: Recent[Owner, str] = Recent()
        self._locks: weakref.WeakValueDictionary[Owner, asyncio.Lock] = weakref.WeakValueDictionary()
        self._busy = 0
        self._idle = asyncio.Event()
        self._idle.set()
        self.handled = 0  # listener runs finished, for anyone who must know an event has been dealt with
        self._finished = asyncio.Condition()
        self._register()

    def _register(self) -> None:
        app, tracked = self.app, self._tracked
        app.command(SLASH_COMMAND)(tracked(self._on_command))
        app.action(WRITE_ACTION)(tracked(self._on_write))
        app.action(re.compile(r".+"))(tracked(self._on_button))
        app.view(ANSWER_CALLBACK)(tracked(self._on_answer))
        app.event("message")(tracked(self._on_message))
        app.event("app_home_opened")(tracked(self._on_home_opened))
        if self.settings.slack_socket_mode:
            app.middleware(self.gate.once_per_event)

    def _tracked(self, listener: Listener) -> Listener:
        """Count the events being handled, so :meth:`stop` can let them finish (bolt reads the wrapped
        listener's parameter names to know what to pass)."""

        @functools.wraps(listener)
        async def run(**kwargs: Any) -> None:
            self._busy += 1
            self._idle.clear()
            try:
                await listener(**kwargs)
            finally:
                self._busy -= 1
                if self._busy == 0:
                    self._idle.set()
                async with self._finished:
                    self.handled += 1
                    self._finished.notify_all()

        return run

    async def wait_handled(self, count: int, timeout: float) -> None:
        """Return once ``count`` listener runs have finished in all and none is running (raises
        ``TimeoutError`` after ``timeout`` seconds)."""

        async def enough() -> None:
            async with self._finished:
                await self._finished.wait_for(lambda: self.handled >= count and self._busy == 0)

        await asyncio.wait_for(enough(), timeout)

    # -- lifecycle ---------------------------------------------------------------------------------
    async def start(self) -> None:
        if self.settings.slack_socket_mode:
            from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

            assert self.settings.slack_app_token is not None
            self._socket = AsyncSocketModeHandler(
                self.app, app_token=self.settings.slack_app_token.get_secret_value(), web_client=self.client
            )
            await self._socket.connect_async()
            log.info("slack: connected in Socket Mode")
            return
        web_app = self.gate.web_app(self.app, EVENTS_PATH)
        self._runner = web.AppRunner(web_app, access_log=None, lingering_time=LINGER_SECONDS)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.settings.slack_listen, self.settings.slack_port)
        await site.start()
        self.port = self._runner.addresses[0][1]
        log.info("slack: listening on %s:%s%s", self.settings.slack_listen, self.port, EVENTS_PATH)

    async def stop(self) -> None:
        """Take no new events, then give those already acknowledged time to post their replies."""
        if self._socket is not None:
            await self._socket.close_async()
            self._socket = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        try:
            await asyncio.wait_for(self._idle.wait(), DRAIN_SECONDS)
        except TimeoutError:
            log.warning("slack: stopped with %d events still being handled", self._busy)

    # -- listeners ---------------------------------------------------------------------------------
    async def _on_command(
        self, ack: Ack, body: dict[str, Any], context: AsyncBoltContext, respond: AsyncRespond
    ) -> None:
        """``/coach <subcommand> [words]``: bare is help; an unknown subcommand gets help from the coach."""
        await ack()
        owner = _owner(context)
        subcommand, _, args = (body.get("text") or "").strip().partition(" ")
        name = subcommand.lower() or "help"
        identity = await self._identity(owner, respond)
        if identity is None:
            return
        inbound = Inbound(identity, command=name, args=args.strip())
        language = await self._converse(owner, identity, inbound, extra_commands=(name,))
        if body.get("channel_id") != identity.chat_id:
            await respond(text=words(language).answered_in_dm, response_type="ephemeral")

    async def _on_button(
        self,
        ack: Ack,
        body: dict[str, Any],
        action: dict[str, Any],
        context: AsyncBoltContext,
        respond: AsyncRespond,
    ) -> None:
        """A coach button in a message or on the App Home: only its owner may press it."""
        await ack()
        actor = _owner(context)
        container = body.get("container") or {}
        if container.get("type") == "view":
            found = Owner.from_metadata((body.get("view") or {}).get("private_metadata"))
            owner = found[0] if found else None
        else:
            owner = Owner.from_block_id(action.get("block_id"))
        if owner != actor:
            await self._refuse(actor, body, respond)
            return
        identity = await self._identity(actor, respond)
        if identity is None:
            return
        inbound = Inbound(identity, action=action.get("value") or action.get("action_id"))
        message = body.get("message")
        async with self._lock(actor):
            replies, dashboard = await self._ask(actor, identity, inbound)
            if message and _accepted(replies):
                await self._mark_answered(body, message, (action.get("text") or {}).get("text", ""), respond)
            await self._answer(actor, identity, replies, dashboard)

    async def _on_write(
        self,
        ack: Ack,
        body: dict[str, Any],
        action: dict[str, Any],
        context: AsyncBoltContext,
        respond: AsyncRespond,
    ) -> None:
        """The "Write your answer" button: open a modal with a multi-line box (its trigger lives 3 s)."""
        await ack()
        actor = _owner(context)
        if Owner.from_block_id(action.get("block_id")) != actor:
            await self._refuse(actor, body, respond)
            return
        message = body.get("message") or {}
        language = await self._language(actor)
        view = answer_modal(actor, message_text(message.get("blocks") or []), words(language))
        await self.client.views_open(trigger_id=body["trigger_id"], view=view)

    async def _on_answer(
        self, ack: Ack, body: dict[str, Any], view: dict[str, Any], context: AsyncBoltContext
    ) -> None:
        """The modal was submitted: its text is an answer, exactly as if typed in the DM."""
        actor = _owner(context)
        found = Owner.from_metadata(view.get("private_metadata"))
        values = ((view.get("state") or {}).get("values") or {}).get(ANSWER_BLOCK) or {}
        text = (values.get(ANSWER_INPUT) or {}).get("value") or ""
        if found is None or found[0] != actor:
            await ack()
            return
        if not text.strip():
            await ack(
                response_action="errors",
                errors={ANSWER_BLOCK: words(await self._language(actor)).empty_answer},
            )
            return
        await ack()
        identity = await self._identity(actor)
        if identity is not None:
            await self._converse(actor, identity, Inbound(identity, text=text))

    async def _on_message(self, event: dict[str, Any], context: AsyncBoltContext) -> None:
        """A plain message in the DM is an answer; edits, bot messages and other subtypes are not."""
        if (
            event.get("channel_type") != "im"
            or event.get("subtype")
            or event.get("bot_id")
            or "edited" in event
        ):
            return
        owner = _owner(context)
        self.people.remember_channel(owner, str(event.get("channel") or ""))
        identity = await self._identity(owner)
        if identity is not None:
            await self._converse(owner, identity, Inbound(identity, text=unescape(event.get("text") or "")))

    async def _on_home_opened(self, event: dict[str, Any], context: AsyncBoltContext) -> None:
        """The App Home tab was opened: show the dashboard as it is now."""
        if event.get("tab") != "home":
            return
        owner = _owner(context)
        self.people.remember_channel(owner, str(event.get("channel") or ""))
        profile = await self.people.profile(owner)
        identity = Identity(
            "slack", user_id=owner.user, chat_id="", workspace=owner.team, language=profile.locale
        )
        dashboard = await self.coach.dashboard(identity)
        self._languages.put(owner, dashboard.language)
        await self.home.publish(owner, dashboard)

    # -- the conversation --------------------------------------------------------------------------
    async def _identity(self, owner: Owner, respond: AsyncRespond | None = None) -> Identity | None:
        """The person with their DM channel; if Slack will not open the DM, say so where we can."""
        try:
            return await self.people.identity(owner)
        except (SlackApiError, *NETWORK_ERRORS) as error:
            code = error.response.get("error") if isinstance(error, SlackApiError) else type(error).__name__
            log.warning("slack: cannot open the DM of a user of team %s: %s", owner.team, code)
            if respond is not None:
                await respond(text=words(await self._language(owner)).failed, response_type="ephemeral")
            return None

    async def _converse(
        self, owner: Owner, identity: Identity, inbound: Inbound, *, extra_commands: Collection[str] = ()
    ) -> str:
        """Hand one event to the coach, post its replies, refresh the App Home; returns the language used."""
        async with self._lock(owner):
            replies, dashboard = await self._ask(owner, identity, inbound)
            await self._answer(owner, identity, replies, dashboard, extra_commands)
        return dashboard.language

    async def _ask(self, owner: Owner, identity: Identity, inbound: Inbound) -> tuple[list[Reply], Dashboard]:
        try:
            replies = await self.coach.handle(inbound)
        except Exception:
            log.exception("slack: the coach failed on an event from a user of team %s", owner.team)
            replies = [Reply(words(await self._language(owner)).failed, ephemeral=True)]
        dashboard = await self.coach.dashboard(identity)
        self._languages.put(owner, dashboard.language)
        return replies, dashboard

    async def _answer(
        self,
        owner: Owner,
        identity: Identity,
        replies: list[Reply],
        dashboard: Dashboard,
        extra_commands: Collection[str] = (),
    ) -> None:
        try:
            await self.replier.post(
                identity.chat_id, owner, replies, dashboard.language, extra_commands, today=dashboard.today
            )
        except SlackApiError as error:
            log.warning(
                "slack: replying to a user of team %s failed: %s", owner.team, error.response.get("error")
            )
        except NETWORK_ERRORS as error:
            log.warning("slack: replying to a user of team %s failed: %s", owner.team, type(error).__name__)
        await self.home.publish(owner, dashboard)

    async def _mark_answered(
        self, body: dict[str, Any], message: dict[str, Any], label: str, respond: AsyncRespond
    ) -> None:
        """Show the pressed message with the choice made in place of its buttons."""
        blocks = answered(message.get("blocks") or [], label)
        text = message.get("text") or label
        try:
            if (body.get("container") or {}).get("is_ephemeral"):
                await respond(replace_original=True, text=text, blocks=blocks)
            else:
                await self.client.chat_update(
                    channel=(body.get("channel") or {}).get("id", ""),
                    ts=message["ts"],
                    text=text,
                    blocks=blocks,
                )
        except SlackApiError as error:
            log.warning("slack: could not update a pressed message: %s", error.response.get("error"))

    async def _refuse(self, actor: Owner, body: dict[str, Any], respond: AsyncRespond) -> None:
        log.info("slack: a user of team %s pressed a button made for someone else", actor.team)
        if body.get("response_url"):
            notice = words(await self._language(actor)).not_yours
            await respond(text=notice, response_type="ephemeral", replace_original=False)

    async def _language(self, owner: Owner) -> str:
        """The language this person last saw from the coach, or their Slack locale's."""
        known = self._languages.get(owner)
        if known is not None:
            return known
        return normalize_language((await self.people.profile(owner)).locale)

    def _lock(self, owner: Owner) -> asyncio.Lock:
        """One event at a time per person, so replies arrive in the order the events came."""
        lock = self._locks.get(owner)
        if lock is None:
            lock = asyncio.Lock()
            self._locks[owner] = lock
        return lock
