"""One question, asked the same way by every flow that needs its answer.

A :class:`Question` knows its words, its buttons, how to read a typed answer and, for answers that belong to
the user or their profile, where to keep them. A flow places it at one of its steps with :meth:`Question.at`
and says only what comes next::

    Step.TIMEZONE: TIMEZONE.at(Step.TIMEZONE, then=self.saved)

Reading typed text is one swappable function, a :data:`Parser`: it returns :class:`Understood`,
:class:`Unclear` (ask again, saying why) or :class:`Ambiguous` (ask again with the candidates as buttons).
``question.with_parser(better)`` gives the same question reading text another way.
"""

from __future__ import annotations

import copy
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar, Generic, Self, TypeVar
from zoneinfo import ZoneInfo

from coach.content import Content
from coach.context import FlowContext
from coach.flows.base import On
from coach.i18n import Translator
from coach.messages import AskKind, Reply
from coach.understanding import DayPart

T = TypeVar("T")
DAY_PART = "day_part"  # the hint a weekday answer such as "화요일 밤" leaves for the hour question


@dataclass(frozen=True, slots=True)
class Hints:
    """What a parser may know besides the text: the user's language, the instant, their time zone, the
    catalog (role and certification names), and the part of the day they said earlier in the flow."""

    t: Translator
    now: datetime
    timezone: str
    content: Content
    day_part: DayPart | None = None

    @property
    def language(self) -> str:
        return self.t.language

    @property
    def local_now(self) -> datetime:
        return self.now.astimezone(ZoneInfo(self.timezone))

    @classmethod
    def of(cls, ctx: FlowContext) -> Hints:
        said = ctx.hint(DAY_PART)
        part = DayPart(said) if said in {p.value for p in DayPart} else None
        return cls(ctx.t, ctx.now, ctx.user.timezone, ctx.content, part)


@dataclass(frozen=True, slots=True)
class Understood(Generic[T]):
    """The text is an answer: ``value``."""

    value: T


@dataclass(frozen=True, slots=True)
class Unclear:
    """The text is not an answer; ``message`` says what to type instead (``None``: use the buttons)."""

    message: str | None = None


@dataclass(frozen=True, slots=True)
class Ambiguous(Generic[T]):
    """The text could mean any of ``options``: ask which, with them as buttons."""

    options: tuple[T, ...]
    message: str | None = None


Reading = Understood[T] | Unclear | Ambiguous[T]
Parser = Callable[[str, Hints], Reading[T]]
# What a flow does once a question's answer is kept: given the note the question wants shown, if any.
Then = Callable[[FlowContext, str | None], Awaitable[list[Reply]]]
# What a flow does with an answer it keeps itself.
Answered = Callable[[FlowContext, T], Awaitable[list[Reply]]]


class Question(ABC, Generic[T]):
    """A question with answers of type ``T``. ``parse`` reads typed text (``None``: buttons only).

    Subclasses give the words (:meth:`prompt`), the buttons (:meth:`options`, :meth:`label`,
    :meth:`encode`, :meth:`decode`) and, where the answer has one home, :meth:`keep`.
    """

    columns: ClassVar[int] = 0  # a layout hint for the buttons
    kind: ClassVar[AskKind | None] = "short"

    def __init__(self, parse: Parser[T] | None = None) -> None:
        self.parse = parse

    def with_parser(self, parse: Parser[T] | None) -> Self:
        """The same question, reading typed answers with ``parse``."""
        other = copy.copy(self)
        other.parse = parse
        return other

    @abstractmethod
    def prompt(self, ctx: FlowContext) -> str: ...

    def options(self, ctx: FlowContext) -> Sequence[T]:
        """The answers offered as buttons."""
        return ()

    def label(self, ctx: FlowContext, value: T) -> str:
        return str(value)

    def encode(self, value: T) -> str:
        """The button value for ``value`` (short, plain ASCII)."""
        return str(value)

    def decode(self, ctx: FlowContext, pressed: str) -> Understood[T] | None:
        """The answer behind a pressed button, or ``None`` if it is not one this question offers."""
        return None

    async def keep(self, ctx: FlowContext, answer: T) -> str | None:
        """Store ``answer`` where it belongs; return a note to show, if any."""
        raise NotImplementedError(f"{type(self).__name__} has no home for its answer: pass answered=")

    # -- asking and answering -------------------------------------------------------------------------
    def ask(
        self, ctx: FlowContext, step: str, *, text: str | None = None, options: Sequence[T] | None = None
    ) -> Reply:
        shown = self.options(ctx) if options is None else options
        choices = [(self.label(ctx, option), self.encode(option)) for option in shown]
        return ctx.ask(step, text or self.prompt(ctx), choices, ask=self.kind, columns=self.columns)

    def at(self, step: str, *, then: Then | None = None, answered: Answered[T] | None = None) -> On:
        """The step ``step`` of a flow, asking this question.

        With ``then``, the answer is kept by :meth:`keep` and ``then`` decides what follows; with
        ``answered``, the flow keeps the answer itself.
        """
        assert (then is None) != (answered is None), "give exactly one of then= and answered="
        accept: Answered[T] = answered or self._kept_then(then)

        async def enter(ctx: FlowContext) -> Reply:
            return self.ask(ctx, step)

        async def text(ctx: FlowContext, typed: str) -> list[Reply]:
            return await self.read(ctx, step, typed, accept)

        async def choice(ctx: FlowContext, pressed: str) -> list[Reply]:
            return await self.pressed(ctx, step, pressed, accept)

        return On(enter=enter, text=text if self.parse is not None else None, choice=choice)

    def _kept_then(self, then: Then | None) -> Answered[T]:
        async def kept(ctx: FlowContext, answer: T) -> list[Reply]:
            note = await self.keep(ctx, answer)
            assert then is not None
            return await then(ctx, note)

        return kept

    async def read(self, ctx: FlowContext, step: str, typed: str, accept: Answered[T]) -> list[Reply]:
        """Answer typed text: accept it, ask again saying why, or ask which of several it means."""
        if self.parse is None:
            return [ctx.choose_please()]
        reading = self.parse(typed, Hints.of(ctx))
        if isinstance(reading, Understood):
            return await accept(ctx, reading.value)
        if isinstance(reading, Ambiguous):
            which = reading.message or ctx._("Which one do you mean?")
            return [self.ask(ctx, step, text=which, options=reading.options)]
        if reading.message is None:
            return [ctx.choose_please()]
        return [Reply(reading.message, ask="short")]

    async def pressed(self, ctx: FlowContext, step: str, pressed: str, accept: Answered[T]) -> list[Reply]:
        """Answer a pressed button; one this question did not offer changes nothing."""
        answer = self.decode(ctx, pressed)
        if answer is None:
            return [ctx.choose_please()]
        return await accept(ctx, answer.value)
