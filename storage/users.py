"""Users, their platform identities, profiles and conversation state, in the coach's words."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import bindparam
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from storage import activity
from storage.models import ConversationState, Identity, Profile, User

# "Last seen" feeds activity statistics; minute-exact values are not worth an UPDATE on every message.
LAST_SEEN_RESOLUTION = timedelta(minutes=5)
MAX_DISPLAY_NAME = 128
MAX_LANGUAGE_CODE = 16


# One round trip for the common case: the identity, its user (locked on PostgreSQL, which serialises one
# user's events across instances) and their conversation state, which lands in the identity map. Built
# once: it runs on every chat event, and building it cost more than running it.
_IDENTITY_USER_STATE = (
    select(Identity, User, ConversationState)
    .join(User, col(User.id) == col(Identity.user_id))
    .outerjoin(ConversationState, col(ConversationState.user_id) == col(User.id))
    .where(
        col(Identity.platform) == bindparam("platform"),
        col(Identity.workspace) == bindparam("workspace"),
        col(Identity.external_id) == bindparam("external_id"),
    )
    .with_for_update(of=User)
)


def _update(identity: Identity, **values: str | None) -> None:
    """Set each given value that is present and differs from the stored one."""
    for name, value in values.items():
        if value and getattr(identity, name) != value:
            setattr(identity, name, value)


async def find_identity(
    session: AsyncSession, platform: str, workspace: str, external_id: str
) -> Identity | None:
    result = await session.execute(
        select(Identity).where(
            Identity.platform == platform,
            Identity.workspace == workspace,
            Identity.external_id == external_id,
        )
    )
    return result.scalar_one_or_none()


async def resolve_identity(
    session: AsyncSession,
    *,
    platform: str,
    workspace: str,
    external_id: str,
    chat_id: str,
    language_code: str | None,
    display_name: str | None,
    timezone: str | None,
    now: datetime,
) -> tuple[User, Identity, bool]:
    """The user behind a platform identity, created on first contact. Returns (user, identity, is_new).

    Writing to the coach makes an identity reachable again (a user who had blocked the bot came back).
    Two instances meeting a new user at once both end up with the same row: the loser of the unique
    constraint reads the winner's.
    """
    session.info["now"] = now  # the instant history rows of this event are recorded at (storage.plan)
    display_name = display_name[:MAX_DISPLAY_NAME] if display_name else None
    language_code = language_code[:MAX_LANGUAGE_CODE] if language_code else None
    found = (
        await session.execute(
            _IDENTITY_USER_STATE,
            {"platform": platform, "workspace": workspace, "external_id": external_id},
        )
    ).first()
    identity = found[0] if found else None
    if found and found[2] is not None:
        # The identity map holds objects weakly: keep the state alive for conversation_state() below.
        session.info["conversation_state"] = found[2]
    is_new = False
    if identity is None:
        try:
            async with session.begin_nested():
                created = User(created_at=now, last_seen_at=now, timezone=timezone or "UTC")
                session.add(created)
                await session.flush()
                assert created.id is not None
                identity = Identity(
                    user_id=created.id,
                    platform=platform,
                    workspace=workspace,
                    external_id=external_id,
                    chat_id=chat_id,
                    language_code=language_code,
                    display_name=display_name,
                    created_at=now,
                    last_seen_at=now,
                )
                session.add(identity)
                await session.flush()
            is_new = True
        except IntegrityError:
            identity = await find_identity(session, platform, workspace, external_id)
            if identity is None:
                raise
    user = found[1] if found else await session.get(User, identity.user_id, with_for_update=not is_new)
    assert user is not None
    # Only what changed is assigned: a regular user's event costs no identity UPDATE and no flush work.
    _update(identity, chat_id=chat_id, language_code=language_code, display_name=display_name)
    if identity.unreachable:
        identity.unreachable = False
    if now - identity.last_seen_at >= LAST_SEEN_RESOLUTION:
        identity.last_seen_at = now
    if is_new or activity.week_of(user.last_seen_at) != activity.week_of(now):
        await activity.mark_active(session, user.id or 0, now)  # the first event of a week (or repeats)
    first_since_checkin = _first_since_checkin(user, now)
    if first_since_checkin:
        user.checkin_seen_at = now
    if first_since_checkin or now - user.last_seen_at >= LAST_SEEN_RESOLUTION:
        user.last_seen_at = now
    return user, identity, is_new


def _first_since_checkin(user: User, now: datetime) -> bool:
    """This is the user's first event since their latest check-in went out: it answers it."""
    sent, seen = user.checkin_sent_at, user.checkin_seen_at
    return sent is not None and sent <= now and (seen is None or seen < sent)


async def identities_of(session: AsyncSession, user_id: int) -> list[Identity]:
    result = await session.execute(
        select(Identity).where(Identity.user_id == user_id).order_by(col(Identity.id))
    )
    return list(result.scalars())


async def mark_unreachable(session: AsyncSession, identity_id: int) -> None:
    identity = await session.get(Identity, identity_id)
    if identity is not None:
        identity.unreachable = True


async def get_user(session: AsyncSession, user_id: int) -> User | None:
    return await session.get(User, user_id)


async def get_profile(session: AsyncSession, user_id: int) -> Profile | None:
    return await session.get(Profile, user_id)


async def profile_for_update(session: AsyncSession, user_id: int) -> Profile:
    """The user's profile, created empty if onboarding has not stored one yet."""
    profile = await session.get(Profile, user_id)
    if profile is None:
        profile = Profile(user_id=user_id)
        session.add(profile)
    return profile


async def conversation_state(session: AsyncSession, user_id: int, now: datetime) -> ConversationState:
    """The user's conversation state (already loaded, and its user row locked, by :func:`resolve_identity`)."""
    state = await session.get(ConversationState, user_id)
    if state is None:
        state = ConversationState(user_id=user_id, updated_at=now, data={})
        session.add(state)
        await session.flush()
    return state
