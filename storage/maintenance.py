"""Housekeeping an operator runs by hand: ``encore db vacuum``.

Deleting a row (``/delete``, an expired code) does not remove its bytes from PostgreSQL's table files: the
row is only marked dead until ``VACUUM`` makes its space reusable, and only ``VACUUM FULL`` rewrites the
tables without it. SQLite zeroes deleted rows itself (``secure_delete``); its ``VACUUM`` also rebuilds the
file compactly.
"""

from __future__ import annotations

from sqlmodel import SQLModel

from storage.db import Database
from storage.ownership import owned_tables, user_table


def user_tables() -> list[str]:
    """The user table and every table holding rows about a user."""
    return [user_table().name, *(table.name for table, _ in owned_tables())]


async def vacuum(database: Database, *, full: bool = False) -> list[str]:
    """VACUUM the user tables (PostgreSQL; ``full`` rewrites them, which locks each while it runs) or the
    whole file (SQLite). Returns what was vacuumed."""
    if database.is_sqlite:
        async with database.engine.connect() as connection:
            await connection.exec_driver_sql("VACUUM")
        await database.checkpoint()
        return sorted(SQLModel.metadata.tables)
    names = user_tables()
    how = "(FULL, ANALYZE)" if full else "(ANALYZE)"
    async with database.engine.connect() as connection:
        autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
        for name in names:  # VACUUM cannot run inside a transaction, hence AUTOCOMMIT
            await autocommit.exec_driver_sql(f'VACUUM {how} "{name}"')
    return names
