"""Bring a database to the newest schema with Alembic (``encore db upgrade``, and at every start).

Replicas started together on one PostgreSQL database each upgrade it at start: the first takes an
advisory lock for its transaction and migrates; the others wait for that lock, then find the schema
current and do nothing. (SQLite lets one writer in at a time already.)
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import text
from sqlalchemy.engine import Connection

from storage.db import Database

_HERE = Path(__file__).parent
MIGRATION_LOCK = 7_160_011  # pg_advisory_xact_lock key: one migration at a time per database


def alembic_config(url: str = "") -> Config:
    config = Config(str(_HERE / "alembic.ini"))
    config.set_main_option("script_location", str(_HERE / "migrations"))
    if url:
        config.set_main_option("sqlalchemy.url", url)
    return config


def _upgrade(connection: Connection, revision: str) -> None:
    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, revision)


async def upgrade(database: Database, revision: str = "head") -> None:
    """Apply every pending migration in one transaction."""
    async with database.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # Held until this transaction ends; Alembic reads the schema version only after taking it.
            await connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        await connection.run_sync(_upgrade, revision)
