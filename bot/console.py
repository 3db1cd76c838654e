"""The coach in a terminal: type answers, pick a choice by its number, /quit to leave."""

from __future__ import annotations

import asyncio
import getpass
import re
import sys
from typing import TextIO

from coach.core import Coach
from coach.messages import Identity, Inbound, Reply, sendable

PROMPT = "> "


_MARKUP = re.compile(r"(?<![\w*])([*_])(?=\S)(.+?)(?<=\S)\1(?![\w*])", re.DOTALL)


def plain(text: str) -> str:
    """The coach's tiny markup (``*bold*``, ``_italic_``) removed for a plain terminal."""
    return _MARKUP.sub(r"\2", text)


def render(reply: Reply, first_number: int = 1) -> str:
    """A reply as terminal text; choices become numbered options starting at ``first_number``."""
    lines = [plain(reply.text)]
    if reply.image is not None:
        lines.append(f"[picture: {reply.image.alt}]")
    if reply.document is not None:
        lines.append(f"[file: {reply.document.filename}, {len(reply.document.content)} bytes]")
    for number, choice in enumerate(sendable(reply.choices), start=first_number):
        lines.append(f"  {number}. {choice.label}")
    return "\n".join(lines)


def parse_line(line: str, identity: Identity, choices: list[str]) -> Inbound:
    """A typed line as an event: ``/cmd args`` is a command, a bare number picks a shown choice."""
    stripped = line.strip()
    if stripped.startswith("/") and len(stripped) > 1:
        command, _, args = stripped[1:].partition(" ")
        return Inbound(identity, command=command, args=args)
    if stripped.isdecimal() and 1 <= int(stripped) <= len(choices):
        return Inbound(identity, action=choices[int(stripped) - 1])
    return Inbound(identity, text=line)


class Console:
    """Reads lines from ``stdin`` and writes the coach's replies to ``stdout``."""

    def __init__(
        self,
        coach: Coach,
        *,
        stdin: TextIO = sys.stdin,
        stdout: TextIO = sys.stdout,
        user: str | None = None,
        language: str | None = None,
    ) -> None:
        self.coach = coach
        self.stdin = stdin
        self.stdout = stdout
        name = user or getpass.getuser()
        self.identity = Identity("console", user_id=name, chat_id=name, language=language, display_name=name)
        self.choices: list[str] = []

    def _write(self, text: str) -> None:
        self.stdout.write(text + "\n")
        self.stdout.flush()

    async def say(self, line: str) -> list[Reply]:
        """Handle one typed line and print the replies."""
        replies = await self.coach.handle(parse_line(line, self.identity, self.choices))
        offered = [choice.action for reply in replies for choice in sendable(reply.choices)]
        if offered:
            self.choices = offered
        number = 1
        for reply in replies:
            self._write(render(reply, number))
            number += len(sendable(reply.choices))
        return replies

    async def run(self) -> None:
        self._write("Encore console — type /start to begin, /help for commands, /quit to leave.")
        loop = asyncio.get_running_loop()
        while True:
            self.stdout.write(PROMPT)
            self.stdout.flush()
            line = await loop.run_in_executor(None, self.stdin.readline)
            if not line or line.strip() in ("/quit", "/exit"):
                self._write("")
                return
            await self.say(line.rstrip("\n"))
