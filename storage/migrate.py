"""Bring a database to the newest schema with Alembic (``encore db upgrade``, and at every start)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Connection

from storage.db import Database

_HERE = Path(__file__).parent


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
        await connection.run_sync(_upgrade, revision)
