"""Pacing per platform and what each delivery error becomes, on a clock the test drives."""

from __future__ import annotations

import asyncio

from bot.outbox import Outbox, Pace
from coach.delivery import RateLimited, Recipient, TemporaryFailure
from coach.messages import Reply
from tests.fakes.platform import FakePlatform, FakeTime

HELLO = [Reply("hello")]


def to(chat: str, platform: str = "telegram", workspace: str = "") -> Recipient:
    return Recipient(
        identity_id=1, user_id=1, platform=platform, workspace=workspace, external_id=chat, chat_id=chat
    )


def busiest_second(times: list[float]) -> int:
    return max(sum(1 for t in times if start <= t < start + 1) for start in times)


async def test_telegram_stays_under_30_messages_a_second_overall() -> None:
    time = FakeTime()
    telegram = FakePlatform("telegram", clock=time)
    outbox = Outbox({"telegram": telegram}, clock=time, sleep=time.sleep)
    results = await asyncio.gather(*(outbox.send(to(f"c{n}"), HELLO) for n in range(120)))
    assert {r.result for r in results} == {"sent"}
    times = [d.at for d in telegram.deliveries]
    assert busiest_second(times) <= 30
    assert 120 / times[-1] >= 28  # and does not dawdle either: sustained rate close to the limit


async def test_one_chat_gets_at_most_one_message_a_second_while_others_flow() -> None:
    time = FakeTime()
    telegram = FakePlatform("telegram", clock=time)
    outbox = Outbox({"telegram": telegram}, clock=time, sleep=time.sleep)
    await asyncio.gather(*(outbox.send(to("same"), HELLO) for _ in range(3)), outbox.send(to("other"), HELLO))
    same = [d.at for d in telegram.to("same")]
    assert [b - a >= 1 for a, b in zip(same, same[1:], strict=False)] == [True, True]
    assert telegram.to("other")[0].at < 1  # not stuck behind the busy chat


async def test_slack_paces_each_channel_but_not_the_workspace() -> None:
    time = FakeTime()
    slack = FakePlatform("slack", clock=time)
    outbox = Outbox({"slack": slack}, clock=time, sleep=time.sleep)
    await asyncio.gather(
        *(outbox.send(to(channel, "slack", "T1"), HELLO) for _ in range(3) for channel in ("D1", "D2"))
    )
    for channel in ("D1", "D2"):
        times = [d.at for d in slack.to(channel)]
        assert times == [0.0, 1.0, 2.0]


async def test_a_429_holds_every_send_on_that_platform_for_retry_after() -> None:
    time = FakeTime()
    telegram = FakePlatform("telegram", clock=time)
    telegram.fail_next(RateLimited(retry_after=4))
    outbox = Outbox({"telegram": telegram}, clock=time, sleep=time.sleep)
    results = await asyncio.gather(*(outbox.send(to(f"c{n}"), HELLO) for n in range(5)))
    assert [r.result for r in results] == ["sent"] * 5
    assert len(telegram.deliveries) == 5 and telegram.attempts == 6
    assert min(d.at for d in telegram.deliveries) >= 4


async def test_a_platform_that_keeps_saying_429_gets_the_delivery_back_for_later() -> None:
    time = FakeTime()
    telegram = FakePlatform("telegram", clock=time)
    telegram.fail_next(*(RateLimited(retry_after=30) for _ in range(4)))
    outbox = Outbox({"telegram": telegram}, clock=time, sleep=time.sleep, rate_limit_retries=3)
    delivered = await outbox.send(to("c"), HELLO)
    assert (delivered.result, delivered.retry_after, delivered.reason) == ("retry", 30, "rate_limited")
    assert telegram.deliveries == []


async def test_errors_become_retry_unreachable_or_no_sender() -> None:
    time = FakeTime()
    console = FakePlatform("console", clock=time)
    outbox = Outbox({"console": console}, clock=time, sleep=time.sleep, paces={"console": Pace(None, 0)})
    console.fail_next(TemporaryFailure("503"), RuntimeError("a bug in an adapter"))
    assert (await outbox.send(to("a", "console"), HELLO)).result == "retry"
    assert (await outbox.send(to("a", "console"), HELLO)).result == "retry"
    console.block("b")
    assert (await outbox.send(to("b", "console"), HELLO)).result == "unreachable"
    missing = await outbox.send(to("c", "slack"), HELLO)
    assert (missing.result, missing.reason) == ("retry", "no_sender")
    assert time.slept == []  # the console is not paced


async def test_a_busy_event_loop_never_lets_delayed_sends_out_in_a_burst() -> None:
    time = FakeTime()
    telegram = FakePlatform("telegram", clock=time)
    outbox = Outbox({"telegram": telegram}, clock=time, sleep=time.sleep, paces={"telegram": Pace(10, 1.0)})

    async def render_the_next_batch() -> None:
        await time.sleep(0.25)
        time.now += 2.0  # two seconds of CPU work: nothing else runs, reserved send times pile up

    await asyncio.gather(render_the_next_batch(), *(outbox.send(to(f"c{n}"), HELLO) for n in range(40)))
    times = [d.at for d in telegram.deliveries]
    assert len(times) == 40
    assert busiest_second(times) <= 10
