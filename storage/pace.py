"""One sending pace per bot token, shared by every replica on one PostgreSQL database.

A row per token holds when its recent messages went (the last second of them) and a hold set by a 429.
A sender locks the row, and goes only if fewer than the allowed number went within the last second and
no hold is on; otherwise it learns how long to wait. The check is made right before each send, with the
database's clock, so a replica whose sends were delayed (a busy host, a pause) never lets them out in a
burst, and hosts whose clocks differ still keep one pace.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

_ROW = text(
    """
    INSERT INTO sendpace (name, next_at, recent) VALUES (:name, clock_timestamp(), '')
    ON CONFLICT (name) DO NOTHING
    """
)
_LOCK = text(
    "SELECT EXTRACT(EPOCH FROM next_at), recent, EXTRACT(EPOCH FROM clock_timestamp()) "
    "FROM sendpace WHERE name = :name FOR UPDATE"
)
_TAKE = text("UPDATE sendpace SET recent = :recent WHERE name = :name")
_HOLD = text(
    "UPDATE sendpace SET next_at = GREATEST(next_at, clock_timestamp() + make_interval(secs => :seconds)) "
    "WHERE name = :name"
)


async def take_turn(session: AsyncSession, name: str, per_second: int) -> float:
    """Take a turn on ``name``'s pace if one is free now (returns 0.0), else how many seconds to wait.

    ``per_second``: how many messages may go within any one second.
    """
    await session.execute(text("SET LOCAL synchronous_commit TO OFF"))  # a pace, not a record
    await session.execute(_ROW, {"name": name})
    row = (await session.execute(_LOCK, {"name": name})).one()
    held_until, now = float(row[0]), float(row[2])
    recent = sorted(at for at in _instants(row[1]) if at > now - 1.0)
    if held_until > now:
        return held_until - now
    if len(recent) >= per_second:
        return max(recent[-per_second] + 1.0 - now, 0.001)
    await session.execute(_TAKE, {"name": name, "recent": ",".join(f"{at:.6f}" for at in [*recent, now])})
    return 0.0


def _instants(stored: str) -> list[float]:
    return [float(part) for part in stored.split(",") if part]


async def hold(session: AsyncSession, name: str, seconds: float) -> None:
    """The platform said to wait ``seconds``: no replica sends on ``name`` before then."""
    await session.execute(_HOLD, {"name": name, "seconds": seconds})
