"""How much the Slack adapter adds to the coach, and how soon Slack gets its acknowledgement.

Usage::

    python bench/bench_slack.py [--rounds 200]

Three measurements in one process, on a fresh SQLite database and the fake Web API on loopback:

- baseline: ``coach.handle`` for ``/help`` plus building the dashboard, with no Slack at all;
- ack: a signed ``/coach help`` POSTed to the running app until its HTTP 200 (Slack's 3-second limit);
- round trip: the same POST until the reply and the App Home refresh have reached the fake Web API.

It prints medians and the round trip as a ratio of the baseline.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from coach.core import Coach  # noqa: E402
from coach.messages import Identity, Inbound  # noqa: E402
from storage.db import Database  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from tests.fakes.slack_requests import running_slack  # noqa: E402


def _ms(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[int(len(ordered) * 0.95) - 1]
    return f"median {statistics.median(ordered) * 1000:.2f} ms, p95 {p95 * 1000:.2f} ms"


async def main(rounds: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        database = Database(f"sqlite+aiosqlite:///{folder}/bench.db")
        await upgrade(database)
        coach = Coach(database)

        who = Identity("slack", user_id="UBASE", chat_id="DUBASE", workspace="T1", language="en-US")
        baseline = []
        for _ in range(rounds):
            started = time.perf_counter()
            await coach.handle(Inbound(who, command="help"))
            await coach.dashboard(who)
            baseline.append(time.perf_counter() - started)

        acks, trips = [], []
        async with running_slack(coach) as slack:
            await slack.done(await slack.command("U1", "help"))  # warm up: auth.test, DM, users.info
            for _ in range(rounds):
                started = time.perf_counter()
                sent = await slack.command("U1", "help")
                acks.append(time.perf_counter() - started)
                await slack.done(sent)
                trips.append(time.perf_counter() - started)
        await database.dispose()

    print(f"rounds: {rounds}")
    print(f"baseline coach.handle + dashboard: {_ms(baseline)}")
    print(f"slack ack (HTTP 200 to Slack):     {_ms(acks)}")
    print(f"slack round trip (reply + home):   {_ms(trips)}")
    print(f"round trip / baseline: {statistics.median(trips) / statistics.median(baseline):.1f}x")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200)
    asyncio.run(main(parser.parse_args().rounds))
