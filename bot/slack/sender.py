"""Posting the coach's replies into a person's DM with the app, and saying why a proactive send failed.

``post`` is shared by the interactive listeners and :meth:`SlackSender.deliver` (check-ins); ``deliver``
turns Slack's answers into :mod:`coach.delivery` errors the scheduler acts on.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Mapping, Sequence
from datetime import date
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError, SlackRequestError
from slack_sdk.web.async_client import AsyncWebClient

from bot.slack.later import post_later
from bot.slack.render import Owner, reply_messages, words
from coach.core import Coach
from coach.delivery import DeliveryError, RateLimited, Recipient, TemporaryFailure, Unreachable
from coach.i18n import Translator, translator
from coach.messages import Identity, Image, Reply

log = logging.getLogger(__name__)

ALT_TEXT_CHARS = 1000
DEFAULT_RETRY_AFTER = 1.0

# Slack's error codes meaning this person cannot be reached (deactivated, gone, the app removed):
# stay quiet until they write again.
UNREACHABLE_ERRORS = frozenset(
    {
        "account_inactive",
        "user_not_found",
        "user_disabled",
        "not_in_channel",
        "channel_not_found",
        "is_archived",
        "cannot_dm_bot",
        "messages_tab_disabled",
        "token_revoked",
        "invalid_auth",
        "team_access_not_granted",
    }
)

NETWORK_ERRORS = (TimeoutError, aiohttp.ClientError, SlackRequestError)


class SlackSender:
    """Renders replies as Block Kit and posts them. ``client`` decides the retry policy: the interactive
    one waits out a 429 in place, the proactive one lets the scheduler decide when to try again."""

    platform = "slack"

    def __init__(self, client: AsyncWebClient, coach: Coach, commands: Collection[str] = ()) -> None:
        self.client = client
        self.coach = coach
        self.commands = frozenset(commands)

    async def post(
        self,
        channel: str,
        owner: Owner,
        replies: Sequence[Reply],
        language: str,
        extra_commands: Collection[str] = (),
        *,
        today: date | None = None,
    ) -> None:
        """Post ``replies`` in order into ``channel``; ephemeral ones only ``owner`` sees. ``today`` (the
        person's date) names the pictures uploaded."""
        commands = self.commands | frozenset(extra_commands)
        chrome = words(language)
        for reply in replies:
            if reply.later is not None and not reply.ephemeral:  # a model's answer still to come
                await post_later(self.client, channel, owner, reply, chrome, commands)
                continue
            if reply.image is not None:
                filename, title = picture_file(reply.image, translator(language), today or date.today())
                alt = reply.image.alt[:ALT_TEXT_CHARS]
                await self.client.files_upload_v2(
                    channel=channel, content=reply.image.png, filename=filename, title=title, alt_txt=alt
                )
            if reply.document is not None:
                document = reply.document
                await self.client.files_upload_v2(
                    channel=channel,
                    content=document.content,
                    filename=document.filename,
                    title=document.filename,
                )
            for message in reply_messages(reply, owner, chrome, commands):
                if reply.ephemeral:
                    await self.client.chat_postEphemeral(
                        channel=channel, user=owner.user, text=message.text, blocks=message.blocks
                    )
                else:
                    await self.client.chat_postMessage(
                        channel=channel, text=message.text, blocks=message.blocks
                    )

    async def deliver(self, recipient: Recipient, replies: Sequence[Reply]) -> None:
        """A proactive message (a check-in): raises :class:`RateLimited`, :class:`Unreachable` or
        :class:`TemporaryFailure` so the scheduler knows whether and when to try again."""
        owner = Owner(recipient.workspace, recipient.external_id)
        who = Identity(
            "slack", user_id=recipient.external_id, chat_id=recipient.chat_id, workspace=recipient.workspace
        )
        dashboard = await self.coach.dashboard(who)  # the language chosen in /settings, else their locale's
        try:
            await self.post(recipient.chat_id, owner, replies, dashboard.language, today=dashboard.today)
        except SlackApiError as error:
            raise delivery_error(error) from error
        except NETWORK_ERRORS as error:
            raise TemporaryFailure(f"network: {type(error).__name__}") from error


def picture_file(image: Image, t: Translator, day: date) -> tuple[str, str]:
    """A picture's file name and title in Slack's file list: what it shows and when, so a week's charts
    are told apart (``encore-progress-2026-11-30.png``, "Your progress · Nov 30, 2026")."""
    title = f"{image.title} · {t.date(day)}" if image.title else t.date(day)
    return f"encore-{image.kind}-{day.isoformat()}.png", title


def delivery_error(error: SlackApiError) -> DeliveryError:
    """What a failed Web API call means for a delivery."""
    response = error.response
    status = getattr(response, "status_code", 200)
    code = str(response.get("error") or "")
    if status == 429 or code == "ratelimited":
        return RateLimited(retry_after(getattr(response, "headers", {}) or {}))
    if code in UNREACHABLE_ERRORS:
        return Unreachable(code)
    if status >= 500 or code in ("internal_error", "fatal_error", "service_unavailable", "request_timeout"):
        return TemporaryFailure(f"slack {status} {code}".strip())
    return DeliveryError(f"slack refused the message: {code or status}")


def retry_after(headers: Mapping[str, Any]) -> float:
    """Seconds from a ``Retry-After`` header (any capitalisation); one second if it is missing or odd."""
    for name, value in headers.items():
        if name.lower() == "retry-after":
            raw = value[0] if isinstance(value, list | tuple) else value
            try:
                return max(float(raw), 0.0)
            except (TypeError, ValueError):
                break
    return DEFAULT_RETRY_AFTER
