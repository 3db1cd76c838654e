"""One-time codes that join two platform identities into one user (``/link``).

Only a SHA-256 hash of a code is stored. A code is valid for a short while and can be used once: using it
is a conditional update, so two instances (or two quick messages) can never both redeem it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from sqlalchemy import delete, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from storage.models import LinkCode

KEEP_USED_FOR = timedelta(days=1)  # so a late second try can still be told "already used"


def hash_code(code: str) -> str:
    return hashlib.sha256(code.encode("ascii")).hexdigest()


async def store_code(
    session: AsyncSession, user_id: int, code: str, now: datetime, valid_for: timedelta
) -> None:
    """Keep a new code for ``user_id``; their earlier codes stop working, stale ones are swept away."""
    await session.execute(delete(LinkCode).where(col(LinkCode.user_id) == user_id))
    await session.execute(delete(LinkCode).where(col(LinkCode.expires_at) < now - KEEP_USED_FOR))
    session.add(
        LinkCode(user_id=user_id, code_hash=hash_code(code), created_at=now, expires_at=now + valid_for)
    )
    await session.flush()


class Redeemed(Enum):
    OK = "ok"
    UNKNOWN = "unknown"
    EXPIRED = "expired"
    USED = "used"
    OWN = "own"


@dataclass(frozen=True, slots=True)
class Redemption:
    outcome: Redeemed
    owner_id: int | None = None


async def redeem(session: AsyncSession, code: str, redeemer_id: int, now: datetime) -> Redemption:
    """Use ``code`` once. A user's own code is not used up, so they can still enter it on the other app."""
    found = await session.execute(select(LinkCode).where(LinkCode.code_hash == hash_code(code)))
    link = found.scalar_one_or_none()
    if link is None:
        return Redemption(Redeemed.UNKNOWN)
    if link.used_at is not None:
        return Redemption(Redeemed.USED)
    if link.expires_at <= now:
        return Redemption(Redeemed.EXPIRED)
    if link.user_id == redeemer_id:
        return Redemption(Redeemed.OWN)
    claimed = await session.execute(
        update(LinkCode)
        .where(col(LinkCode.id) == link.id, col(LinkCode.used_at).is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        return Redemption(Redeemed.USED)
    return Redemption(Redeemed.OK, link.user_id)
