"""A coach with the AI model configured: the real ``openai`` client pointed at the fake server."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from coach.ai.assistant import SERVICE, Assistant, Consent
from coach.ai.model import OpenAIChat
from coach.core import Coach
from coach.later import settle
from coach.messages import Reply
from storage.db import Database
from tests.fakes.openai_api import MODEL, FakeOpenAI
from tests.support import FakeClock

PROVIDER = "models.example.org"


def assistant_for(fake: FakeOpenAI, *, consent: Consent = "ask", seconds: float = 5.0) -> Assistant:
    model = OpenAIChat(base_url=fake.base_url, model=MODEL, api_key=None, timeout=seconds)
    return Assistant(model, consent=consent, provider=PROVIDER, seconds=seconds)


@dataclass
class Coaches:
    """Makes coaches that use ``fake`` as their model, and closes their HTTP clients afterwards."""

    database: Database
    fake: FakeOpenAI
    made: list[Assistant] = field(default_factory=list)

    def __call__(self, *, consent: Consent = "ask", seconds: float = 5.0) -> Coach:
        assistant = assistant_for(self.fake, consent=consent, seconds=seconds)
        self.made.append(assistant)
        return Coach(self.database, clock=FakeClock(), services={SERVICE: assistant})

    def services(self, *, consent: Consent = "ask", seconds: float = 5.0) -> dict[str, object]:
        assistant = assistant_for(self.fake, consent=consent, seconds=seconds)
        self.made.append(assistant)
        return {SERVICE: assistant}

    async def close(self) -> None:
        for assistant in self.made:
            assert isinstance(assistant.model, OpenAIChat)
            await assistant.model.close()


async def settled(replies: Sequence[Reply]) -> list[Reply]:
    """The replies as an adapter sends them: each model answer run (or given up) and its text in place."""
    return [await settle(reply) for reply in replies]


def text_of(replies: Sequence[Reply]) -> str:
    return "\n\n".join(reply.text for reply in replies)
