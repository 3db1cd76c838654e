"""Where the user stands and where they want to go: the profile questions of onboarding.

Each answer is written to the profile the moment it is given, so a user who stops half-way loses nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from coach.context import FlowContext
from coach.flows.questions.base import Ambiguous, Answered, Hints, Question, Reading, Unclear, Understood
from coach.messages import Reply
from coach.role_match import match_role
from coach.understanding import Ambiguous as Several
from coach.understanding import Understood as Read
from coach.understanding import parse_number, parse_when, parse_years
from coach.understanding.text import clean
from storage import users

MAX_ROLE_CHARS = 200
MAX_YEARS = 60
HORIZON_YEARS = (1, 3, 5, 10)
MAX_HORIZON_YEARS_TYPED = 30
MAX_HORIZON_YEARS_AHEAD = 40
OTHER = "other"
TYPED = "typed"  # the button that keeps a typed path as typed, when it also sounded like a catalog role
TYPED_PATH = "typed_path"


# -- the current role -------------------------------------------------------------------------------
def read_role(text: str, hints: Hints) -> Reading[str]:
    role = clean(text)
    if len(role) > MAX_ROLE_CHARS:
        return Unclear(
            hints.t.gettext(
                "That is {count} characters; please keep your role under {limit}. A title and field is enough."
            ).format(count=len(role), limit=MAX_ROLE_CHARS)
        )
    return Understood(role)


class CurrentRole(Question[str]):
    def prompt(self, ctx: FlowContext) -> str:
        return ctx._(
            "First, what is your current role? A job title and field is enough, e.g. “IT infrastructure manager at a bank”."
        )

    async def keep(self, ctx: FlowContext, answer: str) -> str | None:
        (await users.profile_for_update(ctx.session, ctx.user_id)).current_role = answer
        return None


# -- years of experience ----------------------------------------------------------------------------
def read_years(text: str, hints: Hints) -> Reading[int]:
    """ "22", "22년", "22년차", "about 22 years"."""
    result = parse_years(text)
    years = result.value if isinstance(result, Read) else None
    if years is None or not 0 <= years <= MAX_YEARS:
        return Unclear(hints.t.gettext("Please type a whole number of years from 0 to 60, for example 22."))
    return Understood(years)


class Experience(Question[int]):
    def prompt(self, ctx: FlowContext) -> str:
        return ctx._("How many years have you worked in total? Type a number from 0 to 60.")

    async def keep(self, ctx: FlowContext, answer: int) -> str | None:
        (await users.profile_for_update(ctx.session, ctx.user_id)).years_experience = answer
        return None


# -- the target path --------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Target:
    """A role from the catalog (``key``) or a path in the user's own words (``custom``)."""

    key: str | None = None
    custom: str | None = None


def read_target(text: str, hints: Hints) -> Reading[Target]:
    typed = clean(text)
    if not typed or len(typed) > MAX_ROLE_CHARS:
        return Unclear(
            hints.t.gettext("Please name the path in under {limit} characters.").format(limit=MAX_ROLE_CHARS)
        )
    wanted = typed.casefold()
    for key, role in hints.content.roles.items():
        if wanted in (role.name.en.casefold(), role.name.ko.casefold(), key):
            return Understood(Target(key=key))
    found = match_role(hints.content, typed)
    if found is not None:  # the typed path clearly means a catalog role: offer it, and keeping the words
        return Ambiguous(
            (Target(key=found.key), Target(custom=typed)),
            hints.t.gettext(
                "“{path}” sounds like {role}. Shall I use that path, with its skills and certifications?"
            ).format(path=typed, role=found.name.get(hints.language)),
        )
    return Understood(Target(custom=typed))


class TargetPath(Question[Target]):
    """The second career: one of the catalog's roles, or "Something else" typed in the user's words."""

    columns = 2

    def prompt(self, ctx: FlowContext) -> str:
        return ctx._("Which second career are you preparing for? Pick one, or type your own.")

    def options(self, ctx: FlowContext) -> Sequence[Target]:
        return [Target(key=key) for key in ctx.content.roles] + [Target()]

    def label(self, ctx: FlowContext, value: Target) -> str:
        role = ctx.content.roles.get(value.key or "")
        if role is not None:
            return role.name.get(ctx.language)
        if value.custom:
            return ctx._("Keep my words: {path}").format(path=value.custom)
        return ctx._("Something else")

    def encode(self, value: Target) -> str:
        return value.key or (TYPED if value.custom else OTHER)

    def decode(self, ctx: FlowContext, pressed: str) -> Understood[Target] | None:
        typed = ctx.hint(TYPED_PATH)
        if pressed == TYPED and typed:
            return Understood(Target(custom=typed))
        return Understood(Target(key=pressed)) if pressed in ctx.content.roles else None

    async def read(self, ctx: FlowContext, step: str, typed: str, accept: Answered[Target]) -> list[Reply]:
        ctx.remember(TYPED_PATH, clean(typed)[:MAX_ROLE_CHARS])  # for the "keep my words" button
        return await super().read(ctx, step, typed, accept)

    async def pressed(
        self, ctx: FlowContext, step: str, pressed: str, accept: Answered[Target]
    ) -> list[Reply]:
        if pressed == OTHER:
            return [ctx.ask(step, ctx._("Type the path you have in mind, in a few words."))]
        return await super().pressed(ctx, step, pressed, accept)

    async def keep(self, ctx: FlowContext, answer: Target) -> str | None:
        profile = await users.profile_for_update(ctx.session, ctx.user_id)
        profile.target_role, profile.target_role_custom = answer.key, answer.custom
        return None


# -- the horizon ------------------------------------------------------------------------------------
def read_horizon(text: str, hints: Hints) -> Reading[int | date]:
    """A date or a horizon: "2030-06-30", "2030", "2032년 6월", "June 13, 2027", "4개월 안에", "in 2 years",
    or a bare number of years ("5"). A month or a year is read as its last day (ready by then)."""
    _ = hints.t.gettext
    bare = parse_number(text)
    if (
        isinstance(bare, Read)
        and bare.value == int(bare.value)
        and 1 <= bare.value <= MAX_HORIZON_YEARS_TYPED
    ):
        return Understood(int(bare.value))
    local = hints.local_now
    result = parse_when(text, today=local.date(), now=local.replace(tzinfo=None))
    if isinstance(result, Several):
        days = tuple(dict.fromkeys(when.last for when in result.candidates))
        checked = [_horizon_checked(day, local.date(), hints) for day in days]
        fine = tuple(day for day, problem in zip(days, checked, strict=True) if problem is None)
        if len(fine) == 1:
            return Understood(fine[0])
        if fine:
            return Ambiguous(fine, _("Which date do you mean?"))
        return checked[0] or Unclear()
    if not isinstance(result, Read):
        return Unclear(_("I could not read that as a date. Type it like 2030-06-30, or pick a horizon."))
    return _horizon_checked(result.value.last, local.date(), hints) or Understood(result.value.last)


def _horizon_checked(when: date, today: date, hints: Hints) -> Unclear | None:
    """Why ``when`` cannot be a horizon, or ``None`` when it can."""
    _ = hints.t.gettext
    if when <= today:
        return Unclear(_("That date has already passed. Please give a date in the future."))
    if when.year > today.year + MAX_HORIZON_YEARS_AHEAD:
        return Unclear(_("That is more than 40 years away. Please pick a nearer date."))
    return None


def years_from(today: date, years: int) -> date:
    try:
        return today.replace(year=today.year + years)
    except ValueError:  # 29 February
        return today.replace(year=today.year + years, day=28)


class Horizon(Question[int | date]):
    """By when the user wants to be ready: a date, or a number of years from today."""

    columns = 4

    def prompt(self, ctx: FlowContext) -> str:
        return ctx._(
            "By when do you want to be ready for it? Pick a horizon, or type a date such as 2030-06-30."
        )

    def options(self, ctx: FlowContext) -> Sequence[int | date]:
        return HORIZON_YEARS

    def label(self, ctx: FlowContext, value: int | date) -> str:
        if isinstance(value, date):
            return ctx.t.date(value)
        return ctx.ngettext("{n} year", "{n} years", value).format(n=value)

    def encode(self, value: int | date) -> str:
        return value.isoformat() if isinstance(value, date) else str(value)

    def decode(self, ctx: FlowContext, pressed: str) -> Understood[int | date] | None:
        if pressed.isdigit() and 1 <= int(pressed) <= MAX_HORIZON_YEARS_TYPED:
            return Understood(int(pressed))
        try:
            when = date.fromisoformat(pressed)
        except ValueError:
            return None
        today = ctx.now.astimezone(ZoneInfo(ctx.user.timezone)).date()
        return (
            Understood(when) if today < when and when.year <= today.year + MAX_HORIZON_YEARS_AHEAD else None
        )

    async def keep(self, ctx: FlowContext, answer: int | date) -> str | None:
        when = answer if isinstance(answer, date) else years_from(ctx.now.date(), answer)
        (await users.profile_for_update(ctx.session, ctx.user_id)).horizon_date = when
        return None


CURRENT_ROLE = CurrentRole(read_role)
EXPERIENCE = Experience(read_years)
TARGET = TargetPath(read_target)
HORIZON = Horizon(read_horizon)
