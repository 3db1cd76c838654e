"""Check-in throughput, pacing and the due-slot query, on databases of their own.

Usage::

    /work/main/.venv/bin/python bench/bench_nudges.py                 # everything (about 2-3 minutes)
    /work/main/.venv/bin/python bench/bench_nudges.py --only throughput --users 100000
    /work/main/.venv/bin/python bench/bench_nudges.py --only paced --only query

PostgreSQL comes from ``ENCORE_BENCH_DATABASE_URL`` (default ``postgresql+asyncpg://postgres@127.0.0.1:5432/
postgres``, used only to create and drop ``encore_bench_*`` databases); SQLite runs in a temporary folder.

1. throughput: N users due in the same minute, one tick through a platform with no rate limit. Reports
   check-ins per second (claim + render + send + record) and the process's peak RSS.
2. paced: 3,000 users against a fake platform that answers 429 above 300 messages/s (Telegram's 30/s,
   scaled up tenfold), paced as Telegram is. Reports the sustained rate, its ratio to the limit and 429s.
3. query: the due-slot query over 1,000,000 users on PostgreSQL, with its ``EXPLAIN ANALYZE``.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Iterator, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg
from sqlalchemy import insert, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.bench_telegram import migrated_database  # noqa: E402
from bot.checkins import BATCH_SIZE, CheckinRunner  # noqa: E402
from bot.outbox import Outbox, Pace  # noqa: E402
from coach.delivery import RateLimited, Recipient  # noqa: E402
from coach.messages import Reply  # noqa: E402
from storage.db import Database  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from storage.models import Identity, User  # noqa: E402
from storage.nudges import due_checkins_query  # noqa: E402

DUE_AT = datetime(2027, 3, 2, 0, 0, tzinfo=UTC)  # a Tuesday, 09:00 in Seoul
ADMIN_URL = os.environ.get(
    "ENCORE_BENCH_DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
)
USER_COLUMNS = (
    "created_at",
    "last_seen_at",
    "language",
    "timezone",
    "checkin_weekday",
    "checkin_hour",
    "checkin_minute",
    "checkins_paused",
    "next_checkin_at",
    "followup_hours",
)


class UnlimitedPlatform:
    """Accepts everything at once and counts it."""

    def __init__(self, platform: str) -> None:
        self.platform = platform
        self.sent = 0

    async def deliver(self, recipient: Recipient, replies: Sequence[Reply]) -> None:
        self.sent += len(replies)


class RateLimitedPlatform:
    """Answers 429 when more than ``limit`` messages arrived in the last second, like Telegram does."""

    def __init__(self, platform: str, limit: int, latency: float = 0.02) -> None:
        self.platform = platform
        self.limit = limit
        self.latency = latency
        self.arrivals: collections.deque[float] = collections.deque()
        self.sent = 0
        self.refused = 0
        self.first = self.last = 0.0

    async def deliver(self, recipient: Recipient, replies: Sequence[Reply]) -> None:
        now = time.monotonic()
        while self.arrivals and self.arrivals[0] <= now - 1.0:
            self.arrivals.popleft()
        if len(self.arrivals) + len(replies) > self.limit:
            self.refused += 1
            await asyncio.sleep(self.latency)
            raise RateLimited(retry_after=1.0)
        self.arrivals.extend([now] * len(replies))
        self.first = self.first or now
        self.last = now
        self.sent += len(replies)
        await asyncio.sleep(self.latency * random.uniform(0.5, 1.5))  # the HTTP round trip


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def user_rows(
    count: int, due_at: datetime, *, spread: timedelta = timedelta(0)
) -> Iterator[tuple[object, ...]]:
    joined = due_at - timedelta(days=40)
    step = spread / count if count else timedelta(0)
    for n in range(count):
        yield (joined, joined, "en", "Asia/Seoul", due_at.weekday(), 9, 0, False, due_at + step * n, 24)


def asyncpg_dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@asynccontextmanager
async def postgres_database() -> AsyncIterator[str]:
    """A fresh, migrated ``encore_bench_*`` database, dropped afterwards."""
    async with migrated_database(ADMIN_URL) as url:
        yield url


@asynccontextmanager
async def sqlite_database() -> AsyncIterator[str]:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{folder}/bench.db"
        database = Database(url)
        await upgrade(database)
        await database.dispose()
        yield url


async def load_users(
    url: str, count: int, due_at: datetime, platform: str, *, spread: timedelta = timedelta(0)
) -> None:
    """``count`` users due at ``due_at`` (spread over ``spread``), each with one identity on ``platform``."""
    if url.startswith("postgresql"):
        connection = await asyncpg.connect(asyncpg_dsn(url))
        try:
            await connection.copy_records_to_table(
                "user", records=user_rows(count, due_at, spread=spread), columns=USER_COLUMNS
            )
            if platform:
                await connection.execute(
                    """INSERT INTO identity (user_id, platform, workspace, external_id, chat_id, unreachable,
                                             created_at, last_seen_at)
                       SELECT id, $1, '', 'u' || id, 'c' || id, false, created_at, last_seen_at FROM "user" """,
                    platform,
                )
            await connection.execute('ANALYZE "user"; ANALYZE identity')
        finally:
            await connection.close()
        return
    database = Database(url)
    async with database.session() as session:
        rows = user_rows(count, due_at, spread=spread)
        while chunk := [
            dict(zip(USER_COLUMNS, row, strict=True)) for _, row in zip(range(5000), rows, strict=False)
        ]:
            await session.execute(insert(User), chunk)
        await session.execute(
            text(
                """INSERT INTO identity (user_id, platform, workspace, external_id, chat_id, unreachable,
                                         created_at, last_seen_at)
                   SELECT id, :platform, '', 'u' || id, 'c' || id, 0, created_at, last_seen_at FROM "user" """
            ),
            {"platform": platform},
        )
    await database.dispose()
    assert Identity  # the table the raw INSERT fills


async def throughput(url: str, users: int, label: str) -> None:
    await load_users(url, users, DUE_AT, "console")
    database = Database(url)
    platform = UnlimitedPlatform("console")
    runner = CheckinRunner(
        database, Outbox({"console": platform}), clock=lambda: DUE_AT + timedelta(seconds=5)
    )
    started = time.perf_counter()
    report = await runner.tick()
    elapsed = time.perf_counter() - started
    await database.dispose()
    assert platform.sent == users == report.sent, (platform.sent, report.summary())
    print(
        f"throughput [{label}] {users:,} users due in one minute: {elapsed:.1f} s, "
        f"{users / elapsed:,.0f} check-ins/s (claim + render + send + record), peak RSS {peak_rss_mb():.0f} MB"
    )


async def paced(url: str, users: int, limit: int) -> None:
    await load_users(url, users, DUE_AT, "telegram")
    database = Database(url)
    platform = RateLimitedPlatform("telegram", limit)
    # Telegram's pace (29 of its 30 messages/s), scaled like the limit.
    pace = Pace(per_second=limit * 29 / 30, chat_interval=1.0)
    outbox = Outbox({"telegram": platform}, paces={"telegram": pace}, max_in_flight=64)
    runner = CheckinRunner(database, outbox, clock=lambda: DUE_AT + timedelta(seconds=5))
    report = await runner.tick()
    await database.dispose()
    rate = (platform.sent - 1) / (platform.last - platform.first)
    print(
        f"paced [PostgreSQL] {users:,} users, fake platform limit {limit}/s: sent {platform.sent:,} "
        f"(tick: {report.summary()}), sustained {rate:.1f}/s = {rate / limit:.3f} of the limit "
        f"(Telegram equivalent {30 * rate / limit:.1f}/s), 429s: {platform.refused}"
    )


async def due_query(url: str, users: int) -> None:
    # A week of check-ins spread evenly: about users / 10,080 fall due in any one minute.
    await load_users(url, users, DUE_AT, "", spread=timedelta(weeks=1))
    engine = create_async_engine(url)
    now = DUE_AT + timedelta(days=3, hours=7, seconds=5)
    statement = due_checkins_query(now, BATCH_SIZE).with_for_update(skip_locked=True)  # as a tick runs it
    compiled = statement.compile(engine.sync_engine, compile_kwargs={"literal_binds": True})
    timings = []
    async with engine.connect() as connection:
        for _ in range(30):
            started = time.perf_counter()
            rows = (await connection.execute(statement)).all()
            timings.append((time.perf_counter() - started) * 1000)
            await connection.rollback()
        plan = (await connection.execute(text(f"EXPLAIN (ANALYZE, BUFFERS) {compiled}"))).scalars().all()
        await connection.rollback()
    await engine.dispose()
    print(
        f"query [PostgreSQL] due-slot query over {users:,} users (one batch: {len(rows)} rows, FOR UPDATE SKIP LOCKED): "
        f"median {statistics.median(timings):.2f} ms, max {max(timings):.2f} ms over {len(timings)} runs"
    )
    print("  " + "\n  ".join(plan))


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--only", action="append", choices=("throughput", "paced", "query"))
    parser.add_argument("--users", type=int, default=100_000, help="users for the throughput run")
    parser.add_argument("--skip-sqlite", action="store_true")
    args = parser.parse_args()
    wanted = set(args.only or ("throughput", "paced", "query"))
    if "throughput" in wanted:
        async with postgres_database() as url:
            await throughput(url, args.users, "PostgreSQL")
        if not args.skip_sqlite:
            async with sqlite_database() as url:
                await throughput(url, args.users, "SQLite")
    if "paced" in wanted:
        async with postgres_database() as url:
            await paced(url, 3_000, limit=300)
    if "query" in wanted:
        async with postgres_database() as url:
            await due_query(url, 1_000_000)


if __name__ == "__main__":
    asyncio.run(main())
