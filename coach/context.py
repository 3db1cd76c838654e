"""What a flow sees while it handles one event: the user, their stored state, language, clock, storage."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm.attributes import flag_modified

from coach.actions import flow_action
from coach.i18n import Translator
from coach.messages import AskKind, Choice, Inbound, Reply

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from coach.content import Content
    from storage.models import ConversationState, Identity, User


@dataclass
class FlowContext:
    """One event's view of the world. ``session`` is handed to storage functions, never queried directly."""

    inbound: Inbound
    session: AsyncSession
    user: User
    identity: Identity
    state: ConversationState
    t: Translator
    now: datetime
    content: Content
    flow: str = ""
    services: dict[str, Any] = field(default_factory=dict)
    completed: str | None = None  # set by complete(): a flow reached its goal (for metrics)

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

    # -- conversation state -------------------------------------------------------------------------
    @property
    def data(self) -> dict[str, Any]:
        """The draft answers of the current flow (read-only view; change them with :meth:`remember`)."""
        return dict(self.state.data or {})

    def remember(self, **values: Any) -> None:
        data = dict(self.state.data or {})
        data.update(values)
        self.state.data = data
        flag_modified(self.state, "data")

    def forget(self, *keys: str) -> None:
        data = {k: v for k, v in (self.state.data or {}).items() if k not in keys}
        self.state.data = data
        flag_modified(self.state, "data")

    def enter(self, flow: str, *, keep_data: bool = False) -> None:
        """Make ``flow`` the active one; its draft starts empty unless it was already active."""
        if self.state.flow != flow and not keep_data:
            self.state.data = {}
            flag_modified(self.state, "data")
        self.state.flow = flow
        self.flow = flow

    def complete(self) -> None:
        """Say the active flow reached its goal while it stays open (a closing question, say).

        A flow that ends with :meth:`finish` needs no call: leaving the flow counts as completing it.
        """
        self.completed = self.flow or None

    def finish(self) -> None:
        """Leave the active flow; its draft is dropped."""
        self.state.flow = None
        self.state.step = None
        self.state.revision += 1
        self.state.data = {}
        flag_modified(self.state, "data")

    def ask(
        self,
        step: str,
        text: str,
        choices: Iterable[tuple[str, str]] = (),
        *,
        ask: AskKind | None = "short",
        columns: int = 0,
        extra_choices: Iterable[Choice] = (),
    ) -> Reply:
        """Move the active flow to ``step`` and put a question: ``choices`` are (label, value) pairs."""
        assert self.flow, "enter() a flow before asking"
        self.state.flow = self.flow
        self.state.step = step
        self.state.revision += 1
        buttons = tuple(
            Choice(label, flow_action(self.flow, step, self.state.revision, value))
            for label, value in choices
        )
        return Reply(text, choices=buttons + tuple(extra_choices), columns=columns, ask=ask)
