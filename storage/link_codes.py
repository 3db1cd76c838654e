"""One-time codes that join two platform identities into one user (``/link``).

Only a SHA-256 hash of a code is stored. A code is valid for a short while and can be used once: using it
is a conditional update, so two instances (or two quick messages) can never both redeem it.

Codes are 8 characters from 31, too many to guess, unless guessing is free: an account gets
:data:`MAX_FAILED_ATTEMPTS` wrong codes per :data:`ATTEMPT_WINDOW`, and after that no code it enters is
checked until the oldest of those attempts is an hour old. An event's user row is locked while it is
handled (see :func:`storage.users.resolve_identity`), so one account's attempts are counted one at a time.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from sqlalchemy import delete, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from storage.models import LinkAttempt, LinkCode

KEEP_USED_FOR = timedelta(days=1)  # so a late second try can still be told "already used"
MAX_FAILED_ATTEMPTS = 10
ATTEMPT_WINDOW = timedelta(hours=1)


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
    LIMITED = "limited"  # too many wrong codes lately: this one was not even looked at


@dataclass(frozen=True, slots=True)
class Redemption:
    outcome: Redeemed
    owner_id: int | None = None
    retry_at: datetime | None = None  # with LIMITED: when the account may try again

    @property
    def failed(self) -> bool:
        return self.outcome in (Redeemed.UNKNOWN, Redeemed.EXPIRED, Redeemed.USED)


async def redeem(session: AsyncSession, code: str, redeemer_id: int, now: datetime) -> Redemption:
    """Use ``code`` once, unless the account used up its attempts. A user's own code is not used up, so
    they can still enter it on the other app; a wrong, expired or used code counts as a failed attempt."""
    retry_at = await locked_out_until(session, redeemer_id, now)
    if retry_at is not None:
        return Redemption(Redeemed.LIMITED, retry_at=retry_at)
    redemption = await _use(session, code, redeemer_id, now)
    if redemption.failed:
        await _count_failure(session, redeemer_id, now)
    return redemption


async def locked_out_until(session: AsyncSession, user_id: int, now: datetime) -> datetime | None:
    """When the user may enter a code again, or ``None`` if they may now."""
    recent = await session.execute(
        select(LinkAttempt.at)
        .where(LinkAttempt.user_id == user_id, col(LinkAttempt.at) > now - ATTEMPT_WINDOW)
        .order_by(col(LinkAttempt.at).desc())
        .limit(MAX_FAILED_ATTEMPTS)
    )
    times = list(recent.scalars())
    if len(times) < MAX_FAILED_ATTEMPTS:
        return None
    return times[-1] + ATTEMPT_WINDOW


async def _count_failure(session: AsyncSession, user_id: int, now: datetime) -> None:
    await session.execute(
        delete(LinkAttempt).where(
            col(LinkAttempt.user_id) == user_id, col(LinkAttempt.at) <= now - ATTEMPT_WINDOW
        )
    )
    session.add(LinkAttempt(user_id=user_id, at=now))
    await session.flush()


async def _use(session: AsyncSession, code: str, redeemer_id: int, now: datetime) -> Redemption:
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
