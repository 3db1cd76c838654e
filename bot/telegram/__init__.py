"""Encore on Telegram, through python-telegram-bot (see :mod:`bot.telegram.adapter`)."""

from __future__ import annotations

from bot.telegram.adapter import TelegramAdapter, TelegramStartError
from bot.telegram.sender import TelegramSender

__all__ = ["TelegramAdapter", "TelegramSender", "TelegramStartError"]
