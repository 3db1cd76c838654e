"""The App Home tab: published only when what it shows changed, whichever replica publishes it."""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection
from datetime import datetime
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.slack.render import Owner, home_view
from bot.slack.sender import NETWORK_ERRORS
from coach.dashboard import Dashboard
from storage import views
from storage.db import Database

log = logging.getLogger(__name__)

HOME_SURFACE = "home"


class HomePublisher:
    """Publishes a person's dashboard to their App Home through ``client``.

    What was last published is kept per identity in ``database`` (a digest of the view and Slack's view
    hash), so no replica publishes the same Home twice; ``commands`` are the subcommands its buttons may
    run; ``clock`` stamps each record.
    """

    def __init__(
        self,
        client: AsyncWebClient,
        database: Database,
        commands: Collection[str],
        clock: Callable[[], datetime],
    ) -> None:
        self.client = client
        self.database = database
        self.commands = commands
        self.clock = clock

    async def publish(self, owner: Owner, dashboard: Dashboard) -> None:
        """Show ``dashboard`` on the App Home unless it already shows exactly that; Slack's view hash
        guards against a replica publishing in between."""
        view = home_view(dashboard, owner, self.commands).to_dict()
        fingerprint = views.digest(view)
        async with self.database.session() as session:
            last = await views.last_published(session, "slack", owner.team, owner.user, HOME_SURFACE)
        if last is not None and last.digest == fingerprint:
            return
        try:
            view_hash = await self._publish(owner, view, last.platform_hash if last else None)
        except SlackApiError as error:
            log.warning(
                "slack: App Home for a user of team %s failed: %s", owner.team, error.response.get("error")
            )
            return
        except NETWORK_ERRORS as error:
            log.warning("slack: App Home for a user of team %s failed: %s", owner.team, type(error).__name__)
            return
        if last is not None:
            async with self.database.session() as session:
                await views.record_published(
                    session, last.identity_id, HOME_SURFACE, fingerprint, view_hash, self.clock()
                )

    async def _publish(self, owner: Owner, view: dict[str, Any], view_hash: str | None) -> str | None:
        """``views.publish``; returns Slack's hash of the published view. A hash conflict means another
        replica published since our last look: ours is built from the database as it is now, so it goes
        out anyway."""
        try:
            response = await self.client.views_publish(user_id=owner.user, view=view, hash=view_hash)
        except SlackApiError as error:
            if view_hash is None or error.response.get("error") != "hash_conflict":
                raise
            response = await self.client.views_publish(user_id=owner.user, view=view)
        published = response.get("view") or {}
        return str(published["hash"]) if isinstance(published, dict) and published.get("hash") else None
