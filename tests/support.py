"""Test helpers: a clock the test moves, and a user who talks to the coach and presses buttons by label."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from coach.core import Coach
from coach.messages import Identity, Inbound, Reply


class FakeClock:
    """Time that moves only when the test says so."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2026, 11, 25, 1, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@dataclass
class Talker:
    """One chat user. Keeps the replies it last received so a test can press their buttons by label."""

    coach: Coach
    identity: Identity
    last: list[Reply] = field(default_factory=list)

    async def send(self, inbound: Inbound) -> list[Reply]:
        self.last = await self.coach.handle(inbound)
        return self.last

    async def command(self, command: str, args: str = "") -> list[Reply]:
        return await self.send(Inbound(self.identity, command=command, args=args))

    async def say(self, text: str) -> list[Reply]:
        return await self.send(Inbound(self.identity, text=text))

    async def press(self, label: str) -> list[Reply]:
        return await self.send(Inbound(self.identity, action=self.action(label)))

    async def press_action(self, action: str) -> list[Reply]:
        return await self.send(Inbound(self.identity, action=action))

    def action(self, label: str) -> str:
        """The action id of the button labelled ``label`` in the latest replies."""
        for reply in reversed(self.last):
            for choice in reply.choices:
                if choice.label == label:
                    return choice.action
        shown = [c.label for r in self.last for c in r.choices]
        raise AssertionError(f"no button {label!r}; buttons shown: {shown}")

    @property
    def text(self) -> str:
        return "\n\n".join(reply.text for reply in self.last)

    @property
    def labels(self) -> list[str]:
        return [choice.label for reply in self.last for choice in reply.choices]


def person(
    user_id: str = "u1", *, language: str | None = "en", platform: str = "console", workspace: str = ""
) -> Identity:
    return Identity(
        platform, user_id=user_id, chat_id=f"chat-{user_id}", workspace=workspace, language=language
    )  # type: ignore[arg-type]
