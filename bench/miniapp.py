"""How fast the dashboard app's API answers, against ``/healthz`` on the same server in the same run.

Usage::

    python -m bench.miniapp [--requests 1000] [--entries 1000] [--plain]

One process, a fresh SQLite file, the HTTP server ``encore run`` starts (``/healthz`` and ``/app/`` on one
port, over real HTTP on loopback). The person has lived the sample user's twelve weeks (a study goal with
eleven check-ins, two skill assessments) and has ``--entries`` journal entries, encrypted at rest unless
``--plain``. Requests alternate between ``GET /healthz`` (one ``SELECT 1``) and ``GET /app/api/me`` with
fresh init data (the signature checked each time), one at a time; the first 50 of each are warm-up.
It prints p50/p99 of both and the ratio; the target is ``/app/api/me`` p99 < 50 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from datetime import timedelta

import aiohttp

from bench.sample_user import sample_coach
from coach.messages import Identity
from storage import crypto, journal, users
from storage.models import JournalEntry
from tests.webapp_support import bearer, running_webapp, signed_init_data

TELEGRAM_ID = 700100
WARM_UP = 50


def _ms(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(int(len(ordered) * share), len(ordered) - 1)] * 1000


async def run(requests: int, entries: int, *, plain: bool) -> None:
    keyring = None if plain else crypto.Keyring(crypto.generate_key())
    with crypto.configured(keyring):
        who = Identity("telegram", str(TELEGRAM_ID), str(TELEGRAM_ID), language="en")
        async with sample_coach(who) as (coach, _driver, clock):
            async with coach.database.session() as session:
                identity = await users.find_identity(session, "telegram", "", str(TELEGRAM_ID))
                assert identity is not None
                for number in range(entries):
                    at = clock.now - timedelta(hours=entries - number)
                    await journal.add_entry(
                        session,
                        JournalEntry(
                            user_id=identity.user_id,
                            prompt_key="hardest_to_replace",
                            theme="self_assessment",
                            prompt_text="If your company had to replace you tomorrow, which two things you do "
                            "would be hardest to replace?",
                            answer=f"Entry {number}: "
                            + "what I learned this week about running systems. " * 6,
                            confidence=3,
                            created_at=at,
                        ),
                    )
            async with running_webapp(coach) as server, aiohttp.ClientSession() as http:
                base = f"http://127.0.0.1:{server.port}"
                health: list[float] = []
                me: list[float] = []
                size = 0
                for index in range(requests + WARM_UP):
                    started = time.perf_counter()
                    async with http.get(base + "/healthz") as response:
                        await response.read()
                        assert response.status == 200
                    healthz_took = time.perf_counter() - started
                    headers = bearer(signed_init_data(TELEGRAM_ID, clock.now))
                    started = time.perf_counter()
                    async with http.get(base + "/app/api/me", headers=headers) as response:
                        body = await response.read()
                        assert response.status == 200
                    me_took = time.perf_counter() - started
                    if index >= WARM_UP:
                        health.append(healthz_took)
                        me.append(me_took)
                        size = len(body)
    print(
        f"{entries} journal entries ({'plain' if plain else 'encrypted'}), {requests} requests each, "
        f"/app/api/me answer {size / 1024:.1f} KB"
    )
    print(f"/healthz       p50 {_ms(health, 0.5):6.2f} ms  p99 {_ms(health, 0.99):6.2f} ms")
    print(f"/app/api/me    p50 {_ms(me, 0.5):6.2f} ms  p99 {_ms(me, 0.99):6.2f} ms")
    print(
        f"ratio          p50 {statistics.median(me) / statistics.median(health):5.1f}x  "
        f"p99 {_ms(me, 0.99) / _ms(health, 0.99):5.1f}x   (target: /app/api/me p99 < 50 ms)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--entries", type=int, default=1000)
    parser.add_argument("--plain", action="store_true", help="journal text not encrypted at rest")
    options = parser.parse_args()
    asyncio.run(run(options.requests, options.entries, plain=options.plain))


if __name__ == "__main__":
    main()
