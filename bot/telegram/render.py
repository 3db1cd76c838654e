"""The coach's portable text as Telegram messages: HTML markup, 4,096-character pieces, inline keyboards.

The coach writes ``*bold*`` and ``_italic_`` with blank lines between paragraphs. Telegram's HTML mode is
the one that needs escaping of only ``<``, ``>`` and ``&``, so user-supplied words (a role, a journal
answer) can never break a message. Telegram counts a message's length after markup is parsed, in UTF-16
code units; measuring the source the same way is a safe upper bound, since markup only gets shorter.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, WebAppInfo

from bot import splitting
from bot.telegram import callback_data
from coach.messages import Choice

MAX_MESSAGE_CHARS = 4096
MAX_CAPTION_CHARS = 1024
MAX_CALLBACK_ANSWER_CHARS = 200

# A marker opens after a non-word character and closes before one, so snake_case and 2*3*4 stay as typed.
# Italic may not span a tag, which keeps "*a _b* c_" from producing crossed <b><i> tags Telegram rejects.
_BOLD = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]*?\S)\*(?![\w*])")
_ITALIC = re.compile(r"(?<![\w_])_(?=\S)([^_\n<>]*?\S)_(?![\w_])")
_ANY_TAG = re.compile(r"<[^>]+>")  # in escaped HTML every "<" opens a tag


def utf16_len(text: str) -> int:
    """Length as Telegram counts it (characters outside the BMP, such as most emoji, count twice)."""
    return len(text.encode("utf-16-le")) // 2


def to_html(markup: str) -> str:
    """Coach markup as Telegram HTML, with everything else escaped."""
    escaped = html.escape(markup, quote=False)
    escaped = _BOLD.sub(r"<b>\1</b>", escaped)
    return _ITALIC.sub(r"<i>\1</i>", escaped)


def to_plain(markup: str) -> str:
    """The text :func:`to_html` shows, without the formatting (for pop-ups, which cannot carry any)."""
    return _html_text(to_html(markup))


def _html_text(markup_html: str) -> str:
    return html.unescape(_ANY_TAG.sub("", markup_html))


def clip(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` UTF-16 units, with an ellipsis when something was cut."""
    if utf16_len(text) <= limit:
        return text
    return splitting.cut_by_characters(text, limit - 1, utf16_len)[0].rstrip() + "…"


def split_text(markup: str, limit: int = MAX_MESSAGE_CHARS) -> list[str]:
    """``markup`` in pieces that each fit one message: between paragraphs where possible, then between
    lines, then between words, and only as a last resort inside a word."""
    pieces = splitting.split_text(markup, limit, measure=utf16_len)
    return [piece for piece in pieces if piece.strip()]


def keyboard(
    choices: Sequence[Choice], columns: int = 0, webapp_url: str | None = None
) -> InlineKeyboardMarkup | None:
    """The choices as an inline keyboard, ``columns`` buttons a row (one a row when no hint is given).

    A choice that opens the dashboard app becomes a ``web_app`` button to ``webapp_url`` (left out when
    there is no app); Telegram accepts those in private chats, the only ones the coach talks in. A choice
    with a ``url`` (a deep link) becomes a URL button.
    """
    buttons = [made for choice in choices if (made := button(choice, webapp_url)) is not None]
    if not buttons:
        return None
    width = columns if columns > 0 else 1
    return InlineKeyboardMarkup([buttons[i : i + width] for i in range(0, len(buttons), width)])


def button(choice: Choice, webapp_url: str | None) -> InlineKeyboardButton | None:
    if choice.url:
        return InlineKeyboardButton(choice.label, url=choice.url)
    if not choice.opens_app:
        return InlineKeyboardButton(choice.label, callback_data=callback_data.encode(choice.action))
    return InlineKeyboardButton(choice.label, web_app=WebAppInfo(webapp_url)) if webapp_url else None


def chosen(question_html: str, label: str) -> str | None:
    """A question's text with the picked answer under it, or ``None`` if that would not fit a message."""
    text = f"{question_html}\n\n✔︎ <b>{html.escape(label, quote=False)}</b>"
    return text if utf16_len(_html_text(text)) <= MAX_MESSAGE_CHARS else None
