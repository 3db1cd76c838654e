"""Helpers for the trust tests: a user with a history, a table "added by a later feature", row scans."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import Column, ForeignKey, Integer, String, Table, Text, UniqueConstraint, select
from sqlmodel import SQLModel

from bot.checkins import CheckinRunner
from bot.outbox import Outbox
from storage.db import Database
from tests.fakes.platform import Delivery, FakePlatform, FakeTime
from tests.support import FakeClock, Talker


async def reflect(talker: Talker, answer: str, confidence: str = "4") -> None:
    """Answer one reflection prompt and rate it: the entry is saved."""
    await talker.command("reflect")
    await talker.say(answer)
    await talker.press(confidence)
    assert "Saved" in talker.text or "저장" in talker.text, talker.text


# onboard() picks Tuesday 09:00 in Seoul; the test clock starts on Wednesday 25 November 2026.
FIRST_CHECKIN = datetime.fromisoformat("2026-12-01T00:00:00+00:00")


async def onboard(talker: Talker, role: str = "IT infrastructure manager at a bank") -> None:
    await talker.command("start")
    await talker.say(role)
    await talker.say("22")
    await talker.press(talker.labels[0])  # first role in the catalog
    await talker.press(talker.labels[1])  # 3 years
    await talker.press(talker.labels[1])  # Tuesday
    await talker.press("09:00")
    await talker.say("Seoul")


async def assess_and_study(talker: Talker) -> None:
    """A skill assessment, a second path, a study goal, a check-in, a change of plan and a pause: rows in
    the coaching and plan tables."""
    await talker.command("skills")
    while "Where are you today?" in talker.text:
        await talker.press("2")
    assert "Plan my study" in talker.labels, talker.text
    await talker.command("skills")
    await talker.press("Add a path")
    await talker.press(talker.labels[0])  # a second path to follow
    assert "to your paths" in talker.text, talker.text
    await talker.command("study")
    for answer in ("saa-c03", "2027-03-01", "6"):
        await talker.say(answer)
    await talker.press("Check in now")
    await talker.say("2")
    await talker.press(talker.labels[0])  # the first exam domain
    await talker.press("Done")
    await talker.press("No practice exam")
    assert "Checked in" in talker.text, talker.text
    await talker.command("study")  # a change of plan is kept with its date
    await talker.press("Change a goal")
    await talker.press("Hours per week")
    await talker.press("5 h")
    await talker.command("settings")  # so is a pause, even one ended at once
    await talker.press("Pause check-ins")
    await talker.press("Until I resume")
    await talker.press("Resume check-ins")
    assert "Check-ins are back on." in talker.text, talker.text


async def weekly_checkin_round(
    database: Database, clock: FakeClock, at: datetime, platforms: tuple[str, ...] = ("console",)
) -> list[Delivery]:
    """Move the clock to ``at`` and run one scheduler tick; returns the check-ins fake platforms got."""
    fakes, time = {name: FakePlatform(name) for name in platforms}, FakeTime()
    clock.now = at
    outbox = Outbox(dict(fakes), clock=time, sleep=time.sleep)
    await CheckinRunner(database, outbox, clock=clock).tick()
    return [delivery for fake in fakes.values() for delivery in fake.deliveries]


@asynccontextmanager
async def later_feature_table(database: Database) -> AsyncIterator[Table]:
    """A user-owned table that none of the trust code knows by name, as a later feature would add.

    It has one row per (user, topic), so merging two users must resolve collisions on it.
    """
    table = Table(
        "scratch_note",
        SQLModel.metadata,
        Column("id", Integer, primary_key=True),
        Column("user_id", Integer, ForeignKey("user.id", ondelete="CASCADE"), nullable=False),
        Column("topic", String(32), nullable=False),
        Column("note", Text, nullable=True),
        UniqueConstraint("user_id", "topic", name="uq_scratch_note_topic"),
    )
    async with database.engine.begin() as connection:
        await connection.run_sync(table.create)
    try:
        yield table
    finally:
        SQLModel.metadata.remove(table)
        async with database.engine.begin() as connection:
            await connection.run_sync(table.drop)


async def all_rows(database: Database) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table, raw as stored."""
    found: dict[str, list[dict[str, Any]]] = {}
    async with database.engine.connect() as connection:
        for table in SQLModel.metadata.sorted_tables:
            result = await connection.execute(select(table))
            found[table.name] = [dict(row) for row in result.mappings()]
    return found


def user_columns(table: Table) -> list[str]:
    """Columns that hold a user id: foreign keys to ``user.id`` (and the user table's own id)."""
    names = [c.name for c in table.columns if any(fk.column.table.name == "user" for fk in c.foreign_keys)]
    return names + (["id"] if table.name == "user" else [])


def identity_columns(table: Table) -> list[str]:
    names = [
        c.name for c in table.columns if any(fk.column.table.name == "identity" for fk in c.foreign_keys)
    ]
    return names + (["id"] if table.name == "identity" else [])
