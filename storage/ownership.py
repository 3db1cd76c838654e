"""Which tables hold rows about a user, found from the schema itself.

Every user-owned table has a foreign key to ``user.id`` (see the storage rules), so export, erasure and
account merging follow tables that other features add later without being told about them.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, Table, UniqueConstraint
from sqlmodel import SQLModel

import storage.models  # noqa: F401  (registers every table)


def user_table() -> Table:
    return SQLModel.metadata.tables["user"]


def owner_column(table: Table) -> Column[Any] | None:
    """The column of ``table`` that points at ``user.id``, if any."""
    for column in table.columns:
        if any(fk.column.table.name == "user" and fk.column.name == "id" for fk in column.foreign_keys):
            return column
    return None


def owned_tables() -> list[tuple[Table, Column[Any]]]:
    """(table, owner column) for every table with rows belonging to a user, parents before children."""
    found = []
    for table in SQLModel.metadata.sorted_tables:
        column = owner_column(table)
        if column is not None:
            found.append((table, column))
    return found


def unique_keys(table: Table, column: Column[Any]) -> list[tuple[str, ...]]:
    """The column sets that must be unique in ``table`` and include the owner ``column``.

    Two users' rows that agree on such a key cannot both belong to one user: merging must pick one.
    """
    keys: list[tuple[str, ...]] = []
    primary = tuple(c.name for c in table.primary_key.columns)
    if column.name in primary:
        keys.append(primary)
    for constraint in table.constraints:
        if isinstance(constraint, UniqueConstraint):
            names = tuple(c.name for c in constraint.columns)
            if column.name in names:
                keys.append(names)
    for index in table.indexes:
        names = tuple(c.name for c in index.columns)
        if index.unique and column.name in names:
            keys.append(names)
    if column.unique:
        keys.append((column.name,))
    return list(dict.fromkeys(keys))
