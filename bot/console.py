"""The coach in a terminal: type answers, pick choices, /quit to leave.

Choices are numbered when the question only takes a choice; when it also takes a typed answer ("Pick one, or
type your own", "How many hours?") they get letters (a, b, c…), so a typed "3" is an answer, never choice 3.
A line equal to a choice's label ("3" on a 1–5 rating) picks that choice either way.

The console speaks the terminal's language (``LANG=ko_KR.UTF-8`` gives Korean); in English, the first
Korean line is held back while the console offers to switch. Check-ins written to ``ENCORE_CONSOLE_OUTBOX``
while the console was closed are shown when it opens, with their buttons.
"""

from __future__ import annotations

import asyncio
import getpass
import os
import re
import string
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TextIO

from bot.console_outbox import read_unseen
from coach import adapter_text
from coach.core import Coach
from coach.i18n import normalize_language, translator
from coach.later import settle
from coach.messages import Choice, Identity, Inbound, Reply, sendable
from coach.understanding import Understood, has_hangul, parse_yes_no

PROMPT = "> "
_SWITCH_YES, _SWITCH_NO = "console:ko", "console:en"

_MARKUP = re.compile(r"(?<![\w*])([*_])(?=\S)(.+?)(?<=\S)\1(?![\w*])", re.DOTALL)
_LETTER = re.compile(r"^([a-z])[.)]?$")


def plain(text: str) -> str:
    """The coach's tiny markup (``*bold*``, ``_italic_``) removed for a plain terminal."""
    return _MARKUP.sub(r"\2", text)


def language_from_environment(environ: Mapping[str, str]) -> str | None:
    """The terminal's language as the console speaks it: ``"ko"`` for a Korean locale, ``"en"`` for any
    other set locale, ``None`` when none is set (the coach then follows its own default)."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "").strip()
        if value:
            return normalize_language(value.split(".")[0])
    return None


@dataclass
class Shown:
    """The choices on screen: their action ids and labels, and whether they are lettered."""

    actions: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    lettered: bool = False

    @classmethod
    def of(cls, replies: list[Reply]) -> Shown:
        choices = [choice for reply in replies for choice in sendable(reply.choices)]
        typed_too = any(reply.ask is not None for reply in replies if sendable(reply.choices))
        return cls(
            [c.action for c in choices],
            [c.label for c in choices],
            lettered=typed_too and len(choices) <= len(string.ascii_lowercase),
        )

    def marker(self, index: int) -> str:
        return string.ascii_lowercase[index] if self.lettered else str(index + 1)

    def pick(self, line: str) -> str | None:
        """The action a typed line picks, or ``None`` when it is text."""
        typed = line.strip()
        folded = typed.casefold()
        for action, label in zip(self.actions, self.labels, strict=True):
            if folded and folded == label.strip().casefold():
                return action
        if self.lettered:
            letter = _LETTER.match(folded)
            index = string.ascii_lowercase.index(letter.group(1)) if letter else -1
        else:
            index = int(typed) - 1 if typed.isdecimal() and len(typed) < 6 else -1
        return self.actions[index] if 0 <= index < len(self.actions) else None


def render(reply: Reply, shown: Shown, first: int = 0) -> str:
    """A reply as terminal text; its choices are marked from position ``first`` of ``shown``."""
    lines = [plain(reply.text)]
    if reply.image is not None:
        lines.append(f"[picture: {reply.image.alt}]")
    if reply.document is not None:
        lines.append(f"[file: {reply.document.filename}, {len(reply.document.content)} bytes]")
    for offset, choice in enumerate(sendable(reply.choices)):
        lines.append(f"  {shown.marker(first + offset)}. {choice.label}")
    return "\n".join(lines)


def parse_line(line: str, identity: Identity, shown: Shown) -> Inbound:
    """A typed line as an event: ``/cmd args`` is a command, a choice marker picks a shown choice."""
    stripped = line.strip()
    if stripped.startswith("/") and len(stripped) > 1:
        command, _, args = stripped[1:].partition(" ")
        return Inbound(identity, command=command, args=args)
    action = shown.pick(line)
    if action is not None:
        return Inbound(identity, action=action)
    return Inbound(identity, text=line)


class Console:
    """Reads lines from ``stdin`` and writes the coach's replies to ``stdout``.

    ``language`` is the console's language hint (default: the terminal's locale, see
    :func:`language_from_environment`); ``outbox`` is the file check-ins for console users are written to
    (``ENCORE_CONSOLE_OUTBOX``), read for what arrived while the console was closed.
    """

    def __init__(
        self,
        coach: Coach,
        *,
        stdin: TextIO = sys.stdin,
        stdout: TextIO = sys.stdout,
        user: str | None = None,
        language: str | None = None,
        outbox: Path | None = None,
        environ: Mapping[str, str] | None = None,
    ) -> None:
        self.coach = coach
        self.stdin = stdin
        self.stdout = stdout
        self.outbox = outbox
        name = user or getpass.getuser()
        language = language or language_from_environment(os.environ if environ is None else environ)
        self.identity = Identity("console", user_id=name, chat_id=name, language=language, display_name=name)
        self.shown = Shown()
        self._offer_korean = normalize_language(language) != "ko"
        self._held: str | None = None  # a Korean line waiting for the answer to the language offer

    @property
    def language(self) -> str:
        return normalize_language(self.identity.language)

    def _write(self, text: str) -> None:
        self.stdout.write(text + "\n")
        self.stdout.flush()

    def show(self, replies: list[Reply]) -> None:
        """Print replies; their choices become the ones a typed marker picks."""
        if any(sendable(reply.choices) for reply in replies):
            self.shown = Shown.of(replies)
        first = 0
        for reply in replies:
            self._write(render(reply, self.shown, first))
            first += len(sendable(reply.choices))

    async def say(self, line: str) -> list[Reply]:
        """Handle one typed line and print the replies."""
        if self._held is not None:
            return await self._answer_language_offer(line)
        if self._offer_korean and not line.strip().startswith("/") and has_hangul(line):
            self._offer_korean = False
            self._held = line
            self.show([self._language_offer()])
            return []
        replies = await self.coach.handle(parse_line(line, self.identity, self.shown))
        if any(reply.later is not None for reply in replies):
            self._write("…")  # a model is writing; its checked answer (or the curated one) follows
            replies = [await settle(reply) for reply in replies]
        self.show(replies)
        return replies

    def _language_offer(self) -> Reply:
        korean = translator("ko")
        return Reply(
            korean.gettext(adapter_text.CONSOLE_SWITCH),
            choices=(
                Choice(korean.gettext(adapter_text.CONSOLE_SWITCH_YES), _SWITCH_YES),
                Choice(korean.gettext(adapter_text.CONSOLE_SWITCH_NO), _SWITCH_NO),
            ),
        )

    async def _answer_language_offer(self, line: str) -> list[Reply]:
        held, self._held = self._held or "", None
        picked = self.shown.pick(line)
        answer = parse_yes_no(line)
        other_line = picked is None and not isinstance(answer, Understood)
        if picked == _SWITCH_YES or (isinstance(answer, Understood) and answer.value):
            self.identity = replace(self.identity, language="ko")
            self._write(translator("ko").gettext(adapter_text.CONSOLE_SWITCHED))
        self.shown = Shown()
        replies = await self.say(held)
        if other_line:  # not an answer to the offer: it is the next thing they wanted to say
            replies += await self.say(line)
        return replies

    def show_unseen_checkins(self) -> None:
        """Check-ins that reached the outbox file while the console was closed, with their buttons."""
        if self.outbox is None:
            return
        replies = read_unseen(self.outbox, self.identity.user_id)
        if replies:
            self._write(translator(self.language).gettext(adapter_text.CONSOLE_AWAY))
            self.show(replies)

    async def run(self) -> None:
        self._write(translator(self.language).gettext(adapter_text.CONSOLE_WELCOME))
        self.show_unseen_checkins()
        loop = asyncio.get_running_loop()
        while True:
            self.stdout.write(PROMPT)
            self.stdout.flush()
            line = await loop.run_in_executor(None, self.stdin.readline)
            if not line or line.strip() in ("/quit", "/exit"):
                self._write("")
                return
            await self.say(line.rstrip("\n"))
