"""Everything stored about one user, table by table, as plain JSON-ready values (for ``/export``)."""

from __future__ import annotations

import base64
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import SQLModel

from storage.ownership import owned_tables, user_table

UserData = dict[str, list[dict[str, Any]]]


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    return value


async def collect_user_data(session: AsyncSession, user_id: int) -> UserData:
    """``{table name: [row, …]}`` for the user row and every table that belongs to them.

    Rows come through the column types, so encrypted text is returned decrypted. Tables marked
    ``info={"exported": False}`` (secrets such as link-code hashes) are left out.
    """
    await session.flush()
    users = user_table()
    data: UserData = {}
    result = await session.execute(select(users).where(users.c.id == user_id))
    data[users.name] = [{k: _plain(v) for k, v in row.items()} for row in result.mappings()]
    for table, owner in owned_tables():
        if table.info.get("exported", True) is False:
            continue
        order = list(table.primary_key.columns)
        result = await session.execute(select(table).where(owner == user_id).order_by(*order))
        data[table.name] = [{k: _plain(v) for k, v in row.items()} for row in result.mappings()]
    return data


def table_title(name: str) -> str | None:
    """The untranslated title a table gave itself with ``info={"title": ...}``, if any."""
    table = SQLModel.metadata.tables.get(name)
    title = table.info.get("title") if table is not None else None
    return str(title) if title else None
