"""Inline-button payloads: the coach's action id behind a version tag, checked before it goes anywhere.

Telegram gives a button at most 64 bytes of ``callback_data`` and hands back whatever a client sends, so a
payload is treated as untrusted input. The coach keeps its action ids to 56 bytes of ``[A-Za-z0-9_.+-:]``;
this module adds a two-byte version tag, so a change of format later turns old buttons into "expired"
instead of misreading them. Nothing is signed: the coach checks every action against the user's stored
conversation, so a forged payload can do no more than the user could by typing a command.
"""

from __future__ import annotations

import re

from coach.actions import MAX_ACTION_BYTES

MAX_CALLBACK_BYTES = 64  # Telegram's limit
VERSION = "1"
_TAG = VERSION + "|"
_ACTION = re.compile(r"^[A-Za-z0-9_.+\-:]+$")

# What an unreadable payload becomes: an action the coach can never parse, so it answers "expired".
UNREADABLE = ""


class CallbackDataError(ValueError):
    """An action id that cannot be carried by a Telegram button."""


def encode(action: str) -> str:
    """The ``callback_data`` for a coach action id."""
    if not _ACTION.match(action) or len(action.encode()) > MAX_ACTION_BYTES:
        raise CallbackDataError(f"not a coach action id: {action!r}")
    data = _TAG + action
    if len(data.encode()) > MAX_CALLBACK_BYTES:
        raise CallbackDataError(f"callback data too long: {data!r}")
    return data


def decode(data: object) -> str | None:
    """The action id inside ``data``, or ``None`` for anything this version did not make."""
    if not isinstance(data, str) or len(data.encode("utf-8", "replace")) > MAX_CALLBACK_BYTES:
        return None
    if not data.startswith(_TAG):
        return None
    action = data[len(_TAG) :]
    return action if _ACTION.match(action) else None
