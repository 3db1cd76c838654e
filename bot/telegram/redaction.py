"""Keeping the bot token out of every log line.

The token is part of every Bot API URL, and PTB logs those URLs at DEBUG ("Set Bot API URL: ..."), as would
any library that prints a request URL in an error. Rather than chase each one, the adapter puts this
filter on the root logger's handlers while it runs, so whatever reaches the log has the token replaced.
"""

from __future__ import annotations

import logging

MASK = "<TELEGRAM_BOT_TOKEN>"


class RedactToken(logging.Filter):
    """Replaces ``secret`` in a record's message and traceback; never drops a record."""

    def __init__(self, secret: str) -> None:
        super().__init__()
        self.secret = secret

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.secret:
            return True
        message = record.getMessage()
        if self.secret in message:
            record.msg, record.args = message.replace(self.secret, MASK), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text and self.secret in record.exc_text:
            record.exc_text = record.exc_text.replace(self.secret, MASK)
        return True

    def install(self) -> None:
        for handler in logging.getLogger().handlers:
            handler.addFilter(self)

    def uninstall(self) -> None:
        for handler in logging.getLogger().handlers:
            handler.removeFilter(self)
