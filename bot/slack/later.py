"""A model's answer on Slack: a message posted at once, updated as the checked words come, then replaced by
the final reply with its buttons (``chat.postMessage`` then ``chat.update``)."""

from __future__ import annotations

from collections.abc import Collection

from slack_sdk.web.async_client import AsyncWebClient

from bot.slack.render import Owner, Words, reply_messages, to_mrkdwn
from coach.later import settle
from coach.messages import Reply

WAITING = "…"  # the first visible sign: Slack has no "typing…" for apps


async def post_later(
    client: AsyncWebClient,
    channel: str,
    owner: Owner,
    reply: Reply,
    chrome: Words,
    commands: Collection[str],
) -> None:
    """Post a placeholder, stream the model's checked words into it, end with the final reply."""
    posted = await client.chat_postMessage(channel=channel, text=WAITING)
    ts = str(posted["ts"])

    async def show(text: str) -> None:
        await client.chat_update(channel=channel, ts=ts, text=to_mrkdwn(text, commands))

    final = await settle(reply, show)
    first, *rest = reply_messages(final, owner, chrome, commands)
    await client.chat_update(channel=channel, ts=ts, text=first.text, blocks=first.blocks)
    for message in rest:
        await client.chat_postMessage(channel=channel, text=message.text, blocks=message.blocks)
