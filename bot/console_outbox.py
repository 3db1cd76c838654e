"""Check-ins for console users: appended as JSON lines to the file named by ``ENCORE_CONSOLE_OUTBOX``.

The console has no way to reach a user who is not typing, so a proactive message is written where a
terminal (``tail -f``), a script or a test can read it. One line per message::

    {"at": "...", "user": "alice", "chat": "alice", "text": "...", "choices": [["Start now", "go:reflect"]]}
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

from coach.delivery import Recipient
from coach.messages import Reply, sendable


class ConsoleOutbox:
    """A :class:`~coach.delivery.Sender` for the ``console`` platform. Several processes may append at once."""

    platform = "console"

    def __init__(self, path: Path, *, clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.path = path
        self.clock = clock

    async def deliver(self, recipient: Recipient, replies: Sequence[Reply]) -> None:
        lines = "".join(
            json.dumps(
                {
                    "at": self.clock().isoformat(),
                    "user": recipient.external_id,
                    "chat": recipient.chat_id,
                    "text": reply.text,
                    "choices": [[choice.label, choice.action] for choice in sendable(reply.choices)],
                },
                ensure_ascii=False,
            )
            + "\n"
            for reply in replies
        )
        descriptor = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX)  # one whole line at a time, whoever else is writing
            os.write(descriptor, lines.encode())
        finally:
            os.close(descriptor)
