"""Keeping the bot token out of every log line.

The token is part of every Bot API URL, and PTB logs those URLs at DEBUG ("Set Bot API URL: ..."), as would
any library that prints a request URL in an error. Rather than chase each one, the adapter puts this
filter on the root logger's handlers while it runs, so whatever reaches the log has the token replaced
(``encore run`` also masks every other secret of the settings, see :func:`bot.logs.configure`).
"""

from __future__ import annotations

import logging

from bot.logs import Redact

MASK = "<TELEGRAM_BOT_TOKEN>"


class RedactToken(Redact):
    """Replaces ``secret`` in a record's message and traceback; never drops a record."""

    def __init__(self, secret: str) -> None:
        super().__init__({MASK: secret})

    def install(self) -> None:
        for handler in logging.getLogger().handlers:
            handler.addFilter(self)

    def uninstall(self) -> None:
        for handler in logging.getLogger().handlers:
            handler.removeFilter(self)
