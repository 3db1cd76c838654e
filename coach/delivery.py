"""Sending without being asked: how check-ins (and other proactive messages) reach a platform.

Each adapter offers a :class:`Sender`; the scheduler hands it replies for one identity and learns from
the exception it raises what to do next.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from coach.messages import Reply


@dataclass(frozen=True, slots=True)
class Recipient:
    """Where a proactive message goes: the identity as its platform knows it."""

    identity_id: int
    user_id: int
    platform: str
    workspace: str
    external_id: str
    chat_id: str


class DeliveryError(Exception):
    """Sending failed."""


class Unreachable(DeliveryError):
    """The user blocked the bot or removed the app: do not message them until they write again."""


class RateLimited(DeliveryError):
    """The platform asked us to slow down; ``retry_after`` is in seconds."""

    def __init__(self, retry_after: float) -> None:
        super().__init__(f"rate limited for {retry_after:g}s")
        self.retry_after = retry_after


class TemporaryFailure(DeliveryError):
    """A network error or a 5xx: worth retrying later."""


class Uncertain(DeliveryError):
    """The request went out but no answer came (a timeout), or only part of the message went: it may
    have arrived, so sending it again could show it twice. Record it; never send it again."""


class Sender(Protocol):
    platform: str

    async def deliver(self, recipient: Recipient, replies: Sequence[Reply]) -> None:
        """Send ``replies`` in order; raise a :class:`DeliveryError` subclass on failure."""
        ...
