"""Proactive deliveries are counted as sent, failed and retried; a failing handler is counted too."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from bot.metrics import Metrics
from coach.core import Coach
from coach.delivery import RateLimited, Recipient, TemporaryFailure, Unreachable
from coach.messages import Reply
from coach.telemetry import Handled
from storage.db import Database
from tests.support import FakeClock, Talker, person

ALICE = Recipient(identity_id=1, user_id=1, platform="telegram", workspace="", external_id="42", chat_id="42")
BOB = Recipient(identity_id=2, user_id=2, platform="telegram", workspace="", external_id="43", chat_id="43")


class ScriptedPlatform:
    """Stands in for a platform's sender: fails the way it is told, once per scripted error."""

    platform = "telegram"

    def __init__(self, *errors: Exception | None) -> None:
        self.errors = list(errors)
        self.delivered: list[tuple[int, int]] = []

    async def deliver(self, recipient: Recipient, replies: Sequence[Reply]) -> None:
        error = self.errors.pop(0) if self.errors else None
        if error is not None:
            raise error
        self.delivered.append((recipient.identity_id, len(replies)))


def _count(metrics: Metrics, outcome: str) -> float:
    return (
        metrics.registry.get_sample_value(
            "encore_checkins_total", {"platform": "telegram", "outcome": outcome}
        )
        or 0.0
    )


async def test_a_rate_limited_check_in_counts_as_failed_then_retried_and_sent() -> None:
    metrics = Metrics()
    platform = ScriptedPlatform(RateLimited(3), None, TemporaryFailure("502"), Unreachable("blocked"), None)
    sender = metrics.counting(platform)
    check_in = [Reply("Time for your weekly check-in")]

    with pytest.raises(RateLimited):
        await sender.deliver(ALICE, check_in)
    await sender.deliver(ALICE, check_in)  # the retry succeeds
    with pytest.raises(TemporaryFailure):
        await sender.deliver(BOB, check_in)
    with pytest.raises(Unreachable):
        await sender.deliver(BOB, check_in)  # a retry that finds the user gone
    await sender.deliver(BOB, check_in)  # a later, fresh attempt: not a retry

    assert platform.delivered == [(1, 1), (2, 1)]
    assert (_count(metrics, "sent"), _count(metrics, "failed"), _count(metrics, "retried")) == (2, 3, 2)
    assert metrics.registry.get_sample_value("encore_messages_out_total", {"platform": "telegram"}) == 2


async def test_a_handler_that_raises_is_counted_and_still_raises(
    database: Database, clock: FakeClock
) -> None:
    seen: list[Handled] = []
    coach = Coach(database, clock=clock, observers=[seen.append])
    await database.dispose()
    coach.database = Database("postgresql+asyncpg://encore@127.0.0.1:1/encore")  # the database went away
    with pytest.raises(OSError):
        await Talker(coach, person("alice")).command("help")
    await coach.database.dispose()
    (event,) = seen
    assert event.failed and event.kind == "command" and event.platform == "console"

    metrics = Metrics()
    metrics.observe(event)
    assert metrics.registry.get_sample_value("encore_handler_errors_total", {"platform": "console"}) == 1


async def test_a_broken_observer_never_breaks_the_conversation(coach: Coach) -> None:
    def broken(event: Handled) -> None:
        raise ValueError("metrics backend down")

    coach.observers.append(broken)
    replies = await Talker(coach, person("alice")).command("help")
    assert "Here is what I can do" in replies[0].text
