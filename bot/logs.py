"""Logging set-up: user ids and event kinds at INFO, never message text; secrets masked at every level.

On a terminal, logs are plain lines; anywhere else (a container, systemd, a file) they are one JSON object
per line, with the fields passed as ``extra=`` (``user_id``, ``platform``, …) as keys of their own, so a log
pipeline can filter by user without anyone reading what users wrote.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, TextIO

# Attributes every LogRecord has; anything else on a record came from ``extra=``.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime", "taskName"}
_HANDLER_NAME = "encore"


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time, level, logger, message, the ``extra`` fields, the traceback."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value if isinstance(value, str | int | float | bool | None) else repr(value)
        if record.exc_text:  # already formatted, and secrets masked, by a filter (see Redact)
            entry["exception"] = record.exc_text
        elif record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


class Redact(logging.Filter):
    """Replaces each secret (``{mask: secret}``) in a record's message and traceback; never drops a record.

    Libraries log what they send at DEBUG (PTB: every Bot API call with its parameters, the webhook's
    ``secret_token`` among them; the token is in every URL), so secrets are masked by value, wherever
    they turn up, rather than chased call by call.
    """

    def __init__(self, secrets: Mapping[str, str]) -> None:
        super().__init__()
        # Longest first, so a secret that contains another is masked whole.
        self.secrets = sorted(
            ((mask, secret) for mask, secret in secrets.items() if secret), key=lambda item: -len(item[1])
        )

    def _masked(self, text: str) -> str:
        for mask, secret in self.secrets:
            text = text.replace(secret, mask)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.secrets:
            return True
        message = record.getMessage()
        masked = self._masked(message)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self._masked(record.exc_text)
        return True


def wants_json(log_format: str, stream: TextIO) -> bool:
    if log_format == "auto":
        return not stream.isatty()
    return log_format == "json"


def configure(
    level: str = "INFO",
    log_format: str = "auto",
    stream: TextIO | None = None,
    secrets: Mapping[str, str] | None = None,
) -> None:
    """Send Encore's logs to ``stream`` (stderr); calling it again replaces the handler it installed.

    ``secrets`` (``{mask: value}``, see :meth:`bot.settings.Settings.secrets`) are masked in every line.
    """
    stream = stream or sys.stderr
    handler = logging.StreamHandler(stream)
    handler.set_name(_HANDLER_NAME)
    handler.addFilter(Redact(secrets or {}))
    handler.setFormatter(
        JsonFormatter()
        if wants_json(log_format, stream)
        else logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    )
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == _HANDLER_NAME]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    # httpx logs every request URL at INFO, and the Telegram token is part of that URL.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    logging.getLogger("aiosqlite").setLevel(logging.WARNING)
    # SQLAlchemy would echo every statement at INFO and every row at DEBUG: rows hold users' words.
    logging.getLogger("sqlalchemy.engine").setLevel(logging.WARNING)
    # aiohttp's access log carries request paths (a webhook path may hold a secret): warnings only.
    logging.getLogger("aiohttp.access").setLevel(logging.WARNING)
