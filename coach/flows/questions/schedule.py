"""When the weekly check-in comes, and in which language: asked at onboarding and again in /settings."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import time

from coach.context import FlowContext
from coach.flows.questions.base import Ambiguous, Hints, Question, Reading, Unclear, Understood
from coach.i18n import translator
from coach.messages import Reply
from coach.parsing import clean, parse_clock
from coach.timezones import describe, is_valid_timezone, parse_timezone

HOURS = (7, 8, 9, 12, 18, 20, 21)
COMMON_ZONES = ("Asia/Seoul", "Asia/Tokyo", "UTC", "Europe/London", "America/New_York", "America/Los_Angeles")
SHOWN_ZONES = 6
LANGUAGES = {"en": "English", "ko": "한국어"}


# -- the day ----------------------------------------------------------------------------------------
def read_weekday(text: str, hints: Hints) -> Reading[int]:
    """A weekday named in the user's language, in full or short (``Tuesday``, ``Tue``, ``화요일``, ``화``)."""
    wanted = clean(text).casefold()
    for index in range(7):
        names = {hints.t.weekday(index, width).casefold() for width in ("wide", "abbreviated", "short")}
        if wanted in names:
            return Understood(index)
    return Unclear()


class CheckinDay(Question[int]):
    """The weekday of the check-in, Monday = 0."""

    columns = 4
    kind = None

    def prompt(self, ctx: FlowContext) -> str:
        return ctx._("Which day of the week suits a short weekly check-in?")

    def options(self, ctx: FlowContext) -> Sequence[int]:
        return range(7)

    def label(self, ctx: FlowContext, value: int) -> str:
        return ctx.t.weekday(value)

    def decode(self, ctx: FlowContext, pressed: str) -> Understood[int] | None:
        return Understood(int(pressed)) if pressed in {"0", "1", "2", "3", "4", "5", "6"} else None

    async def keep(self, ctx: FlowContext, answer: int) -> str | None:
        ctx.user.checkin_weekday = answer
        return None


# -- the time ---------------------------------------------------------------------------------------
def read_clock(text: str, hints: Hints) -> Reading[time]:
    """A time of day: ``07:30``, ``9pm``, ``21시``, ``오후 9시 30분``."""
    at = parse_clock(text)
    if at is None:
        return Unclear(hints.t.gettext("Please type a time of day such as 07:30, 21:00 or 9pm."))
    return Understood(at)


class CheckinTime(Question[time]):
    """The local time of the check-in. A button carries the hour (``9``), or hour and minute (``9.30``)."""

    columns = 4

    def prompt(self, ctx: FlowContext) -> str:
        return ctx._("At what time? Pick one, or type a time such as 07:30 or 9pm.")

    def options(self, ctx: FlowContext) -> Sequence[time]:
        return [time(hour) for hour in HOURS]

    def label(self, ctx: FlowContext, value: time) -> str:
        return f"{value.hour:02d}:{value.minute:02d}"

    def encode(self, value: time) -> str:
        return str(value.hour) if not value.minute else f"{value.hour}.{value.minute:02d}"

    def decode(self, ctx: FlowContext, pressed: str) -> Understood[time] | None:
        hour, _dot, minute = pressed.partition(".")
        if not hour.isdigit() or not (minute.isdigit() or not minute):
            return None
        if not (0 <= int(hour) <= 23 and 0 <= int(minute or 0) <= 59):
            return None
        return Understood(time(int(hour), int(minute or 0)))

    async def keep(self, ctx: FlowContext, answer: time) -> str | None:
        ctx.user.checkin_hour, ctx.user.checkin_minute = answer.hour, answer.minute
        return None


# -- the time zone ----------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Zone:
    """An IANA time zone; ``fixed_offset`` when it came from a typed offset (it ignores daylight saving)."""

    name: str
    fixed_offset: bool = False


def read_timezone(text: str, hints: Hints) -> Reading[Zone]:
    """A city, country or zone name in English or Korean, or a UTC offset such as ``+09:00``."""
    _ = hints.t.gettext
    guess = parse_timezone(text, now=hints.now)
    if guess.out_of_range:
        return Unclear(
            _("UTC offsets run from -12:00 to +14:00. Please type a city or an offset such as +09:00.")
        )
    if guess.zone:
        return Understood(Zone(guess.zone, guess.fixed_offset))
    if guess.candidates:
        return Ambiguous(
            tuple(Zone(candidate) for candidate in guess.candidates),
            _("That could be more than one time zone. Which one do you mean?"),
        )
    return Unclear(
        _(
            "I don't know a time zone by that name. Try a big city near you, such as Seoul, or an offset like +09:00."
        )
    )


class Timezone(Question[Zone]):
    """The user's time zone. Zone names do not fit in a button, so a button carries its position."""

    columns = 2

    def prompt(self, ctx: FlowContext) -> str:
        return ctx._(
            "Which time zone are you in? Pick one, or type a city (Seoul, 부산, London) or an offset such as +09:00."
        )

    def options(self, ctx: FlowContext) -> Sequence[Zone]:
        current = ctx.user.timezone
        return [Zone(name) for name in [current, *(z for z in COMMON_ZONES if z != current)][:SHOWN_ZONES]]

    def ask(
        self,
        ctx: FlowContext,
        step: str,
        *,
        text: str | None = None,
        options: Sequence[Zone] | None = None,
    ) -> Reply:
        zones = [zone.name for zone in (self.options(ctx) if options is None else options)]
        choices = [(describe(zone, ctx.language, ctx.now), str(i)) for i, zone in enumerate(zones)]
        return ctx.ask(step, text or self.prompt(ctx), choices, columns=self.columns, offered=zones)

    def decode(self, ctx: FlowContext, pressed: str) -> Understood[Zone] | None:
        name = ctx.offered_at(pressed)
        return Understood(Zone(name)) if name is not None and is_valid_timezone(name) else None

    async def keep(self, ctx: FlowContext, answer: Zone) -> str | None:
        ctx.user.timezone = answer.name
        if not answer.fixed_offset:
            return None
        return ctx._(
            "A fixed offset does not follow daylight-saving time; type your city instead if yours does."
        )


# -- the language -----------------------------------------------------------------------------------
class Language(Question[str]):
    """The language Encore speaks to the user from now on (buttons only)."""

    kind = None

    def prompt(self, ctx: FlowContext) -> str:
        return ctx._("Which language shall I use?")

    def options(self, ctx: FlowContext) -> Sequence[str]:
        return list(LANGUAGES)

    def label(self, ctx: FlowContext, value: str) -> str:
        return LANGUAGES[value]

    def decode(self, ctx: FlowContext, pressed: str) -> Understood[str] | None:
        return Understood(pressed) if pressed in LANGUAGES else None

    async def keep(self, ctx: FlowContext, answer: str) -> str | None:
        ctx.user.language = answer
        ctx.t = translator(answer)
        return None


CHECKIN_DAY = CheckinDay(read_weekday)
CHECKIN_TIME = CheckinTime(read_clock)
TIMEZONE = Timezone(read_timezone)
LANGUAGE = Language()
