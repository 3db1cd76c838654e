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
from coach.messages import Choice, Reply, sendable


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


def read_unseen(path: Path, user: str) -> list[Reply]:
    """Messages for ``user`` appended to ``path`` since this user's console last read it, oldest first.

    Where each console user stopped reading is kept beside the outbox (``<outbox>.seen``, a JSON object of
    byte offsets), so a message is offered once. Lines that are not ours (broken JSON, another shape) are
    skipped, and the outbox file itself is never changed.
    """
    marker = path.with_name(path.name + ".seen")
    try:
        seen = json.loads(marker.read_text(encoding="utf-8"))
        if not isinstance(seen, dict):
            seen = {}
    except (OSError, ValueError):
        seen = {}
    start = seen.get(user, 0) if isinstance(seen.get(user, 0), int) else 0
    try:
        with path.open("rb") as handle:
            size = handle.seek(0, os.SEEK_END)
            start = start if 0 <= start <= size else 0  # the file was replaced: read it from the top
            handle.seek(start)
            data = handle.read()
    except OSError:
        return []
    complete = data[: data.rfind(b"\n") + 1]  # a line still being written waits for the next start
    replies = [reply for line in complete.splitlines() if (reply := _reply_for(line, user)) is not None]
    seen[user] = start + len(complete)
    temporary = marker.with_name(marker.name + ".tmp")
    temporary.write_text(json.dumps(seen), encoding="utf-8")
    os.replace(temporary, marker)
    return replies


def _reply_for(line: bytes, user: str) -> Reply | None:
    try:
        record = json.loads(line)
    except ValueError:
        return None
    if not isinstance(record, dict) or record.get("user") != user or not isinstance(record.get("text"), str):
        return None
    choices = []
    for pair in record.get("choices") or []:
        if isinstance(pair, list) and len(pair) == 2 and all(isinstance(part, str) for part in pair):
            choices.append(Choice(pair[0], pair[1]))
    return Reply(record["text"], choices=tuple(choices))
