"""The one door adapters use: ``await coach.handle(inbound) -> list[Reply]``."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from coach.content import Content, get_content
from coach.context import FlowContext
from coach.dashboard import Dashboard, SectionSource, build_dashboard, default_sections
from coach.flows import default_features, default_flows
from coach.flows.base import Flow
from coach.i18n import normalize_language, translator
from coach.messages import Identity, Inbound, Reply
from coach.router import FeatureHandler, Router
from coach.timezones import is_valid_timezone
from storage import users
from storage.db import Database

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]

DEFAULT_TIMEZONES = {"ko": "Asia/Seoul", "en": "UTC"}


def system_clock() -> datetime:
    return datetime.now(UTC)


class Coach:
    """Platform-neutral coach: resolves who wrote, runs the right flow, stores the outcome.

    ``database`` stores everything; ``clock`` gives "now" (tests inject one); ``content`` defaults to the
    shipped content files; ``flows`` and ``features`` default to every flow Encore has; ``services`` are
    handed to flows as ``ctx.services`` (shared helpers such as a link-code store).
    """

    def __init__(
        self,
        database: Database,
        *,
        clock: Clock = system_clock,
        content: Content | None = None,
        flows: Sequence[Flow] | None = None,
        features: dict[str, FeatureHandler] | None = None,
        services: dict[str, Any] | None = None,
    ) -> None:
        self.database = database
        self.clock = clock
        self.content = content or get_content()
        self.router = Router(
            flows if flows is not None else default_flows(),
            features if features is not None else default_features(),  # type: ignore[arg-type]
        )
        self.services = {"router": self.router, **(services or {})}
        self.dashboard_sources: list[SectionSource] = default_sections()

    async def handle(self, inbound: Inbound) -> list[Reply]:
        now = inbound.at or self.clock()
        who = inbound.identity
        async with self.database.session() as session:
            language_hint = normalize_language(who.language)
            user, identity, is_new = await users.resolve_identity(
                session,
                platform=who.platform,
                workspace=who.workspace,
                external_id=who.user_id,
                chat_id=who.chat_id,
                language_code=who.language,
                display_name=who.display_name,
                timezone=_valid_timezone(who.timezone) or DEFAULT_TIMEZONES[language_hint],
                now=now,
            )
            state = await users.conversation_state(session, user.id or 0, now)
            ctx = FlowContext(
                inbound=inbound,
                session=session,
                user=user,
                identity=identity,
                state=state,
                t=translator(user.language or language_hint),
                now=now,
                content=self.content,
                services=self.services,
            )
            replies = await self.router.dispatch(ctx)
            state.updated_at = now
        log.info(
            "handled %s from user %s (%s) -> %d replies",
            "command" if inbound.command else "button" if inbound.action else "text",
            user.id,
            who.platform,
            len(replies),
        )
        return replies

    async def dashboard(self, identity: Identity) -> Dashboard:
        """What a home screen shows this person now, in their language (reads only)."""
        async with self.database.session() as session:
            return await build_dashboard(
                session,
                identity,
                now=self.clock(),
                content=self.content,
                commands=self.router.by_command,
                sources=self.dashboard_sources,
            )

    async def mark_unreachable(self, platform: str, workspace: str, external_id: str) -> None:
        """The platform says this user blocked us: stay quiet until they write again."""
        async with self.database.session() as session:
            identity = await users.find_identity(session, platform, workspace, external_id)
            if identity is not None and identity.id is not None:
                await users.mark_unreachable(session, identity.id)

    def commands(self, language: str) -> list[tuple[str, str]]:
        """Every command with its description in ``language`` (for help and platform command menus)."""
        t = translator(normalize_language(language))
        return [(command, t.gettext(description)) for command, description in self.router.commands()]


def _valid_timezone(name: str | None) -> str | None:
    return name if name and is_valid_timezone(name) else None
