"""Putting a coach :class:`~coach.messages.Reply` into a Telegram chat, in answer or unasked.

In a conversation the user is waiting, so a flood-control answer (429) is waited out and a network hiccup
is retried with backoff (:class:`Patient`). A proactive message (a check-in) is tried once and the failure
is reported in the coach's terms (:class:`TelegramSender`): the scheduler paces its sends and decides when
to try again.
"""

from __future__ import annotations

import asyncio
import logging
import warnings
from collections.abc import Awaitable, Callable, Sequence
from datetime import timedelta
from functools import partial
from typing import Protocol, TypeVar

import httpx
from telegram import Bot, Message
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError, TimedOut
from telegram.warnings import PTBDeprecationWarning
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception, stop_after_attempt, wait_exponential

from bot.telegram import render
from bot.telegram.turns import background
from coach.delivery import DeliveryError, RateLimited, Recipient, TemporaryFailure, Uncertain, Unreachable
from coach.messages import Reply

log = logging.getLogger(__name__)

T = TypeVar("T")
Sleep = Callable[[float], Awaitable[None]]


class Attempt(Protocol):
    """How one Bot API call is made: once, or with retries."""

    async def __call__(self, call: Callable[[], Awaitable[T]]) -> T: ...


def retry_after_seconds(error: RetryAfter) -> float:
    """The wait Telegram asked for, whichever type this PTB version hands out (int now, timedelta soon)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def may_have_arrived(error: BaseException) -> bool:
    """A timeout after the request went out: Telegram may have carried it out. Not a timeout while
    connecting or waiting for a connection from the pool, where nothing was sent."""
    if not isinstance(error, TimedOut):
        return False
    return not isinstance(error.__cause__, httpx.ConnectTimeout | httpx.PoolTimeout)


def is_transient(error: BaseException) -> bool:
    """Worth another try: flood control, a dropped connection, a 5xx, a timeout before anything was sent.
    Not a rejected request, and not a request that may have arrived (a second try could show it twice)."""
    if may_have_arrived(error):
        return False
    return isinstance(error, RetryAfter) or (
        isinstance(error, NetworkError) and not isinstance(error, BadRequest)
    )


async def once(call: Callable[[], Awaitable[T]]) -> T:
    return await call()


class Patient:
    """Retries a call the way a user who is waiting deserves: flood control is waited out exactly as
    Telegram asks, network errors back off exponentially from ``backoff`` seconds; at most ``attempts``
    tries in all. ``sleep`` is injectable so tests need not wait in real time."""

    def __init__(self, *, attempts: int = 5, backoff: float = 0.5, sleep: Sleep = asyncio.sleep) -> None:
        self.attempts = attempts
        self.sleep = sleep
        self._backoff = wait_exponential(multiplier=backoff, max=30)

    def _wait(self, state: RetryCallState) -> float:
        error = state.outcome.exception() if state.outcome else None
        if isinstance(error, RetryAfter):
            return retry_after_seconds(error)
        return float(self._backoff(state))

    async def __call__(self, call: Callable[[], Awaitable[T]]) -> T:
        async for attempt in AsyncRetrying(
            retry=retry_if_exception(is_transient),
            wait=self._wait,
            stop=stop_after_attempt(self.attempts),
            sleep=self.sleep,
            before_sleep=_log_retry,
            reraise=True,
        ):
            with attempt:
                return await call()
        raise AssertionError("unreachable: tenacity either returns or re-raises")


def _log_retry(state: RetryCallState) -> None:
    error = state.outcome.exception() if state.outcome else None
    log.warning(
        "Telegram call failed (%s), retrying in %.1fs",
        type(error).__name__,
        state.next_action.sleep if state.next_action else 0.0,
    )


async def send_reply(
    bot: Bot, chat_id: int | str, reply: Reply, attempt: Attempt = once, *, webapp_url: str | None = None
) -> Message:
    """Send one reply: its picture (captioned with the alt text), its text in as many messages as it
    needs, then its file, which carries the text as its caption when that fits one; the buttons go under
    the last of these. Returns the last message sent."""
    steps: list[Callable[..., Awaitable[Message]]] = []
    if reply.image is not None:
        caption = render.clip(reply.image.alt, render.MAX_CAPTION_CHARS)
        steps.append(partial(bot.send_photo, chat_id, photo=reply.image.png, caption=caption))
    caption_text = _document_caption(reply)
    if caption_text is None:
        for piece in render.split_text(reply.text):
            steps.append(partial(bot.send_message, chat_id, render.to_html(piece), parse_mode=ParseMode.HTML))
    if reply.document is not None:
        document = reply.document
        steps.append(
            partial(
                bot.send_document,
                chat_id,
                document=document.content,
                filename=document.filename,
                caption=caption_text,
                parse_mode=ParseMode.HTML if caption_text else None,
            )
        )
    if not steps:
        raise ValueError("a reply with nothing to send")
    markup = render.keyboard(reply.choices, reply.columns, webapp_url)
    for step in steps[:-1]:
        await attempt(partial(step, reply_markup=None))
    return await attempt(partial(steps[-1], reply_markup=markup))


def _document_caption(reply: Reply) -> str | None:
    """The reply's text as its file's caption (HTML), when it has a file, no picture and the text fits."""
    if reply.document is None or reply.image is not None or not reply.text.strip():
        return None
    caption = render.to_html(reply.text.strip())
    fits = render.utf16_len(render.to_plain(reply.text.strip())) <= render.MAX_CAPTION_CHARS
    return caption if fits else None


class TelegramSender:
    """:class:`coach.delivery.Sender` for Telegram: proactive messages, one try each, failures translated."""

    platform = "telegram"

    def __init__(self, bot: Bot, *, webapp_url: str | None = None) -> None:
        self.bot = bot
        self.webapp_url = webapp_url

    async def deliver(self, recipient: Recipient, replies: Sequence[Reply]) -> None:
        chat_id = int(recipient.chat_id) if recipient.chat_id.lstrip("-").isdigit() else recipient.chat_id
        sent = 0  # replies already in the chat: after one, a failure leaves the message half there
        try:
            with background():  # a check-in gives way to replies on the shared pace
                for reply in replies:
                    await send_reply(self.bot, chat_id, reply, webapp_url=self.webapp_url)
                    sent += 1
        except TelegramError as error:
            if may_have_arrived(error) or sent:
                raise Uncertain(f"Telegram may have the message: {type(error).__name__}") from error
            raise _translated(error) from error


def _translated(error: TelegramError) -> DeliveryError:
    """The coach's word for a send that failed before any of it arrived."""
    if isinstance(error, RetryAfter):
        return RateLimited(retry_after_seconds(error))
    if isinstance(error, Forbidden):
        return Unreachable("the user blocked the bot or deleted their account")
    if isinstance(error, BadRequest):
        if "chat not found" in str(error).casefold():
            return Unreachable("the chat no longer exists")
        return DeliveryError(f"Telegram refused the message: {error}")
    if isinstance(error, NetworkError):
        return TemporaryFailure(f"Telegram could not be reached: {type(error).__name__}")
    return DeliveryError(f"Telegram error: {type(error).__name__}")
