"""A model's answer on Telegram: "typing…" at once, the answer streamed as a draft, then sent for good.

``sendChatAction`` shows the sign; ``sendMessageDraft`` (Bot API 9.x) streams the checked words as they
come; the final message is sent by :func:`bot.telegram.sender.send_reply` like any other. A draft or an
action that Telegram refuses changes nothing: the final message is what counts.
"""

from __future__ import annotations

import asyncio
import itertools
import logging

from telegram import Bot
from telegram.constants import ChatAction
from telegram.error import TelegramError

from bot.telegram import render
from coach.later import settle
from coach.messages import Reply

log = logging.getLogger(__name__)

_draft_ids = itertools.count(1)


async def unfold(bot: Bot, chat_id: int, reply: Reply) -> Reply:
    """``reply`` with the model's answer in it (or its curated text), shown as typing and drafts meanwhile."""
    if reply.later is None:
        return reply
    # The sign and the model's work start together: the model need not wait for Telegram's answer.
    typing = asyncio.create_task(_typing(bot, chat_id))
    draft_id = next(_draft_ids)

    async def show(text: str) -> None:
        await typing  # a draft never comes before the sign
        piece = render.split_text(text)[0]
        await bot.send_message_draft(chat_id, draft_id, render.to_html(piece), parse_mode="HTML")

    try:
        return await settle(reply, show)
    finally:
        await typing


async def _typing(bot: Bot, chat_id: int) -> None:
    try:
        await bot.send_chat_action(chat_id, ChatAction.TYPING)
    except TelegramError as error:
        log.info("could not show typing (%s)", type(error).__name__)
