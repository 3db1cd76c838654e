"""Several replicas on one PostgreSQL database (issue 16, item 6): real processes started together.

Run only with ``ENCORE_TEST_DATABASE_URL`` (CI sets it): replicas share PostgreSQL, not a SQLite file.
"""

from __future__ import annotations

import asyncio
import os
import sys
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from storage.db import Database
from tests.conftest import PG_URL, _create_pg_database, _drop_pg_database

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.skipif(not PG_URL, reason="needs PostgreSQL: set ENCORE_TEST_DATABASE_URL")


@pytest.fixture
async def empty_database() -> AsyncIterator[str]:
    """A PostgreSQL database with no tables at all, as a new deployment has."""
    name = f"encore_empty_{uuid.uuid4().hex[:10]}"
    await _create_pg_database(PG_URL, name)
    try:
        yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        await _drop_pg_database(PG_URL, name)


async def test_four_replicas_started_together_on_an_empty_database_all_migrate_it(
    empty_database: str, tmp_path: Path
) -> None:
    env = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(ROOT), "ENCORE_DATABASE_URL": empty_database}
    processes = [
        await asyncio.create_subprocess_exec(
            sys.executable,
            *("-m", "bot", "db", "upgrade"),
            cwd=tmp_path,
            env=env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        for _ in range(4)
    ]
    results = await asyncio.wait_for(asyncio.gather(*(p.communicate() for p in processes)), 120)
    failures = [err.decode()[-800:] for p, (_, err) in zip(processes, results, strict=True) if p.returncode]
    assert failures == []
    database = Database(empty_database)
    try:
        async with database.engine.connect() as connection:
            versions = (await connection.execute(text("SELECT version_num FROM alembic_version"))).all()
            users = (await connection.execute(text('SELECT count(*) FROM "user"'))).scalar_one()
    finally:
        await database.dispose()
    assert len(versions) == 1 and users == 0
