"""What encryption at rest and the metrics observer cost, as ratios against the same work without them.

Usage::

    python bench/bench_trust.py [--rounds 300] [--database-url postgresql+asyncpg://...]

Measured in one process on one database (a fresh SQLite file unless ``--database-url`` names an empty
PostgreSQL database), alternating plain and encrypted rounds so both see the same machine load:

- a reflection: ``/reflect``, the answer (about 1,500 characters), the rating: three events through the coach;
- reading a journal page (three entries) through ``/journal``;
- ``/export`` of a user with 300 journal entries;
- the same reflection with the Prometheus observer attached.

It prints medians and the ratio of each to its plain baseline.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.metrics import Metrics  # noqa: E402
from coach.core import Coach  # noqa: E402
from coach.messages import Identity, Inbound  # noqa: E402
from storage import crypto  # noqa: E402
from storage.db import Database  # noqa: E402
from storage.migrate import upgrade  # noqa: E402

ANSWER = (
    "Twenty-two years in the bank's computer room taught me to keep systems running at night, "
    "to talk calmly with vendors, and to read a budget. "
) * 10


async def _reflect(coach: Coach, who: Identity) -> None:
    await coach.handle(Inbound(who, command="reflect"))
    await coach.handle(Inbound(who, text=ANSWER))
    await coach.handle(Inbound(who, text="4"))


async def _timed(work: Awaitable[object]) -> float:
    """Seconds taken by ``work`` (a coroutine only starts when awaited, so creation is not counted)."""
    started = time.perf_counter()
    await work
    return time.perf_counter() - started


async def run(database: Database, rounds: int) -> None:
    keyring = crypto.Keyring(crypto.generate_key())
    plain_coach, metered_coach = Coach(database), Coach(database, observers=[Metrics().observe])
    samples: dict[str, list[float]] = {name: [] for name in ("plain", "encrypted", "metered")}
    reads: dict[str, list[float]] = {"plain": [], "encrypted": []}
    reader = {
        "plain": Identity("console", user_id="reader-plain", chat_id="r1"),
        "encrypted": Identity("console", user_id="reader-encrypted", chat_id="r2"),
    }
    for mode in ("plain", "encrypted"):
        with crypto.configured(keyring if mode == "encrypted" else None):
            for _ in range(3):
                await _reflect(plain_coach, reader[mode])
    for n in range(rounds):
        # A user per mode: a draft written encrypted cannot be read back once the key is gone.
        who = {mode: Identity("console", user_id=f"{mode}{n}", chat_id=f"{mode}{n}") for mode in samples}
        samples["plain"].append(await _timed(_reflect(plain_coach, who["plain"])))
        with crypto.configured(keyring):
            samples["encrypted"].append(await _timed(_reflect(plain_coach, who["encrypted"])))
        samples["metered"].append(await _timed(_reflect(metered_coach, who["metered"])))
        for mode in ("plain", "encrypted"):
            with crypto.configured(keyring):  # the keyring opens plain rows too; only the rows differ
                reads[mode].append(await _timed(plain_coach.handle(Inbound(reader[mode], command="journal"))))

    exports: dict[str, float] = {}
    for mode in ("plain", "encrypted"):
        writer = Identity("console", user_id=f"exporter-{mode}", chat_id=f"e-{mode}")
        with crypto.configured(keyring if mode == "encrypted" else None):
            for _ in range(300):
                await _reflect(plain_coach, writer)
        with crypto.configured(keyring):
            runs = [await _timed(plain_coach.handle(Inbound(writer, command="export"))) for _ in range(5)]
        exports[mode] = statistics.median(runs)

    def line(name: str, values: list[float], baseline: list[float]) -> str:
        median, base = statistics.median(values), statistics.median(baseline)
        return f"{name:<34} median {median * 1000:7.2f} ms   ratio {median / base:5.2f}"

    print(f"{database.url.split('://')[0]}, {rounds} rounds")
    print(line("reflection (3 events), plain", samples["plain"], samples["plain"]))
    print(line("reflection, encrypted", samples["encrypted"], samples["plain"]))
    print(line("reflection, with metrics observer", samples["metered"], samples["plain"]))
    print(line("journal page, plain rows", reads["plain"], reads["plain"]))
    print(line("journal page, encrypted rows", reads["encrypted"], reads["plain"]))
    base = exports["plain"]
    print(f"{'export of 300 entries, plain':<34} median {base * 1000:7.2f} ms   ratio  1.00")
    print(
        f"{'export of 300 entries, encrypted':<34} median {exports['encrypted'] * 1000:7.2f} ms   "
        f"ratio {exports['encrypted'] / base:5.2f}"
    )


async def main(rounds: int, url: str | None) -> None:
    with tempfile.TemporaryDirectory() as folder:
        database = Database(url or f"sqlite+aiosqlite:///{folder}/bench.db")
        await upgrade(database)
        try:
            await run(database, rounds)
        finally:
            await database.dispose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=300)
    parser.add_argument("--database-url", help="an empty PostgreSQL database (default: a fresh SQLite file)")
    arguments = parser.parse_args()
    asyncio.run(main(arguments.rounds, arguments.database_url))
