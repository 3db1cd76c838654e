"""Erasing a user: one delete of the user row, and the database's ``ON DELETE CASCADE`` does the rest.

On SQLite, deleted rows are overwritten with zeros (``secure_delete``) and the WAL is emptied after the
commit, so nothing of the user's words stays in any database file. PostgreSQL keeps deleted rows in its
table files until ``VACUUM`` reuses the space (``encore db vacuum``; see deploy/README.md).
"""

from __future__ import annotations

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import ERASED
from storage.ownership import user_table


async def erase_user(session: AsyncSession, user_id: int) -> None:
    """Delete the user and every row that belongs to them (identities, journal, everything).

    Pending changes are flushed first, then the objects of this session are forgotten: they describe rows
    that no longer exist, and must not be written back when the event's transaction commits.
    """
    await session.flush()
    users = user_table()
    await session.execute(delete(users).where(users.c.id == user_id))
    session.expunge_all()
    session.info[ERASED] = True  # Database.session empties SQLite's WAL once this is committed
