"""What a flow sees while it handles one event: the user, their stored state, language, clock, storage."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, TypeVar

from coach import actions
from coach.actions import flow_action
from coach.draft import Draft
from coach.i18n import Translator
from coach.messages import AskKind, Choice, Inbound, Reply
from storage import conversations

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from coach.content import Content
    from storage.models import ConversationState, Identity, User

D = TypeVar("D", bound=Draft)

StartLink = Callable[[str], str | None]
"""Makes a deep link: an address that opens the chat with the coach and starts it with ``/start <payload>``
(Telegram's ``https://t.me/<bot>?start=<payload>``), or ``None`` when there is none yet. Adapters of
platforms that have such links hand one to the coach (see :attr:`coach.core.Coach.start_links`)."""


def no_start_link(payload: str) -> str | None:
    """The platform has no deep links (the console, Slack)."""
    return None


SHORTCUTS = ("reflect", "journal", "settings", "help")
# Where the values behind the pending question's buttons are kept in the stored state (earlier versions
# kept them under the other two names).
OFFERED = "offered"
FORMER_OFFERED = ("zones", "offer")
# What the user said that a later question of the same flow may use ("화요일 밤" says night before the hour
# is asked), kept beside the draft until the flow ends.
HINTS = "hints"


@dataclass(frozen=True, slots=True)
class CommandMenu:
    """The commands the coach answers, in the order /help lists them, with untranslated descriptions."""

    listed: tuple[tuple[str, str], ...] = ()

    def __contains__(self, command: object) -> bool:
        return any(name == command for name, _description in self.listed)


@dataclass
class FlowContext:
    """One event's view of the world. ``session`` is handed to storage functions, never queried directly.

    ``commands`` is what the coach can do (for shortcuts and /help); ``services`` are optional helpers a
    deployment hands to flows; ``start_link`` makes a deep link to this platform's chat, where it has them.
    """

    inbound: Inbound
    session: AsyncSession
    user: User
    identity: Identity
    state: ConversationState
    t: Translator
    now: datetime
    content: Content
    commands: CommandMenu = field(default_factory=CommandMenu)
    flow: str = ""
    services: Mapping[str, object] = field(default_factory=dict)
    start_link: StartLink = no_start_link
    completed: str | None = None  # set by complete(): a flow reached its goal (for metrics)
    _draft: Draft | None = field(default=None, init=False, repr=False)
    _draft_as_loaded: dict[str, object] = field(default_factory=dict, init=False, repr=False)
    _offered: list[str] | None = field(default=None, init=False, repr=False)  # None: as stored
    _hints: dict[str, str] | None = field(default=None, init=False, repr=False)  # None: as stored

    @property
    def user_id(self) -> int:
        assert self.user.id is not None
        return self.user.id

    @property
    def language(self) -> str:
        return self.t.language

    def _(self, message: str) -> str:
        return self.t.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.t.ngettext(singular, plural, n)

    # -- the draft ----------------------------------------------------------------------------------
    def draft(self, kind: type[D]) -> D:
        """The active flow's draft as ``kind``; changes to it are stored when the event ends."""
        if not isinstance(self._draft, kind):
            self._draft = kind.load(self.state.data)
            self._draft_as_loaded = self._draft.dump()
        return self._draft

    def save_draft(self) -> None:
        """Store the draft and the offered values if they changed (an event that only reads writes nothing)."""
        draft = self._draft.dump() if self._draft is not None else None
        unchanged = draft is None or draft == self._draft_as_loaded
        if unchanged and self._offered is None and self._hints is None:
            return
        stored = dict(self.state.data or {})
        data = draft if draft is not None else {k: v for k, v in stored.items() if k not in _CONTEXT_KEYS}
        offered = self._offered if self._offered is not None else _stored_offered(stored)
        if offered:
            data[OFFERED] = offered
        hints = self._hints if self._hints is not None else _stored_hints(stored)
        if hints:
            data[HINTS] = hints
        if data != stored:
            conversations.write_draft(self.state, data)
        self._draft_as_loaded = draft or {}
        self._offered = None
        self._hints = None

    def _drop_draft(self) -> None:
        self._draft = None
        self._draft_as_loaded = {}
        self._offered = None
        self._hints = None

    # -- hints for later questions ----------------------------------------------------------------
    def hint(self, name: str) -> str | None:
        """A hint the user gave earlier in this flow (see :meth:`remember`), if any."""
        hints = self._hints if self._hints is not None else _stored_hints(self.state.data)
        return hints.get(name)

    def remember(self, name: str, value: str) -> None:
        """Keep ``value`` for later questions of the active flow; it goes when the flow ends."""
        hints = dict(self._hints if self._hints is not None else _stored_hints(self.state.data))
        hints[name] = value
        self._hints = hints

    # -- values behind buttons --------------------------------------------------------------------
    def offered(self) -> list[str]:
        """The values behind the pending question's buttons, when the buttons carry only a position."""
        return list(self._offered) if self._offered is not None else _stored_offered(self.state.data)

    def offered_at(self, position: str) -> str | None:
        """The offered value behind a button that carries its position (``"2"``), if there is one."""
        offered = self.offered()
        if not position.isdecimal() or int(position) >= len(offered):
            return None
        return offered[int(position)]

    # -- moving through flows -----------------------------------------------------------------------
    def enter(self, flow: str) -> None:
        """Make ``flow`` the active one; its draft starts empty unless it was already active."""
        if self.state.flow != flow:
            conversations.write_draft(self.state, {})
            self._drop_draft()
        self.state.flow = flow
        self.flow = flow

    def complete(self) -> None:
        """Say the active flow reached its goal while it stays open (a closing question, say).

        A flow that ends with :meth:`finish` needs no call: leaving the flow counts as completing it.
        """
        self.completed = self.flow or None

    def finish(self) -> None:
        """Leave the active flow; its draft is dropped."""
        conversations.end_conversation(self.state)
        self._drop_draft()

    def ask(
        self,
        step: str,
        text: str,
        choices: Iterable[tuple[str, str]] = (),
        *,
        ask: AskKind | None = "short",
        columns: int = 0,
        extra_choices: Iterable[Choice] = (),
        offered: Sequence[str] = (),
    ) -> Reply:
        """Move the active flow to ``step`` and put a question: ``choices`` are (label, value) pairs.

        ``offered`` are the values behind buttons whose value is only a position (see :meth:`offered_at`).
        """
        assert self.flow, "enter() a flow before asking"
        self.state.flow = self.flow
        self.state.step = step
        self.state.revision += 1
        self._offered = list(offered)
        buttons = tuple(
            Choice(label, flow_action(self.flow, step, self.state.revision, value))
            for label, value in choices
        )
        return Reply(text, choices=buttons + tuple(extra_choices), columns=columns, ask=ask)

    # -- what every flow may say ------------------------------------------------------------------
    def choose_please(self) -> Reply:
        """The kind re-ask when a step waits for a button and gets something else."""
        return Reply(self._("Please use one of the buttons above, or /cancel to stop."), ephemeral=True)

    def expired(self) -> Reply:
        """The answer to a button that no longer means anything (pressed twice, too old, forged)."""
        return Reply(self._("This button has expired, so nothing was changed."), ephemeral=True)

    def shortcuts(self) -> tuple[Choice, ...]:
        """Buttons to the everyday commands, offered when a flow ends."""
        _ = self._
        labels = {
            "reflect": _("Reflect"),
            "journal": _("Journal"),
            "settings": _("Settings"),
            "help": _("Help"),
        }
        return tuple(
            Choice(labels[command], actions.shortcut(command))
            for command in SHORTCUTS
            if command in self.commands
        )

    def help(self) -> list[Reply]:
        """Every command with its description, in the user's language."""
        _ = self._
        lines = [_("Here is what I can do:"), ""]
        lines += [f"/{command} — {_(description)}" for command, description in self.commands.listed]
        return [Reply("\n".join(lines))]


_OFFERED_KEYS = (OFFERED, *FORMER_OFFERED)
_CONTEXT_KEYS = (*_OFFERED_KEYS, HINTS)


def _stored_offered(data: Mapping[str, object] | None) -> list[str]:
    for key in _OFFERED_KEYS:
        values = (data or {}).get(key)
        if isinstance(values, list):
            return [str(value) for value in values]
    return []


def _stored_hints(data: Mapping[str, object] | None) -> dict[str, str]:
    hints = (data or {}).get(HINTS)
    if not isinstance(hints, dict):
        return {}
    return {str(name): str(value) for name, value in hints.items() if isinstance(value, str)}
