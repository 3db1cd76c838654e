"""When the weekly check-in comes, and in which language: asked at onboarding and again in /settings."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import time

from coach.context import FlowContext
from coach.flows.questions.base import DAY_PART, Ambiguous, Hints, Question, Reading, Unclear, Understood
from coach.i18n import translator
from coach.messages import Reply
from coach.timezones import describe, is_valid_timezone
from coach.understanding import Ambiguous as Several
from coach.understanding import (
    DayPart,
    NotUnderstood,
    Reason,
    WeeklyTime,
    parse_place,
    parse_time_of_day,
    parse_weekly_time,
)
from coach.understanding import Understood as Read
from coach.understanding.text import clean

HOURS = (7, 8, 9, 12, 18, 20, 21)
# The hours offered when the user named a part of the day but no hour ("금요일 저녁").
HOURS_OF = {
    DayPart.MORNING: (6, 7, 8, 9, 10),
    DayPart.AFTERNOON: (13, 14, 15, 16, 17),
    DayPart.EVENING: (18, 19, 20, 21, 22),
    DayPart.NIGHT: (20, 21, 22, 23),
}
COMMON_ZONES = ("Asia/Seoul", "Asia/Tokyo", "UTC", "Europe/London", "America/New_York", "America/Los_Angeles")
SHOWN_ZONES = 6
LANGUAGES = {"en": "English", "ko": "한국어"}


def _clock(at: time) -> str:
    return f"{at.hour:02d}:{at.minute:02d}"


def _encode_time(at: time) -> str:
    return str(at.hour) if not at.minute else f"{at.hour}.{at.minute:02d}"


def _decode_time(pressed: str) -> time | None:
    hour, _dot, minute = pressed.partition(".")
    if not hour.isdigit() or not (minute.isdigit() or not minute) or len(hour) > 2 or len(minute) > 2:
        return None
    if not (0 <= int(hour) <= 23 and 0 <= int(minute or 0) <= 59):
        return None
    return time(int(hour), int(minute or 0))


def _readings(result: Read[WeeklyTime] | Several[WeeklyTime] | NotUnderstood) -> tuple[WeeklyTime, ...]:
    if isinstance(result, Read):
        return (result.value,)
    return result.candidates if isinstance(result, Several) else ()


# -- the day ----------------------------------------------------------------------------------------
def read_weekday(text: str, hints: Hints) -> Reading[WeeklyTime]:
    """A weekday, with the time too if it is said: "Tuesday", "화", "화요일 밤 9시", "Tuesdays at 9".

    A time that could be morning or evening, or a weekend that could be either day, is asked about.
    """
    _ = hints.t.gettext
    typed = clean(text).casefold()
    for index in range(7):  # the names the user's own language gives, short ones too ("Tue", "화")
        names = {hints.t.weekday(index, width).casefold() for width in ("wide", "abbreviated", "short")}
        if typed in names:
            return Understood(WeeklyTime(index, None))
    readings = _readings(parse_weekly_time(text, hint=hints.day_part))
    if readings and all(reading.weekday is not None for reading in readings):
        if len(readings) == 1:
            return Understood(readings[0])
        return Ambiguous(readings, _("Which one do you mean?"))
    if readings:  # a time, but no day
        return Unclear(_("Which day of the week? Pick one; you can add the time, as in “Tuesday 9pm”."))
    return Unclear(_("Please pick a day, or type one such as Tuesday or 화요일 밤 9시."))


class CheckinDay(Question[WeeklyTime]):
    """The weekday of the check-in (Monday = 0), and its time when the answer says it too.

    A button carries the weekday (``1``), or weekday and time (``1-21`` or ``1-21.30``).
    """

    columns = 4

    def prompt(self, ctx: FlowContext) -> str:
        return ctx._("Which day of the week suits a short weekly check-in?")

    def options(self, ctx: FlowContext) -> Sequence[WeeklyTime]:
        return [WeeklyTime(day, None) for day in range(7)]

    def label(self, ctx: FlowContext, value: WeeklyTime) -> str:
        day = ctx.t.weekday(value.weekday or 0)
        return f"{day} {_clock(value.at)}" if value.at is not None else day

    def encode(self, value: WeeklyTime) -> str:
        day = str(value.weekday or 0)
        return f"{day}-{_encode_time(value.at)}" if value.at is not None else day

    def decode(self, ctx: FlowContext, pressed: str) -> Understood[WeeklyTime] | None:
        day, dash, at = pressed.partition("-")
        if day not in {"0", "1", "2", "3", "4", "5", "6"}:
            return None
        clock = _decode_time(at) if dash else None
        if dash and clock is None:
            return None
        return Understood(WeeklyTime(int(day), clock))

    async def keep(self, ctx: FlowContext, answer: WeeklyTime) -> str | None:
        ctx.user.checkin_weekday = answer.weekday
        if answer.at is not None:
            ctx.user.checkin_hour, ctx.user.checkin_minute = answer.at.hour, answer.at.minute
        elif answer.part is not None:
            ctx.remember(DAY_PART, answer.part.value)
        return None


# -- the time ---------------------------------------------------------------------------------------
def read_clock(text: str, hints: Hints) -> Reading[time]:
    """A time of day: "07:30", "9pm", "21시", "밤 9시", "저녁 9시 반"; "9시" alone is asked about unless the
    user said the part of the day earlier. A day named with it ("화요일 밤 9시") gives its time here."""
    _ = hints.t.gettext
    result = parse_time_of_day(text, hint=hints.day_part)
    if isinstance(result, NotUnderstood) and result.reason is not Reason.TOO_LONG:
        weekly = parse_weekly_time(text, hint=hints.day_part)
        if isinstance(weekly, Read) and weekly.value.at is not None:
            return Understood(weekly.value.at)
        if isinstance(weekly, Read) and weekly.value.part is not None and weekly.value.weekday is None:
            hours = HOURS_OF[weekly.value.part]
            return Ambiguous(tuple(time(hour) for hour in hours), _("At what time, then?"))
    if isinstance(result, Read):
        return Understood(result.value)
    if isinstance(result, Several):
        return Ambiguous(result.candidates, _("Which time do you mean?"))
    return Unclear(_("Please type a time of day such as 07:30, 21:00, 9pm or 밤 9시."))


class CheckinTime(Question[time]):
    """The local time of the check-in. A button carries the hour (``9``), or hour and minute (``9.30``)."""

    columns = 4

    def prompt(self, ctx: FlowContext) -> str:
        return ctx._("At what time? Pick one, or type a time such as 07:30 or 9pm.")

    def options(self, ctx: FlowContext) -> Sequence[time]:
        """The usual hours, or those of the part of the day the user named with the weekday ("화요일 밤")."""
        part = Hints.of(ctx).day_part
        return [time(hour) for hour in (HOURS_OF[part] if part is not None else HOURS)]

    def label(self, ctx: FlowContext, value: time) -> str:
        return _clock(value)

    def encode(self, value: time) -> str:
        return _encode_time(value)

    def decode(self, ctx: FlowContext, pressed: str) -> Understood[time] | None:
        at = _decode_time(pressed)
        return Understood(at) if at is not None else None

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
    """A city ("부산", "Busan", "I live in Daegu"), country or zone name in English or Korean, or a UTC
    offset such as ``+09:00``."""
    _ = hints.t.gettext
    place = parse_place(text, now=hints.now)
    if isinstance(place, NotUnderstood) and place.reason is Reason.OUT_OF_RANGE:
        return Unclear(
            _("UTC offsets run from -12:00 to +14:00. Please type a city or an offset such as +09:00.")
        )
    if isinstance(place, Read):
        return Understood(Zone(place.value, fixed_offset=place.value.startswith("Etc/")))
    if isinstance(place, Several):
        return Ambiguous(
            tuple(Zone(candidate) for candidate in place.candidates),
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
