"""The one door adapters use: ``await coach.handle(inbound) -> list[Reply]``."""

from __future__ import annotations

import asyncio
import logging
import random
import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from coach.content import Content, get_content
from coach.context import FlowContext, StartLink, no_start_link
from coach.dashboard import Dashboard, SectionSource, build_dashboard, default_sections
from coach.flows import default_features, default_flows
from coach.flows.base import FeatureHandler, Flow
from coach.i18n import normalize_language, translator
from coach.messages import Identity, Inbound, Reply
from coach.router import Router
from coach.telemetry import EventKind, Handled, Observer
from coach.timezones import is_valid_timezone
from storage import conversations, receipts, users
from storage.db import Database, connection_lost, transaction_conflict

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]

DEFAULT_TIMEZONES = {"ko": "Asia/Seoul", "en": "UTC"}
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,8}(?:[-_][A-Za-z0-9]{1,8})*")
MAX_LANGUAGE_CODE = 16
CONFLICT_ATTEMPTS = 5
CONFLICT_PAUSE = 0.05  # seconds; a random share of it (times the attempt) keeps retries from meeting again


@dataclass
class _Outcome:
    """What became of one event, for the observers: whose it was, which flow took it, what it completed."""

    user_id: int | None = None
    flow: str | None = None
    completed: str | None = None
    again: bool = False  # the event was handled before (its key was taken): nothing done, nothing to tell


def system_clock() -> datetime:
    return datetime.now(UTC)


class Coach:
    """Platform-neutral coach: resolves who wrote, runs the right flow, stores the outcome.

    ``database`` stores everything; ``clock`` gives "now" (tests inject one); ``content`` defaults to the
    shipped content files; ``flows`` and ``features`` default to every flow Encore has; ``services`` are
    handed to flows as ``ctx.services`` (shared helpers such as a link-code store); ``observers`` are
    told about every handled event (see :mod:`coach.telemetry`). ``start_links`` maps a platform to how
    its adapter makes deep links (see :data:`coach.context.StartLink`); an adapter that can adds its own.
    """

    def __init__(
        self,
        database: Database,
        *,
        clock: Clock = system_clock,
        content: Content | None = None,
        flows: Sequence[Flow] | None = None,
        features: Mapping[str, FeatureHandler] | None = None,
        services: Mapping[str, object] | None = None,
        observers: Sequence[Observer] = (),
    ) -> None:
        self.database = database
        self.clock = clock
        self.content = content or get_content()
        self.router = Router(
            flows if flows is not None else default_flows(),
            features if features is not None else default_features(),
        )
        self.services = dict(services or {})
        self.start_links: dict[str, StartLink] = {}
        self.dashboard_sources: list[SectionSource] = default_sections()
        self.observers = list(observers)

    async def handle(self, inbound: Inbound) -> list[Reply]:
        started = time.perf_counter()
        kind: EventKind = "command" if inbound.command else "button" if inbound.action else "text"
        outcome = _Outcome()
        try:
            replies = await self._handle_again_if_safe(inbound, kind, outcome)
        except BaseException:
            self._tell(inbound, kind, outcome, [], started, failed=True)
            raise
        if not outcome.again:
            self._tell(inbound, kind, outcome, replies, started, failed=False)
        return replies

    async def _handle_again_if_safe(
        self, inbound: Inbound, kind: EventKind, outcome: _Outcome
    ) -> list[Reply]:
        """Handle the event, and again when a try failed in a way that provably changed nothing.

        A pooled connection that died while idle (the database restarted) fails on the first statement,
        before anything was read or written. A deadlock or lock conflict (two users redeeming each other's
        link codes at once, say) rolls the whole event back. Either way the event is handled again.
        """
        for attempt in range(1, CONFLICT_ATTEMPTS + 1):
            try:
                return await self._handle(inbound, kind, outcome)
            except Exception as error:
                if connection_lost(error) and outcome.user_id is None and attempt == 1:
                    log.warning("the database connection was lost; handling the event again on a new one")
                elif transaction_conflict(error) and attempt < CONFLICT_ATTEMPTS:
                    log.info("a database conflict rolled an event back; handling it again")
                    outcome.user_id = outcome.flow = outcome.completed = None
                    await asyncio.sleep(random.uniform(0, CONFLICT_PAUSE * attempt))
                else:
                    raise
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _tell(
        self,
        inbound: Inbound,
        kind: EventKind,
        outcome: _Outcome,
        replies: list[Reply],
        started: float,
        *,
        failed: bool,
    ) -> None:
        if not self.observers:
            return
        event = Handled(
            platform=inbound.identity.platform,
            kind=kind,
            user_id=outcome.user_id,
            flow=outcome.flow,
            completed=outcome.completed,
            replies=len(replies),
            seconds=time.perf_counter() - started,
            failed=failed,
        )
        for observer in self.observers:
            try:
                observer(event)
            except Exception:
                log.exception("an observer failed")

    async def _handle(self, inbound: Inbound, kind: EventKind, outcome: _Outcome) -> list[Reply]:
        inbound = storable(inbound)
        now = inbound.at or self.clock()
        who = inbound.identity
        async with self.database.session() as session:
            # Taken in the event's own transaction: whatever the event changes is kept with the key or not
            # at all, so an event taken over after a kill is handled exactly once.
            if inbound.key is not None and not await receipts.take(session, inbound.key, self.clock()):
                log.info("an event handled before came again (%s); nothing to do", who.platform)
                outcome.again = True
                return []
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
                commands=self.router.menu,
                services=self.services,
                start_link=self.start_links.get(who.platform, no_start_link),
            )
            outcome.user_id = user.id
            replies = await self.router.dispatch(ctx)
            conversations.stamp_if_moved(session, state, now)
            outcome.flow = ctx.flow or None
            # The flow that handled the event ran to its end unless it is still the active one (a question
            # is pending) and did not say it reached its goal; /help during a reflection completes /help.
            # /cancel runs no flow at all.
            if ctx.completed or (ctx.flow and state.flow != ctx.flow):
                outcome.completed = ctx.completed or ctx.flow
        log.info(
            "handled %s from user %s (%s) -> %d replies",
            kind,
            user.id,
            who.platform,
            len(replies),
            extra={"user_id": user.id, "platform": who.platform, "kind": kind, "flow": ctx.flow or None},
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


def _storable_text(text: str) -> str:
    """``text`` without what no database can store: NUL characters and unpaired UTF-16 surrogates.

    Neither is something a person typed; PostgreSQL refuses NUL in text, and a lone surrogate (possible in
    JSON from a platform) cannot be encoded at all. A split surrogate pair is joined back.
    """
    text = text.replace("\x00", "")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return text


def platform_language(code: str | None) -> str | None:
    """A platform's language code (``ko``, ``ko-KR``, ``en_GB``) as given, or ``None`` when it is not one.

    It is platform input like any other: a forged or broken client may send lone surrogates, kilobytes or
    markup, and the hint is stored with the identity (16 characters at most).
    """
    code = (code or "").strip()
    return code if len(code) <= MAX_LANGUAGE_CODE and _LANGUAGE_TAG.fullmatch(code) else None


def storable(inbound: Inbound) -> Inbound:
    """The event with every user-supplied string made safe to store (see :func:`_storable_text`)."""

    def clean(value: str | None) -> str | None:
        return None if value is None else _storable_text(value)

    who = inbound.identity
    return replace(
        inbound,
        identity=replace(who, display_name=clean(who.display_name), language=platform_language(who.language)),
        text=clean(inbound.text),
        command=clean(inbound.command),
        args=_storable_text(inbound.args),
        action=clean(inbound.action),
    )


def _valid_timezone(name: str | None) -> str | None:
    return name if name and is_valid_timezone(name) else None
