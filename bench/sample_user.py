"""A realistic sample user built through the real flows: twelve weeks of a bank IT manager preparing for a
cloud architect role (two skill assessments, an AWS goal, weekly check-ins and practice exams).

Used by ``bench.make_charts`` (the README pictures) and ``bench.coaching`` (timings).
"""

from __future__ import annotations

import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

from coach.content import get_content
from coach.core import Coach
from coach.messages import Identity, Inbound, Reply
from storage.db import Database
from storage.migrate import upgrade

START = datetime(2026, 8, 31, 12, 0, tzinfo=UTC)  # a Monday evening in Seoul
# (hours, domain indexes studied, practice score, weakest domain index) for each weekly check-in
WEEKS: list[tuple[float, tuple[int, ...], float | None, int | None]] = [
    (3, (0,), None, None),
    (5, (0, 1), None, None),
    (6, (1,), None, None),
    (2, (0,), None, None),
    (0, (), None, None),
    (7, (2, 1), 58, 3),
    (6, (3,), None, None),
    (8, (3, 2), 64, 2),
    (5.5, (0, 2), None, None),
    (6, (1, 2), 71, 3),
    (4, (3,), 76, 3),
]
FIRST_RATINGS = {  # a seasoned infrastructure manager new to the cloud
    "cloud_fundamentals": 2,
    "cloud_networking": 3,
    "identity_security": 3,
    "resilience": 2,
    "cost_optimization": 1,
    "infrastructure_as_code": 1,
    "containers": 1,
    "migration": 2,
    "architecture_communication": 3,
    "ai_data_services": 1,
}
GAINS = {"cloud_fundamentals": 4, "resilience": 3, "cost_optimization": 2, "infrastructure_as_code": 2}


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


class Driver:
    """Talks to the coach as one user and presses buttons by their label."""

    def __init__(self, coach: Coach, identity: Identity) -> None:
        self.coach, self.identity = coach, identity
        self.last: list[Reply] = []

    async def send(self, **event: str) -> list[Reply]:
        self.last = await self.coach.handle(Inbound(self.identity, **event))  # type: ignore[arg-type]
        return self.last

    async def press(self, label: str) -> list[Reply]:
        for reply in reversed(self.last):
            for choice in reply.choices:
                if choice.label == label:
                    return await self.send(action=choice.action)
        raise LookupError(f"no button {label!r} in {[c.label for r in self.last for c in r.choices]}")

    @property
    def labels(self) -> list[str]:
        return [choice.label for reply in self.last for choice in reply.choices]

    def image(self) -> bytes:
        return next(reply.image.png for reply in self.last if reply.image is not None)


async def _rate(driver: Driver, ratings: dict[str, int]) -> None:
    role = get_content().roles["cloud_architect"]
    for skill in role.skills:
        await driver.press(str(ratings.get(skill.key, skill.target)))


@asynccontextmanager
async def sample_coach(identity: Identity | None = None) -> AsyncIterator[tuple[Coach, Driver, Clock]]:
    """A coach on a throw-away SQLite database, with the sample user's twelve weeks already lived
    (as ``identity``, by default a console user)."""
    with tempfile.TemporaryDirectory() as folder:
        database = Database(f"sqlite+aiosqlite:///{Path(folder) / 'sample.db'}")
        try:
            await upgrade(database)
            clock = Clock(START)
            coach = Coach(database, clock=clock)
            driver = Driver(
                coach,
                identity or Identity("console", "jihoon", "jihoon", language="en", display_name="Jihoon"),
            )
            await _live_twelve_weeks(driver, clock)
            yield coach, driver, clock
        finally:
            await database.dispose()


async def _live_twelve_weeks(driver: Driver, clock: Clock) -> None:
    content = get_content()
    saa = content.certifications["aws_saa_c03"]
    await driver.send(command="start")
    for text in ("IT infrastructure manager at a bank", "22"):
        await driver.send(text=text)
    await driver.press(content.roles["cloud_architect"].name.en)
    await driver.press("3 years")
    await driver.press("Tuesday")
    await driver.press("09:00")
    await driver.send(text="Seoul")
    await driver.send(command="skills")
    await _rate(driver, FIRST_RATINGS)
    await driver.send(command="study")
    await driver.send(text="SAA-C03")
    await driver.send(text="2026-12-18")
    await driver.send(text="6")
    await driver.press("Done")
    for hours, domains, score, weakest in WEEKS:
        clock.now += timedelta(days=7)
        await driver.send(command="study")
        await driver.press("Check in")
        await driver.send(text=f"{hours:g}")
        if hours:
            for index in domains:
                await driver.press("☐ " + saa.domains[index].name.en)
            await driver.press("Done")
        if score is None:
            await driver.press("No practice exam")
        else:
            await driver.send(text=f"{score:g}")
            await driver.press(saa.domains[weakest or 0].name.en)
    clock.now += timedelta(days=2)
    await driver.send(command="skills")
    await driver.press(f"Assess: {content.roles['cloud_architect'].name.en}")
    await _rate(driver, {key: GAINS.get(key, level) for key, level in FIRST_RATINGS.items()})
