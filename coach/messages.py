"""The coach's value objects: what comes in from a chat platform and what goes back out.

Adapters build an :class:`Inbound` from a platform event and render each :class:`Reply`; nothing here
knows which platform it came from.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

Platform = Literal["console", "telegram", "slack"]


@dataclass(frozen=True, slots=True)
class Identity:
    """Who wrote: unique per (platform, workspace, user_id).

    ``workspace`` is the Slack team id ("" on Telegram and the console), ``chat_id`` where replies and
    check-ins go (a Telegram chat id, a Slack DM channel id), ``language`` the platform's language hint
    (Telegram ``language_code``, Slack locale) and ``timezone`` the platform's time zone hint, if any.
    """

    platform: Platform
    user_id: str
    chat_id: str
    workspace: str = ""
    language: str | None = None
    display_name: str | None = None
    timezone: str | None = None


@dataclass(frozen=True, slots=True)
class Inbound:
    """One event from a user: exactly one of ``text``, ``command`` or ``action`` is set.

    ``command`` is the bare command name (``"start"``), with ``args`` the rest of the line; ``action`` is
    the opaque id of a pressed button (see :mod:`coach.actions`). ``key`` is the platform's id for the
    event (a Telegram update id): an event with a key is taken once, so one handled before (delivered
    again, or taken over from a process that died) changes nothing and gets no replies.
    """

    identity: Identity
    text: str | None = None
    command: str | None = None
    args: str = ""
    action: str | None = None
    at: datetime | None = None
    key: str | None = None


@dataclass(frozen=True, slots=True)
class Choice:
    """A button: what it says and the action id sent back when it is pressed.

    ``opens_app`` marks a button that opens the user's dashboard app (the Telegram Mini App) instead of
    sending ``action``; ``url`` a button that opens that web address (a Telegram deep link). A platform
    that has no such buttons leaves them out (see :func:`sendable`); the reply's text says the same.
    """

    label: str
    action: str
    opens_app: bool = False
    url: str = ""


def sendable(choices: tuple[Choice, ...]) -> tuple[Choice, ...]:
    """The choices a platform with neither app nor link buttons can show: every one that sends an action."""
    return tuple(choice for choice in choices if not (choice.opens_app or choice.url))


@dataclass(frozen=True, slots=True)
class Image:
    """A picture (PNG bytes) with a text alternative, also used as its caption.

    ``kind`` says what it shows (``"progress"``, ``"skills"``, ``"study"``), ``title`` the same in the
    user's words: a platform that stores pictures as files names them with these.
    """

    png: bytes
    alt: str
    kind: str = "chart"
    title: str = ""


@dataclass(frozen=True, slots=True)
class Document:
    """A file for the user to keep (an export)."""

    filename: str
    content: bytes
    mime_type: str = "application/octet-stream"


AskKind = Literal["short", "long"]

Show = Callable[[str], Awaitable[None]]
"""Shows a part of an answer still being written (a Telegram draft, a Slack message updated in place)."""


@dataclass(frozen=True, slots=True)
class Later:
    """Words still to come (an AI model's answer), run by the adapter after the event is stored.

    ``write(show)`` calls ``show`` with the checked text so far while it streams and returns the final,
    checked text of the whole reply, or ``None`` when the reply's own (curated) text should stand. It is
    given ``seconds`` (and a short grace) by :func:`coach.later.settle`, which adapters call.
    """

    write: Callable[[Show], Awaitable[str | None]]
    seconds: float


@dataclass(frozen=True, slots=True)
class Reply:
    """One message from the coach.

    ``text`` uses a tiny portable markup: ``*bold*`` and ``_italic_`` only, blank lines between paragraphs.
    ``choices`` are buttons, laid out by the adapter (``columns`` is a hint). ``ask`` says the coach waits
    for free text: ``"long"`` suits a multi-line box (a Slack modal), ``"short"`` a one-line answer.
    ``ephemeral`` marks a transient notice (an expired button, a refusal) that an adapter may show as a
    pop-up or a message only the user sees instead of a chat message. ``later``, when set, is a model's
    answer still to come: adapters show a chat action at once, run it outside the event's transaction and
    send its text instead of ``text``, which stays the fallback (see :func:`coach.later.settle`).
    """

    text: str
    choices: tuple[Choice, ...] = ()
    columns: int = 0
    image: Image | None = None
    document: Document | None = None
    ask: AskKind | None = None
    ephemeral: bool = False
    extra: dict[str, str] = field(default_factory=dict)
    later: Later | None = None
