"""Nobody can make Encore read a huge body: ~95 MB POSTs without credentials are refused from their headers
(or after the first MiB), quickly, with the server's memory flat: Slack's endpoint, health and metrics,
and the Telegram webhook."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass

import psutil
import pytest

from bot.health import HealthServer
from bot.metrics import Metrics
from bot.telegram.webhook import SECRET_HEADER
from coach.core import Coach
from storage.db import Database
from tests.fakes.slack_requests import SlackHarness, running_slack
from tests.fakes.telegram_api import FakeTelegram
from tests.telegram_support import WEBHOOK_SECRET, ChatUser, running_bot

HUGE = 95 * 1024 * 1024
CHUNK = b"x" * (1024 * 1024)
MiB = 1024 * 1024


@dataclass
class Answer:
    status: int
    seconds: float
    sent: int  # bytes of body the client managed to push before the server answered and closed


async def post_huge(port: int, path: str, headers: dict[str, str], *, chunked: bool = False) -> Answer:
    """POST a 95 MB body a MiB at a time over a raw connection; stop sending once the answer is in."""
    started = time.perf_counter()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    framing = {"Transfer-Encoding": "chunked"} if chunked else {"Content-Length": str(HUGE)}
    head = "".join(f"{name}: {value}\r\n" for name, value in (headers | framing).items())
    writer.write(f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{head}\r\n".encode())
    sent = 0

    async def push() -> None:
        nonlocal sent
        frame = f"{len(CHUNK):x}\r\n".encode() + CHUNK + b"\r\n" if chunked else CHUNK
        while sent < HUGE:
            writer.write(frame)
            await writer.drain()
            sent += len(CHUNK)

    pushing = asyncio.create_task(push())
    try:
        status_line = await asyncio.wait_for(reader.readline(), 30)
    finally:
        pushing.cancel()
        await asyncio.gather(pushing, return_exceptions=True)
        writer.close()
        await asyncio.gather(writer.wait_closed(), return_exceptions=True)
    return Answer(int(status_line.split()[1]), time.perf_counter() - started, sent)


def rss() -> int:
    return int(psutil.Process().memory_info().rss)


@pytest.fixture
async def slack(coach: Coach) -> AsyncIterator[SlackHarness]:
    async with running_slack(coach) as harness:
        yield harness


@pytest.fixture
async def health(database: Database) -> AsyncIterator[HealthServer]:
    server = HealthServer(database, Metrics(), host="127.0.0.1", port=0, metrics_token="scrape-me")
    await server.start()
    yield server
    await server.stop()


async def _four_at_once(port: int, path: str, headers: dict[str, str], chunked: bool) -> list[Answer]:
    return list(await asyncio.gather(*(post_huge(port, path, headers, chunked=chunked) for _ in range(4))))


async def test_huge_posts_to_slack_are_refused_quickly_with_memory_flat(slack: SlackHarness) -> None:
    port = slack.adapter.port
    assert port is not None
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    signed = form | slack.signed_headers(b"anything")  # well-formed headers, a body far over the limit
    before = rss()
    unsigned = await _four_at_once(port, "/slack/events", form, chunked=False)
    declared = await _four_at_once(port, "/slack/events", signed, chunked=False)
    streamed = await _four_at_once(port, "/slack/events", signed, chunked=True)
    growth = rss() - before
    print(
        f"slack: RSS growth {growth / MiB:.1f} MiB over 12 POSTs of 95 MiB; "
        f"slowest answer {max(a.seconds for a in unsigned + declared + streamed):.2f} s; "
        f"most body pushed {max(a.sent for a in unsigned + declared + streamed) / MiB:.0f} MiB"
    )
    assert {a.status for a in unsigned} == {401}
    assert {a.status for a in declared} == {413} and {a.status for a in streamed} == {413}
    assert all(a.seconds < 5 for a in unsigned + declared + streamed)
    assert all(a.sent < HUGE for a in unsigned + declared + streamed), "the connection was closed early"
    assert growth < 20 * MiB
    assert slack.api.calls == []


async def test_huge_posts_to_health_and_metrics_are_refused_quickly_with_memory_flat(
    health: HealthServer,
) -> None:
    before = rss()
    answers = [
        *await _four_at_once(health.port, "/metrics", {}, chunked=False),
        *await _four_at_once(health.port, "/healthz", {}, chunked=True),
        *await _four_at_once(health.port, "/metrics", {"Authorization": "Bearer scrape-me"}, chunked=True),
    ]
    growth = rss() - before
    print(
        f"health: RSS growth {growth / MiB:.1f} MiB over 12 POSTs of 95 MiB; "
        f"slowest answer {max(a.seconds for a in answers):.2f} s"
    )
    assert {a.status for a in answers} == {413}
    assert all(a.seconds < 5 and a.sent < HUGE for a in answers)
    assert growth < 20 * MiB


async def test_huge_posts_to_the_telegram_webhook_are_refused_quickly_with_memory_flat(
    database: Database,
) -> None:
    async with FakeTelegram() as fake, running_bot(fake, database, mode="webhook") as bot:
        settings = bot.adapter.settings
        port, path = settings.telegram_webhook_port, settings.telegram_webhook_path
        json_body = {"Content-Type": "application/json"}
        before = rss()
        unsigned = await _four_at_once(port, path, json_body, chunked=False)
        guessed = await _four_at_once(port, path, json_body | {SECRET_HEADER: "guess"}, chunked=True)
        signed = json_body | {SECRET_HEADER: WEBHOOK_SECRET}  # Telegram's own header, a body far too big
        declared = await _four_at_once(port, path, signed, chunked=False)
        streamed = await _four_at_once(port, path, signed, chunked=True)
        growth = rss() - before
        everything = unsigned + guessed + declared + streamed
        print(
            f"telegram webhook: RSS growth {growth / MiB:.1f} MiB over 16 POSTs of 95 MiB; "
            f"slowest answer {max(a.seconds for a in everything):.2f} s"
        )
        assert {a.status for a in unsigned + guessed} == {403}
        assert {a.status for a in declared + streamed} == {413}
        assert all(a.seconds < 5 and a.sent < HUGE for a in everything)
        assert growth < 20 * MiB
        alice = ChatUser(bot, 1001)  # and Telegram's real updates are still taken
        assert await alice.send("/help")
