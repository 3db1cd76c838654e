"""PTB handlers: each turns one kind of Telegram update into a coach event and sends back the replies.

No coaching happens here. Private chats get the whole coach; in a group the bot answers only commands
addressed to it, with a pointer to a private chat (journals are private), and ignores everything else.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from typing import Any

from telegram import Bot, CallbackQuery, Message, Update
from telegram.constants import ChatType, ParseMode
from telegram.error import BadRequest, Forbidden, TelegramError, TimedOut
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    ExtBot,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.telegram import callback_data, render
from bot.telegram.later import unfold
from bot.telegram.sender import Attempt, may_have_arrived, send_reply
from coach.adapter_text import FAILED, PRIVATE_CHAT_ONLY, TEXT_ONLY
from coach.core import Coach
from coach.i18n import normalize_language, translator
from coach.messages import Identity, Inbound, Reply

log = logging.getLogger(__name__)

Context = ContextTypes.DEFAULT_TYPE
# What Application.builder() builds without a job queue (PTB keeps user, chat and bot data as plain dicts).
TelegramApplication = Application[ExtBot[None], Context, dict[Any, Any], dict[Any, Any], dict[Any, Any], None]

MAX_DISPLAY_NAME = 128  # Telegram allows 64 + 64 characters of first and last name; storage keeps 128


def identity_of(update: Update) -> Identity:
    """Who wrote, as the coach knows people: the Telegram user id, their chat, their app's language."""
    user = update.effective_user
    assert user is not None, "every message and button press has a sender"
    chat = update.effective_chat
    return Identity(
        "telegram",
        user_id=str(user.id),
        chat_id=str(chat.id if chat is not None else user.id),
        language=user.language_code,
        display_name=user.full_name[:MAX_DISPLAY_NAME],
    )


def key_of(update: Update) -> str:
    """The update's key for the coach: handled once, whichever process takes it (see the inbox). Update
    ids count per bot, so the bot's id is part of it (another bot on the same database has its own)."""
    try:
        bot_id = update.get_bot().id
    except RuntimeError:  # an update built without a bot (never from Telegram)
        bot_id = 0
    return f"telegram:{bot_id}:{update.update_id}"


def command_of(message: Message) -> tuple[str, str]:
    """``/reflect@encore_bot career change`` as ``("reflect", "career change")``."""
    token = message.parse_entity(message.entities[0])  # filters.COMMAND: a bot_command at offset 0
    args = (message.text or "")[len(token) :]
    return token[1:].split("@", 1)[0].lower(), args.strip()


class Handlers:
    """The coach on Telegram. ``attempt`` is how each Bot API call of a reply is tried (see
    :class:`bot.telegram.sender.Patient`); at most ``coach_concurrency`` events are with the coach at once
    (sending replies is not limited by it)."""

    def __init__(
        self, coach: Coach, attempt: Attempt, *, coach_concurrency: int, webapp_url: str | None = None
    ) -> None:
        self.coach = coach
        self.attempt = attempt
        self.webapp_url = webapp_url  # where buttons that open the dashboard app go (None: no app)
        self._coach_turns = asyncio.Semaphore(coach_concurrency)
        self._answering: dict[str, asyncio.Task[None]] = {}  # per chat: replies waiting for a model

    def install(self, application: TelegramApplication, commands: Sequence[str]) -> None:
        """Register the handlers; ``commands`` are the coach's, answered in groups with a pointer."""
        private = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
        in_group = filters.ChatType.GROUPS & filters.UpdateType.MESSAGE
        # Group -1 runs first: an update Encore cannot answer never reaches the filters below.
        application.add_handler(TypeHandler(Update, self.screen), group=-1)
        application.add_handlers(
            [
                MessageHandler(private & filters.COMMAND, self.on_command),
                MessageHandler(private & filters.TEXT, self.on_text),
                MessageHandler(private, self.on_unreadable),
                # CommandHandler only matches /start and /start@this_bot, never /start@another_bot.
                CommandHandler(list(commands), self.on_group_command, filters=in_group),
                CallbackQueryHandler(self.on_button),
            ]
        )
        application.add_error_handler(self.on_error)

    async def screen(self, update: Update, context: Context) -> None:
        """Drop an update without a sender, or with a message that lacks its chat: there is nobody to
        answer and nowhere to answer (Telegram sends neither to a bot in a private chat; a forged one may)."""
        messages = [update.message, update.callback_query.message if update.callback_query else None]
        if update.effective_user is None or any(
            message is not None and getattr(message, "chat", None) is None for message in messages
        ):
            log.info("ignored a Telegram update without a sender or a chat (update %s)", update.update_id)
            raise ApplicationHandlerStop

    async def on_command(self, update: Update, context: Context) -> None:
        """A command in a private chat: the coach knows it or says it does not."""
        assert update.message is not None
        command, args = command_of(update.message)
        inbound = Inbound(identity_of(update), command=command, args=args, key=key_of(update))
        await self._converse(context, inbound)

    async def on_text(self, update: Update, context: Context) -> None:
        """Free text goes to the flow that waits for it."""
        assert update.message is not None
        inbound = Inbound(identity_of(update), text=update.message.text or "", key=key_of(update))
        await self._converse(context, inbound)

    async def on_unreadable(self, update: Update, context: Context) -> None:
        """A sticker, photo or voice note: say kindly that only text works."""
        identity = identity_of(update)
        await self._send(context.bot, identity, [Reply(_words(TEXT_ONLY, identity.language))])

    async def on_group_command(self, update: Update, context: Context) -> None:
        """One of our commands in a group: point to a private chat and keep the group free of coaching."""
        assert update.message is not None and update.effective_user is not None
        text = _words(PRIVATE_CHAT_ONLY, update.effective_user.language_code, link=_private_link(context))
        chat_id = update.message.chat_id
        await self.attempt(lambda: context.bot.send_message(chat_id, text))

    async def on_button(self, update: Update, context: Context) -> None:
        """A pressed button: answer the query first, show the chosen label on the question, move on."""
        query = update.callback_query
        assert query is not None
        identity = identity_of(update)
        if update.effective_chat is not None and update.effective_chat.type != ChatType.PRIVATE:
            # We never put buttons in a group; a press there (forged or forwarded) gets the pointer only.
            text = _words(PRIVATE_CHAT_ONLY, identity.language, link=_private_link(context))
            await self._answer(query, render.clip(text, render.MAX_CALLBACK_ANSWER_CHARS))
            return
        action = callback_data.decode(query.data)
        replies = await self._ask_coach(
            Inbound(
                identity,
                action=action if action is not None else callback_data.UNREADABLE,
                key=key_of(update),
            )
        )
        popup = render.to_plain(" ".join(reply.text for reply in replies if _is_popup(reply)))
        if popup and render.utf16_len(popup) <= render.MAX_CALLBACK_ANSWER_CHARS:
            # An expired or refused press changes nothing, so the question keeps its buttons.
            await self._answer(query, popup)
            replies = [reply for reply in replies if not _is_popup(reply)]
        else:
            await self._answer(query, None)
        if replies:
            await self._show_choice(query)
            await self._send(context.bot, identity, replies)

    async def on_error(self, update: object, context: Context) -> None:
        """Log the failure (never the user's words) and tell the user we could not answer."""
        log.error("could not handle a Telegram update", exc_info=context.error)
        if not isinstance(update, Update) or update.effective_user is None:
            return
        chat = update.effective_chat
        if chat is None or chat.type != ChatType.PRIVATE:
            return
        text = _words(FAILED, update.effective_user.language_code)
        try:
            if update.callback_query is not None:
                with contextlib.suppress(TelegramError):  # stop the button's spinner if we still can
                    await update.callback_query.answer()
            await context.bot.send_message(chat.id, text)
        except TelegramError as error:
            log.warning("could not tell the user about the failure either (%s)", type(error).__name__)

    # -- replies -----------------------------------------------------------------------------------
    async def _converse(self, context: Context, inbound: Inbound) -> None:
        replies = await self._ask_coach(inbound)
        await self._send(context.bot, inbound.identity, replies)

    async def _ask_coach(self, inbound: Inbound) -> list[Reply]:
        async with self._coach_turns:
            return await self.coach.handle(inbound)

    async def _send(self, bot: Bot, identity: Identity, replies: Sequence[Reply]) -> None:
        """Send the replies in order. A model's answer is waited for in a task of its own, so the update is
        done and PTB's slot free for other users; this chat's later replies are sent after it."""
        chat = identity.chat_id
        previous = self._answering.get(chat)
        if not any(reply.later is not None for reply in replies):
            if previous is not None:
                await asyncio.wait([previous])
            await self._send_now(bot, identity, replies)
            return
        task = asyncio.create_task(self._send_after(previous, bot, identity, replies))
        self._answering[chat] = task
        task.add_done_callback(lambda done: self._forget(chat, done))

    async def _send_after(
        self, previous: asyncio.Task[None] | None, bot: Bot, identity: Identity, replies: Sequence[Reply]
    ) -> None:
        if previous is not None:
            await asyncio.wait([previous])
        try:
            await self._send_now(bot, identity, replies)
        except Exception:
            log.exception("could not send a reply with a model's answer")

    def _forget(self, chat: str, done: asyncio.Task[None]) -> None:
        if self._answering.get(chat) is done:
            del self._answering[chat]

    async def drain(self) -> None:
        """Wait until every model answer under way has been sent (before stopping, and in tests)."""
        while self._answering:
            await asyncio.wait(list(self._answering.values()))

    async def _send_now(self, bot: Bot, identity: Identity, replies: Sequence[Reply]) -> None:
        """Send the replies in order; if the user blocked the bot, remember that and stop."""
        try:
            for reply in replies:
                reply = await unfold(bot, int(identity.chat_id), reply)  # a model's answer, if one comes
                await send_reply(bot, int(identity.chat_id), reply, self.attempt, webapp_url=self.webapp_url)
        except Forbidden:
            log.info("a Telegram user blocked the bot; no check-ins until they write again")
            await self.coach.mark_unreachable(identity.platform, identity.workspace, identity.user_id)
        except TimedOut as error:
            if not may_have_arrived(error):
                raise
            # Telegram may have shown it: at most once, so neither it nor an apology is sent again.
            log.warning("a reply timed out after it went out; not sending it (or the rest) again")

    async def _answer(self, query: CallbackQuery, text: str | None) -> None:
        try:
            await self.attempt(lambda: query.answer(text or None))
        except BadRequest as error:
            # Too old to answer (Telegram allows a few seconds); the press itself is still handled.
            log.info("could not answer a button press: %s", error)

    async def _show_choice(self, query: CallbackQuery) -> None:
        """Edit the question to show the chosen answer and drop its buttons, so it cannot be pressed again."""
        message = query.message
        if not isinstance(message, Message) or message.reply_markup is None:
            return
        label = next(
            (
                button.text
                for row in message.reply_markup.inline_keyboard
                for button in row
                if button.callback_data == query.data
            ),
            None,
        )
        if label is None:
            return
        edited = render.chosen(message.text_html, label) if message.text else None
        try:
            if edited is not None:
                await self.attempt(
                    lambda: query.edit_message_text(edited, parse_mode=ParseMode.HTML, reply_markup=None)
                )
            else:
                await self.attempt(lambda: query.edit_message_reply_markup(reply_markup=None))
        except BadRequest as error:
            # "message is not modified" or too old to edit: the answer is what matters.
            log.info("could not mark the chosen button: %s", error)


def _words(message: str, language: str | None, **values: str) -> str:
    """One of the adapter's own texts (see :mod:`coach.adapter_text`) in the language Telegram reports.

    Only the coach knows a language chosen in /settings; these few texts are shown without asking it.
    """
    return translator(normalize_language(language)).gettext(message).format(**values)


def _is_popup(reply: Reply) -> bool:
    """A transient notice that fits the little pop-up Telegram shows for a button press."""
    return reply.ephemeral and not (reply.choices or reply.image or reply.document)


def _private_link(context: Context) -> str:
    return f"https://t.me/{context.bot.username}"
