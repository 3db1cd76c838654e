"""One sending pace per bot token, shared by every replica on one PostgreSQL database.

A row per token holds when its recent messages went (the last second of them) and a hold set by a 429.
A sender locks the row, and goes only if fewer than the allowed number went within the last second and
no hold is on; otherwise it learns how long to wait. The check is made right before each send, with the
database's clock, so a replica whose sends were delayed (a busy host, a pause) never lets them out in a
burst, and hosts whose clocks differ still keep one pace.

A turn is written down when it is taken, and moved to when its request came back once it has (:func:`settle`):
Telegram counts a message when it arrives, which on a busy host can be well after its turn, so a message
late on its way stays counted for a full second after it arrived, and the next second's messages cannot
land on top of it.
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


async def take_turn(session: AsyncSession, name: str, per_second: int) -> tuple[float, str]:
    """Take a turn on ``name``'s pace if one is free now (returns 0.0 and the turn, for :func:`settle`),
    else how many seconds to wait (and no turn).

    ``per_second``: how many messages may go within any one second.
    """
    await session.execute(text("SET LOCAL synchronous_commit TO OFF"))  # a pace, not a record
    await session.execute(_ROW, {"name": name})
    row = (await session.execute(_LOCK, {"name": name})).one()
    held_until, now = float(row[0]), float(row[2])
    recent = sorted(at for at in _instants(row[1]) if at > now - 1.0)
    if held_until > now:
        return held_until - now, ""
    if len(recent) >= per_second:
        return max(recent[-per_second] + 1.0 - now, 0.001), ""
    await session.execute(_TAKE, {"name": name, "recent": _stored([*recent, now])})
    return 0.0, _instant(now)


async def settle(session: AsyncSession, name: str, turn: str) -> None:
    """The message that took ``turn`` has arrived (its request came back): count it from now on."""
    if not turn:  # the send went unpaced: nothing was written down
        return
    await session.execute(text("SET LOCAL synchronous_commit TO OFF"))
    row = (await session.execute(_LOCK, {"name": name})).one_or_none()
    if row is None:
        return
    now = float(row[2])
    recent = [at for at in _instants(row[1]) if at > now - 1.0]
    stored = [_instant(at) for at in recent]
    if turn in stored:
        recent[stored.index(turn)] = now
    await session.execute(_TAKE, {"name": name, "recent": _stored(sorted(recent))})


def _instant(at: float) -> str:
    """An instant as the pace row stores it (and as a turn names it)."""
    return f"{at:.6f}"


def _stored(instants: list[float]) -> str:
    return ",".join(_instant(at) for at in instants)


def _instants(stored: str) -> list[float]:
    return [float(part) for part in stored.split(",") if part]


async def hold(session: AsyncSession, name: str, seconds: float) -> None:
    """The platform said to wait ``seconds``: no replica sends on ``name`` before then."""
    await session.execute(_HOLD, {"name": name, "seconds": seconds})
