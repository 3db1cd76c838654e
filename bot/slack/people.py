"""Who a Slack user is, for the coach: their DM channel with the app, time zone, locale and name.

The DM channel never changes, so it is kept; ``users.info`` answers are kept for a few minutes, so a burst
of button presses costs one lookup. A failed lookup only means no hints: the coach falls back to its
defaults.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

import aiohttp
from slack_sdk.errors import SlackApiError, SlackRequestError
from slack_sdk.web.async_client import AsyncWebClient

from bot.slack.render import Owner
from coach.messages import Identity

log = logging.getLogger(__name__)

PROFILE_TTL_SECONDS = 600.0
MAX_REMEMBERED = 10_000

K = TypeVar("K")
V = TypeVar("V")


class Recent(Generic[K, V]):
    """A bounded mapping that forgets the least recently used entry first."""

    def __init__(self, size: int = MAX_REMEMBERED) -> None:
        self.size = size
        self._items: OrderedDict[K, V] = OrderedDict()

    def get(self, key: K) -> V | None:
        value = self._items.get(key)
        if value is not None:
            self._items.move_to_end(key)
        return value

    def put(self, key: K, value: V) -> None:
        self._items[key] = value
        self._items.move_to_end(key)
        while len(self._items) > self.size:
            self._items.popitem(last=False)


@dataclass(frozen=True, slots=True)
class SlackProfile:
    """The hints ``users.info`` gives: IANA time zone, locale such as ``ko-KR``, a name to greet."""

    timezone: str | None = None
    locale: str | None = None
    name: str | None = None


class People:
    """Looks up and remembers Slack users. ``clock`` (seconds, monotonic) is injectable for tests."""

    def __init__(
        self,
        client: AsyncWebClient,
        *,
        ttl: float = PROFILE_TTL_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.client = client
        self.ttl = ttl
        self.clock = clock
        self._channels: Recent[Owner, str] = Recent()
        self._profiles: Recent[Owner, tuple[float, SlackProfile]] = Recent()

    def remember_channel(self, owner: Owner, channel: str) -> None:
        """An event from the DM tells us its channel: no need to open it."""
        if channel.startswith("D"):
            self._channels.put(owner, channel)

    async def dm_channel(self, owner: Owner) -> str:
        channel = self._channels.get(owner)
        if channel is None:
            response = await self.client.conversations_open(users=owner.user)
            channel = str(response["channel"]["id"])
            self._channels.put(owner, channel)
        return channel

    async def profile(self, owner: Owner) -> SlackProfile:
        cached = self._profiles.get(owner)
        now = self.clock()
        if cached is not None and now - cached[0] < self.ttl:
            return cached[1]
        try:
            response = await self.client.users_info(user=owner.user, include_locale=True)
            user = response["user"]
            details = user.get("profile") if isinstance(user.get("profile"), dict) else {}
            profile = SlackProfile(
                timezone=_text(user.get("tz")),
                locale=_text(user.get("locale")),
                name=_text(details.get("display_name")) or _text(user.get("real_name")),
            )
        except SlackApiError as error:
            log.warning(
                "users.info failed for a user of team %s: %s", owner.team, error.response.get("error")
            )
            profile = SlackProfile()
        except (TimeoutError, aiohttp.ClientError, SlackRequestError) as error:
            log.warning("users.info failed for a user of team %s: %s", owner.team, type(error).__name__)
            profile = SlackProfile()
        self._profiles.put(owner, (now, profile))
        return profile

    async def identity(self, owner: Owner) -> Identity:
        """The coach's view of this Slack user, with the DM channel as the place replies go."""
        channel = await self.dm_channel(owner)
        profile = await self.profile(owner)
        return Identity(
            "slack",
            user_id=owner.user,
            chat_id=channel,
            workspace=owner.team,
            language=profile.locale,
            display_name=profile.name,
            timezone=profile.timezone,
        )


def _text(value: object) -> str | None:
    """A non-empty string from ``users.info``, or ``None`` (the coach validates the string itself)."""
    return value if isinstance(value, str) and value else None
