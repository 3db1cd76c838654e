"""Shared fixtures: a migrated database per test (SQLite by default, PostgreSQL when
``ENCORE_TEST_DATABASE_URL`` is set) and a coach with an injected clock."""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine
from sqlmodel import SQLModel

from coach.core import Coach
from storage.db import Database
from storage.migrate import upgrade
from tests.ai_support import Coaches
from tests.fakes.openai_api import FakeOpenAI
from tests.support import FakeClock, Talker, person

PG_URL = os.environ.get("ENCORE_TEST_DATABASE_URL", "")


async def _create_pg_database(admin_url: str, name: str) -> None:
    engine = create_async_engine(admin_url, isolation_level="AUTOCOMMIT")
    async with engine.connect() as connection:
        await connection.execute(text(f'CREATE DATABASE "{name}"'))
    await engine.dispose()


async def _drop_pg_database(admin_url: str, name: str) -> None:
    engine = create_async_engine(admin_url, isolation_level="AUTOCOMMIT")
    async with engine.connect() as connection:
        await connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    await engine.dispose()


@pytest.fixture(scope="session")
def database_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated database for the whole session: a SQLite file to copy, or a private PostgreSQL database.

    On PostgreSQL a fresh database (named for this run) is created on the server given by
    ``ENCORE_TEST_DATABASE_URL``, so parallel runs never share tables; if the server cannot be reached the
    tests fail rather than skip.
    """
    if PG_URL:
        name = f"encore_test_{uuid.uuid4().hex[:10]}"
        url = make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
        asyncio.run(_create_pg_database(PG_URL, name))

        async def migrate() -> None:
            database = Database(url)
            await upgrade(database)
            await database.dispose()

        asyncio.run(migrate())
        yield url
        asyncio.run(_drop_pg_database(PG_URL, name))
        return
    path = tmp_path_factory.mktemp("template") / "template.db"
    url = f"sqlite+aiosqlite:///{path}"

    async def migrate_sqlite() -> None:
        database = Database(url)
        await upgrade(database)
        async with database.engine.connect() as connection:
            await connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        await database.dispose()

    asyncio.run(migrate_sqlite())
    yield str(path)


@pytest.fixture
def database_url(database_template: str, tmp_path: Path) -> str:
    """A clean, migrated database for one test."""
    if PG_URL:

        async def truncate() -> None:
            engine = create_async_engine(database_template)
            tables = ", ".join(f'"{t.name}"' for t in SQLModel.metadata.sorted_tables)
            async with engine.begin() as connection:
                await connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
            await engine.dispose()

        asyncio.run(truncate())
        return database_template
    path = tmp_path / "encore.db"
    shutil.copyfile(database_template, path)
    return f"sqlite+aiosqlite:///{path}"


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[Database]:
    db = Database(database_url)
    yield db
    await db.dispose()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def coach(database: Database, clock: FakeClock) -> Coach:
    return Coach(database, clock=clock)


@pytest.fixture
def alice(coach: Coach) -> Talker:
    return Talker(coach, person("alice", language="en"))


@pytest.fixture
def minsu(coach: Coach) -> Talker:
    return Talker(coach, person("minsu", language="ko-KR"))


@pytest.fixture
def restore_logging() -> Iterator[None]:
    """Put the root logger's handlers and level back after the test: ``encore`` commands (``main``)
    install their own log handler on it."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:], root.level = handlers, level


@pytest.fixture
async def model() -> AsyncIterator[FakeOpenAI]:
    """A fake OpenAI-compatible server on loopback (see :mod:`tests.fakes.openai_api`)."""
    async with FakeOpenAI() as fake:
        yield fake


@pytest.fixture
async def ai_coach(database: Database, model: FakeOpenAI) -> AsyncIterator[Coaches]:
    """Makes coaches whose AI model is ``model``, through the real ``openai`` client."""
    coaches = Coaches(database, model)
    yield coaches
    await coaches.close()
