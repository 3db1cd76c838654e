"""Storage: migrations match the models, SQLite runs safely, identities are unique per workspace."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

from storage import users
from storage.db import Database

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


async def test_migrations_create_exactly_the_tables_the_models_describe(database: Database) -> None:
    def diff(connection):  # type: ignore[no-untyped-def]
        context = MigrationContext.configure(connection, opts={"compare_type": False})
        return compare_metadata(context, SQLModel.metadata)

    async with database.engine.connect() as connection:
        differences = await connection.run_sync(diff)
    assert differences == []


async def test_sqlite_uses_wal_and_enforces_foreign_keys(database: Database) -> None:
    if not database.is_sqlite:
        return
    async with database.engine.connect() as connection:
        journal_mode = (await connection.exec_driver_sql("PRAGMA journal_mode")).scalar()
        foreign_keys = (await connection.exec_driver_sql("PRAGMA foreign_keys")).scalar()
    assert (journal_mode, foreign_keys) == ("wal", 1)


async def _resolve(database: Database, workspace: str, external_id: str) -> int:
    async with database.session() as session:
        user, _identity, _new = await users.resolve_identity(
            session,
            platform="slack",
            workspace=workspace,
            external_id=external_id,
            chat_id="D1",
            language_code="en",
            display_name=None,
            timezone=None,
            now=NOW,
        )
        assert user.id is not None
        return user.id


async def test_the_same_slack_user_id_in_two_workspaces_is_two_people(database: Database) -> None:
    first = await _resolve(database, "T1", "U123")
    second = await _resolve(database, "T2", "U123")
    again = await _resolve(database, "T1", "U123")
    assert first != second and first == again


async def test_a_new_user_seen_by_two_events_at_once_becomes_one_user(database: Database) -> None:
    ids = await asyncio.gather(*(_resolve(database, "T9", "U777") for _ in range(5)))
    assert len(set(ids)) == 1
