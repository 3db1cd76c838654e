"""Button action ids: short, plain ASCII, and checked before anything is done with them.

A flow button is ``<flow>:<step>:<revision>:<value>``; it is honoured only while the user's conversation is
still at that flow, step and revision, so a button pressed twice, pressed on an old message or forged
changes nothing. A shortcut button is ``go:<command>`` and is always valid. Other prefixes belong to
features that check their own payloads (check-in buttons, for instance).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_ACTION_BYTES = 56  # Telegram allows 64 bytes of callback data; adapters may add a short prefix
_PART = re.compile(r"^[A-Za-z0-9_.+\-]{1,40}$")


class ActionError(ValueError):
    """An action id that is not one of ours."""


@dataclass(frozen=True, slots=True)
class FlowAction:
    flow: str
    step: str
    revision: int
    value: str


@dataclass(frozen=True, slots=True)
class ShortcutAction:
    command: str
    args: str


@dataclass(frozen=True, slots=True)
class FeatureAction:
    feature: str
    parts: tuple[str, ...]


Action = FlowAction | ShortcutAction | FeatureAction


def _check(parts: list[str]) -> None:
    for part in parts:
        if not _PART.match(part):
            raise ActionError("malformed part")


def flow_action(flow: str, step: str, revision: int, value: str) -> str:
    action = f"{flow}:{step}:{revision}:{value}"
    _check([flow, step, value])
    if len(action.encode()) > MAX_ACTION_BYTES:
        raise ActionError(f"action id too long: {action!r}")
    return action


def shortcut(command: str, args: str = "") -> str:
    action = f"go:{command}:{args}" if args else f"go:{command}"
    _check([command] + ([args] if args else []))
    return action


def feature_action(feature: str, *parts: str) -> str:
    action = ":".join((feature, *parts))
    _check([feature, *parts])
    if len(action.encode()) > MAX_ACTION_BYTES:
        raise ActionError(f"action id too long: {action!r}")
    return action


def parse(action: str) -> Action:
    """Parse an action id from a button; raises :class:`ActionError` for anything not made by the coach."""
    if not action or len(action.encode("utf-8", "replace")) > MAX_ACTION_BYTES:
        raise ActionError("empty or too long")
    parts = action.split(":")
    _check(parts)
    if parts[0] == "go":
        if len(parts) not in (2, 3):
            raise ActionError("bad shortcut")
        return ShortcutAction(parts[1], parts[2] if len(parts) == 3 else "")
    if len(parts) == 4 and parts[2].isdigit():
        return FlowAction(parts[0], parts[1], int(parts[2]), parts[3])
    return FeatureAction(parts[0], tuple(parts[1:]))
