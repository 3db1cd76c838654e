"""The shape every flow has: a name, the commands that start it, its declared steps and its typed draft.

A flow that asks questions subclasses :class:`StepFlow`: it names its steps once in a ``StrEnum``, says per
step what handles entering it, typed text and pressed buttons (:class:`On`), and declares the
:class:`~coach.draft.Draft` it keeps between events. The base class dispatches and kindly refuses what a
step does not accept, so a handler only ever sees what its step asked for::

    class Step(StrEnum):
        NAME = "name"

    class NameDraft(Draft):
        name: str = ""

    class Greet(StepFlow[Step, NameDraft]):
        name = "greet"
        commands = {"greet": N_("Say hello")}
        steps, draft_type = Step, NameDraft

        def table(self) -> Mapping[Step, On]:
            return {Step.NAME: On(text=self.named)}

A flow that answers in one go (``/help``, ``/export``) subclasses :class:`Flow` and writes ``begin``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar, Generic, TypeVar

from coach.context import FlowContext
from coach.draft import Draft
from coach.messages import Reply

Answer = Callable[[FlowContext, str], Awaitable[list[Reply]]]
Entry = Callable[[FlowContext], Awaitable[Reply]]
FeatureHandler = Callable[[FlowContext, tuple[str, ...]], Awaitable[list[Reply]]]

StepT = TypeVar("StepT", bound=StrEnum)
DraftT = TypeVar("DraftT", bound=Draft)


@dataclass(frozen=True, slots=True)
class On:
    """What one step accepts. ``enter`` puts the step's question; ``text`` reads a typed answer; ``choice``
    reads the value of a pressed button. A step without ``text`` (or ``choice``) refuses it with the kind
    re-ask, and nothing changes.

    ``writing`` says the typed text is the user's own writing (a reflection), kept whatever it says: an
    impulse to quit in it is met after the step has kept it. At any other step such text is not taken as
    the answer (see :mod:`coach.flows.moments`).
    """

    enter: Entry | None = None
    text: Answer | None = None
    choice: Answer | None = None
    writing: bool = False


class Flow:
    """What the router talks to: a name, the commands that start it, and handlers for text and buttons.

    ``commands`` maps each command that starts the flow to its one-line description (marked with ``N_``
    for translation); ``takes_args`` says whether it reads what follows the command; ``formerly`` maps
    (flow, step) names used by earlier versions to the step of this flow that answers them now, so stored
    conversations and buttons already sent keep working after a rename.
    """

    name: ClassVar[str] = ""
    commands: ClassVar[Mapping[str, str]] = {}
    takes_args: ClassVar[bool] = False
    formerly: ClassVar[Mapping[tuple[str, str], str]] = {}

    async def begin(self, ctx: FlowContext, command: str, args: str) -> list[Reply]:
        raise NotImplementedError

    async def on_text(self, ctx: FlowContext, text: str) -> list[Reply]:
        return [ctx.choose_please()]

    async def on_choice(self, ctx: FlowContext, value: str) -> list[Reply]:
        return [ctx.choose_please()]

    def takes_writing(self, ctx: FlowContext) -> bool:
        """Whether the pending step keeps typed text as the user's own writing (see :attr:`On.writing`)."""
        return False

    def unsaved_writing(self, ctx: FlowContext) -> str:
        """What the user wrote that is still only in the draft (a reflection being written), so it can be
        kept when the flow is set aside."""
        return ""


class StepFlow(Flow, Generic[StepT, DraftT]):
    """A flow over declared steps with a typed draft. Subclasses set ``steps`` and ``draft_type`` and
    return every step's :class:`On` from :meth:`table`; a step missing from the table is a programming
    error caught when the flow is built."""

    steps: type[StepT]
    draft_type: type[DraftT]

    def __init__(self) -> None:
        self._table: Mapping[str, On] = {step.value: on for step, on in self.table().items()}
        missing = [step.value for step in self.steps if step.value not in self._table]
        assert not missing, f"{self.name}: no handlers declared for steps {missing}"

    def table(self) -> Mapping[StepT, On]:
        raise NotImplementedError

    def draft(self, ctx: FlowContext) -> DraftT:
        """This flow's draft for the event being handled."""
        return ctx.draft(self.draft_type)

    def step(self, ctx: FlowContext) -> StepT | None:
        """The step the stored conversation is at, if it is one of this flow's."""
        step = ctx.state.step
        return self.steps(step) if step is not None and step in self._table else None

    async def enter(self, ctx: FlowContext, step: StepT) -> Reply:
        """Move to ``step`` by putting its question."""
        entry = self._table[step.value].enter
        assert entry is not None, f"{self.name}:{step} is only reached from another step"
        return await entry(ctx)

    async def on_text(self, ctx: FlowContext, text: str) -> list[Reply]:
        on = self._table.get(ctx.state.step or "")
        if on is None or on.text is None:
            return [ctx.choose_please()]
        return await on.text(ctx, text)

    async def on_choice(self, ctx: FlowContext, value: str) -> list[Reply]:
        on = self._table.get(ctx.state.step or "")
        if on is None or on.choice is None:
            return [ctx.choose_please()]
        return await on.choice(ctx, value)

    def takes_writing(self, ctx: FlowContext) -> bool:
        on = self._table.get(ctx.state.step or "")
        return on is not None and on.text is not None and on.writing
