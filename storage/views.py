"""Published views (Slack's App Home): publish again only when the content changed, on any replica."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import select

from storage.models import Identity, PublishedView


def digest(view: Any) -> str:
    """A stable fingerprint of a view's JSON (key order does not matter)."""
    encoded = json.dumps(view, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class LastPublished:
    """What is known about a surface of one identity: ``digest`` and ``platform_hash`` are ``None`` before
    its first publish."""

    identity_id: int
    digest: str | None
    platform_hash: str | None


async def last_published(
    session: AsyncSession, platform: str, workspace: str, external_id: str, surface: str
) -> LastPublished | None:
    """The identity's last publish of ``surface``; ``None`` for someone Encore does not know (nothing is
    kept for them)."""
    result = await session.execute(
        select(Identity.id, PublishedView.digest, PublishedView.platform_hash)
        .outerjoin(
            PublishedView,
            (PublishedView.identity_id == Identity.id) & (PublishedView.surface == surface),  # type: ignore[arg-type]
        )
        .where(
            Identity.platform == platform,
            Identity.workspace == workspace,
            Identity.external_id == external_id,
        )
    )
    row = result.first()
    if row is None or row[0] is None:
        return None
    return LastPublished(row[0], row[1], row[2])


async def record_published(
    session: AsyncSession,
    identity_id: int,
    surface: str,
    view_digest: str,
    platform_hash: str | None,
    now: datetime,
) -> None:
    """Remember the view just published (two replicas publishing at once: the later write wins)."""
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    values = {"digest": view_digest, "platform_hash": platform_hash, "published_at": now}
    statement = insert(PublishedView).values(identity_id=identity_id, surface=surface, **values)
    await session.execute(
        statement.on_conflict_do_update(index_elements=["identity_id", "surface"], set_=values)
    )


async def forget_published(session: AsyncSession, identity_id: int, surface: str) -> None:
    """Forget the last publish, so the next one goes out whatever its content (after a refused publish)."""
    row = await session.get(PublishedView, (identity_id, surface))
    if row is not None:
        await session.delete(row)
