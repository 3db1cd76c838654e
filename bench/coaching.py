"""How long the coaching answers take, against a trivial answer in the same process.

Usage::

    python -m bench.coaching            # 20 rounds each; prints milliseconds and ratios to /help

/help is the baseline (one database round trip, no work). /progress with twelve weeks of data reads every
goal and check-in and draws three charts; a skill tap stores one rating; a check-in answer stores hours.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time
from collections.abc import Awaitable, Callable

from bench.sample_user import sample_coach
from coach.charts import picture
from coach.i18n import translator

ROUNDS = int(sys.argv[1]) if len(sys.argv) > 1 else 20


async def _time(action: Callable[[], Awaitable[object]]) -> float:
    timings = []
    for _round in range(ROUNDS):
        started = time.perf_counter()
        await action()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings) * 1000


async def main() -> None:
    async with sample_coach() as (_coach, driver, _clock):
        baseline = await _time(lambda: driver.send(command="help"))

        async def progress() -> None:
            await driver.send(command="progress")

        async def skill_tap() -> None:
            await driver.send(command="skills")
            await driver.press(driver.labels[0])  # "Assess: …" starts a fresh assessment
            await driver.press("3")

        async def checkin_hours() -> None:
            await driver.send(command="study")
            await driver.press("Check in")
            await driver.send(text="1h30")

        await driver.send(command="progress")
        panels_image = driver.last[-1].image
        assert panels_image is not None
        results = {
            "/help (baseline)": baseline,
            "/progress with 12 weeks and 3 charts": await _time(progress),
            "/skills menu + start + one rating (3 events)": await _time(skill_tap),
            "/study menu + check in + hours (3 events)": await _time(checkin_hours),
        }
    from coach.charts import HoursPanel

    hours_only = await _time(lambda: asyncio.to_thread(picture, [HoursPanel([], 6.0)], translator("en")))
    results["one chart panel rendered alone"] = hours_only
    width = max(len(name) for name in results)
    print(f"median of {ROUNDS} rounds")
    for name, ms in results.items():
        print(f"{name:<{width}}  {ms:8.1f} ms  {ms / baseline:6.1f}× baseline")


if __name__ == "__main__":
    asyncio.run(main())
