"""PostgreSQL drops every connection (a restart, a failover): the next message is still answered.

The pool does not ping a connection before each use (that would cost as many round trips as the chat
event itself); a connection found dead fails on the event's first statement, before anything was read or
written, and the coach handles the event again on a fresh one.
"""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from storage.db import Database
from storage.users import find_identity, get_profile
from tests.conftest import PG_URL
from tests.support import Talker


async def drop_every_connection(database_url: str) -> int:
    """What a server restart does to our pool: every session of the test database ends."""
    admin = create_async_engine(PG_URL, isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as connection:
            ended = await connection.execute(
                text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE datname = :name AND pid <> pg_backend_pid()"
                ),
                {"name": make_url(database_url).database},
            )
            return int(ended.scalar_one())
    finally:
        await admin.dispose()


@pytest.mark.postgres
@pytest.mark.skipif(not PG_URL, reason="needs PostgreSQL: set ENCORE_TEST_DATABASE_URL")
async def test_the_answer_after_the_server_dropped_our_connections_is_kept(
    alice: Talker, database: Database, database_url: str
) -> None:
    await alice.command("start")
    await alice.say("IT infrastructure manager at a bank")
    assert "How many years" in alice.text
    assert await drop_every_connection(database_url) >= 1

    await alice.say("22")

    assert "Something else" in alice.labels, "the next onboarding question, not an apology"
    async with database.session() as session:
        identity = await find_identity(session, "console", "", alice.identity.user_id)
        assert identity is not None
        profile = await get_profile(session, identity.user_id)
        assert profile is not None and profile.years_experience == 22
