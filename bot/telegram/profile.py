"""What Telegram shows about the bot, set at start-up: its command menu, its descriptions, its menu button.

Each is read first and written only when it differs, so many replicas starting at once do not each
rewrite it (and Telegram's limits on these calls are never met). None of them is needed to chat: a failure
is logged and the bot starts anyway.

- Commands are offered in private chats only (``BotCommandScopeAllPrivateChats``), in English (the default
  list) and Korean; groups get none, since the coach talks one to one. A list an older version left in
  the default scope, which groups would see, is deleted.
- The description (an empty chat's "What can this bot do?") and the short description (the profile page
  and shared links), in English and Korean.
- The menu button opens the dashboard app when ``ENCORE_WEBAPP_URL`` is set; without it, a menu button
  that opens an app is put back to Telegram's default.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeAllPrivateChats,
    MenuButton,
    MenuButtonDefault,
    MenuButtonWebApp,
    WebAppInfo,
)
from telegram.error import TelegramError

from coach.adapter_text import BOT_DESCRIPTION, BOT_SHORT_DESCRIPTION
from coach.core import Coach
from coach.i18n import translator

log = logging.getLogger(__name__)

LANGUAGES = (None, "ko")  # None: Telegram's default, shown to every language without a list of its own
PRIVATE_CHATS = BotCommandScopeAllPrivateChats()
MENU_BUTTON_TEXT = "Encore"  # the app's name: one text for everyone, whatever their language


async def register(bot: Bot, coach: Coach, webapp_url: str | None) -> None:
    """Bring the bot's commands, descriptions and menu button up to date."""
    for what, step in (
        ("command menu", lambda: _commands(bot, coach)),
        ("descriptions", lambda: _descriptions(bot)),
        ("menu button", lambda: _menu_button(bot, webapp_url)),
    ):
        await _tried(what, step)


async def _tried(what: str, step: Callable[[], Awaitable[None]]) -> None:
    try:
        await step()
    except TelegramError as error:
        log.warning("could not update the bot's %s: %s", what, error)


async def _commands(bot: Bot, coach: Coach) -> None:
    for language in LANGUAGES:
        wanted = tuple(BotCommand(name, text) for name, text in coach.commands(language or "en"))
        shown = await bot.get_my_commands(scope=PRIVATE_CHATS, language_code=language)
        if tuple(shown) != wanted:
            await bot.set_my_commands(wanted, scope=PRIVATE_CHATS, language_code=language)
        if await bot.get_my_commands(language_code=language):  # the default scope reaches groups too
            await bot.delete_my_commands(language_code=language)


async def _descriptions(bot: Bot) -> None:
    for language in LANGUAGES:
        t = translator(language or "en")
        description = t.gettext(BOT_DESCRIPTION)
        if (await bot.get_my_description(language_code=language)).description != description:
            await bot.set_my_description(description, language_code=language)
        short = t.gettext(BOT_SHORT_DESCRIPTION)
        if (await bot.get_my_short_description(language_code=language)).short_description != short:
            await bot.set_my_short_description(short, language_code=language)


async def _menu_button(bot: Bot, webapp_url: str | None) -> None:
    current = await bot.get_chat_menu_button()
    wanted: MenuButton
    if webapp_url:
        wanted = MenuButtonWebApp(MENU_BUTTON_TEXT, WebAppInfo(webapp_url))
    elif isinstance(current, MenuButtonWebApp):
        wanted = MenuButtonDefault()  # the app was switched off
    else:
        return
    if current != wanted:
        await bot.set_chat_menu_button(menu_button=wanted)
