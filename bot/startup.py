"""What every entry point needs before it serves anyone: the database, migrated and checked, and the
error a service raises when it cannot start for a reason the operator can fix."""

from __future__ import annotations

from sqlalchemy.exc import SQLAlchemyError

from bot.settings import Settings
from storage import crypto
from storage.db import Database, DatabaseError
from storage.migrate import upgrade


class StartError(RuntimeError):
    """A service could not start for a reason the operator can fix; the message says what to check."""


async def open_database(settings: Settings, *, check_encryption: bool = True) -> Database:
    """The database, migrated to the newest schema (every start applies pending migrations).

    Encryption is configured from the settings, and encrypted rows that the configured keys cannot open
    stop the start (:class:`~storage.crypto.EncryptionError`) rather than be shown as garbage.
    """
    database = Database(settings.encore_database_url)
    try:
        await upgrade(database)
    except (SQLAlchemyError, OSError) as error:
        await database.dispose()
        raise DatabaseError(f"cannot prepare the database ({type(error).__name__}): {error}") from error
    try:
        crypto.configure(settings.keyring())
        if check_encryption:
            await crypto.check_readable(database.engine)
    except BaseException:
        await database.dispose()
        raise
    return database
