"""Onboarding (/start): where the user stands, where they want to go, and when to check in.

Every answer is saved the moment it is given, so a user who stops half-way loses nothing; /start on a
finished profile offers to edit one answer at a time instead of starting over.
"""

from __future__ import annotations

from datetime import date

from coach import actions
from coach.context import FlowContext
from coach.flows.base import Flow
from coach.i18n import N_
from coach.messages import Choice, Reply
from coach.parsing import clean, parse_clock, parse_date, parse_int, parse_year
from coach.profile_text import profile_summary
from coach.schedule import refresh_next_checkin
from coach.timezones import describe, is_valid_timezone, parse_timezone
from storage import users

MAX_ROLE_CHARS = 200
MAX_YEARS = 60
HORIZON_YEARS = (1, 3, 5, 10)
HOURS = (7, 8, 9, 12, 18, 20, 21)
COMMON_ZONES = ("Asia/Seoul", "Asia/Tokyo", "UTC", "Europe/London", "America/New_York", "America/Los_Angeles")
MENU = ("role", "years", "target", "horizon", "day", "hour", "timezone")


class Onboarding(Flow):
    name = "onboarding"
    commands = {"start": N_("Set up or edit your profile")}

    async def begin(self, ctx: FlowContext, command: str, args: str) -> list[Reply]:
        _ = ctx._
        ctx.enter(self.name)
        profile = await users.get_profile(ctx.session, ctx.user_id)
        if profile is not None and profile.completed_at is not None:
            ctx.remember(editing=True)
            return [
                await self._menu(
                    ctx, _("Welcome back. Your profile is kept as it is; change any part of it below.")
                )
            ]
        welcome = Reply(
            _(
                "Hello, I'm Encore, a coach for your second career.\n\n"
                "Each week I'll help you take one honest step: reflect on where you stand, measure the gap to "
                "the role you want, and keep your study on pace.\n\n"
                "What you tell me is private: it is stored only for you, and /export or /delete give it "
                "back or erase it at any time."
            )
        )
        if profile is not None and profile.current_role:
            # They stopped half-way earlier: continue at the first unanswered question.
            return [welcome, await self._next_unanswered(ctx)]
        return [welcome, self._ask_role(ctx)]

    async def on_text(self, ctx: FlowContext, text: str) -> list[Reply]:
        handler = {
            "role": self._answer_role,
            "years": self._answer_years,
            "target": self._answer_target,
            "horizon": self._answer_horizon,
            "day": self._answer_day_text,
            "hour": self._answer_hour,
            "timezone": self._answer_timezone,
            "timezone_pick": self._answer_timezone,
        }.get(ctx.state.step or "")
        if handler is None:
            return [self._choose_please(ctx)]
        return await handler(ctx, text)

    async def on_choice(self, ctx: FlowContext, value: str) -> list[Reply]:
        step = ctx.state.step
        if step == "menu":
            return await self._menu_choice(ctx, value)
        if step == "target":
            return await self._choose_target(ctx, value)
        if step == "horizon":
            return await self._set_horizon(ctx, None, years=int(value)) if value.isdigit() else []
        if step in ("day", "hour") and not value.isdigit():  # a forged press: values we make are numbers
            return [self._choose_please(ctx)]
        if step == "day":
            return await self._set_day(ctx, int(value))
        if step == "hour":
            return await self._set_hour(ctx, int(value), 0)
        if step in ("timezone", "timezone_pick"):
            offered = ctx.data.get("zones", [])
            if not value.isdigit() or int(value) >= len(offered):
                return [self._choose_please(ctx)]
            return await self._set_timezone(ctx, offered[int(value)], fixed=False)
        if step == "done" and value == "later":
            ctx.finish()
            return [Reply(ctx._("Fine. Whenever you are ready, send /reflect."))]
        return []

    # -- questions --------------------------------------------------------------------------------
    def _ask_role(self, ctx: FlowContext) -> Reply:
        _ = ctx._
        return ctx.ask(
            "role",
            _(
                "First, what is your current role? A job title and field is enough, e.g. “IT infrastructure manager at a bank”."
            ),
        )

    def _ask_years(self, ctx: FlowContext) -> Reply:
        _ = ctx._
        return ctx.ask(
            "years",
            _("How many years have you worked in total? Type a number from 0 to 60."),
        )

    def _ask_target(self, ctx: FlowContext) -> Reply:
        _ = ctx._
        choices = [(role.name.get(ctx.language), key) for key, role in ctx.content.roles.items()]
        choices.append((_("Something else"), "other"))
        return ctx.ask(
            "target",
            _("Which second career are you preparing for? Pick one, or type your own."),
            choices,
            columns=2,
        )

    def _ask_horizon(self, ctx: FlowContext) -> Reply:
        _ = ctx._
        choices = [(ctx.ngettext("{n} year", "{n} years", n).format(n=n), str(n)) for n in HORIZON_YEARS]
        return ctx.ask(
            "horizon",
            _("By when do you want to be ready for it? Pick a horizon, or type a date such as 2030-06-30."),
            choices,
            columns=4,
        )

    def _ask_day(self, ctx: FlowContext) -> Reply:
        _ = ctx._
        return ctx.ask(
            "day",
            _("Which day of the week suits a short weekly check-in?"),
            [(ctx.t.weekday(i), str(i)) for i in range(7)],
            ask=None,
            columns=4,
        )

    def _ask_hour(self, ctx: FlowContext) -> Reply:
        _ = ctx._
        return ctx.ask(
            "hour",
            _("At what time? Pick one, or type a time such as 07:30 or 9pm."),
            [(f"{h:02d}:00", str(h)) for h in HOURS],
            columns=4,
        )

    def _ask_timezone(self, ctx: FlowContext) -> Reply:
        _ = ctx._
        current = ctx.user.timezone
        zones = ([current] + [z for z in COMMON_ZONES if z != current])[:6]
        return self._offer_zones(
            ctx,
            "timezone",
            _(
                "Which time zone are you in? Pick one, or type a city (Seoul, 부산, London) or an offset such as +09:00."
            ),
            zones,
        )

    def _offer_zones(self, ctx: FlowContext, step: str, text: str, zones: list[str]) -> Reply:
        ctx.remember(zones=zones)
        choices = [(describe(z, ctx.language, ctx.now), str(i)) for i, z in enumerate(zones)]
        return ctx.ask(step, text, choices, columns=2)

    async def _next_unanswered(self, ctx: FlowContext) -> Reply:
        profile = await users.profile_for_update(ctx.session, ctx.user_id)
        if not profile.current_role:
            return self._ask_role(ctx)
        if profile.years_experience is None:
            return self._ask_years(ctx)
        if not (profile.target_role or profile.target_role_custom):
            return self._ask_target(ctx)
        if profile.horizon_date is None:
            return self._ask_horizon(ctx)
        if ctx.user.checkin_weekday is None:
            return self._ask_day(ctx)
        if ctx.user.checkin_hour is None:
            return self._ask_hour(ctx)
        if not ctx.data.get("timezone_confirmed"):
            return self._ask_timezone(ctx)
        return await self._complete(ctx)

    async def _after_answer(self, ctx: FlowContext, note: str | None = None) -> list[Reply]:
        replies = [Reply(note)] if note else []
        if ctx.data.get("editing"):
            refresh_next_checkin(ctx.user, ctx.now)
            return replies + [await self._menu(ctx, ctx._("Saved."))]
        return replies + [await self._next_unanswered(ctx)]

    # -- answers ----------------------------------------------------------------------------------
    async def _answer_role(self, ctx: FlowContext, text: str) -> list[Reply]:
        _ = ctx._
        role = clean(text)
        if len(role) > MAX_ROLE_CHARS:
            return [
                Reply(
                    _(
                        "That is {count} characters; please keep your role under {limit}. A title and field is enough."
                    ).format(count=len(role), limit=MAX_ROLE_CHARS),
                    ask="short",
                )
            ]
        profile = await users.profile_for_update(ctx.session, ctx.user_id)
        profile.current_role = role
        return await self._after_answer(ctx)

    async def _answer_years(self, ctx: FlowContext, text: str) -> list[Reply]:
        _ = ctx._
        years = parse_int(text)
        if years is None or not 0 <= years <= MAX_YEARS:
            return [
                Reply(_("Please type a whole number of years from 0 to 60, for example 22."), ask="short")
            ]
        profile = await users.profile_for_update(ctx.session, ctx.user_id)
        profile.years_experience = years
        return await self._after_answer(ctx)

    async def _answer_target(self, ctx: FlowContext, text: str) -> list[Reply]:
        _ = ctx._
        typed = clean(text)
        if not typed or len(typed) > MAX_ROLE_CHARS:
            return [
                Reply(
                    _("Please name the path in under {limit} characters.").format(limit=MAX_ROLE_CHARS),
                    ask="short",
                )
            ]
        wanted = typed.casefold()
        for key, role in ctx.content.roles.items():
            if wanted in (role.name.en.casefold(), role.name.ko.casefold(), key):
                return await self._choose_target(ctx, key)
        profile = await users.profile_for_update(ctx.session, ctx.user_id)
        profile.target_role, profile.target_role_custom = None, typed
        return await self._after_answer(ctx)

    async def _choose_target(self, ctx: FlowContext, key: str) -> list[Reply]:
        if key == "other":
            return [ctx.ask("target", ctx._("Type the path you have in mind, in a few words."))]
        if key not in ctx.content.roles:
            return [self._choose_please(ctx)]
        profile = await users.profile_for_update(ctx.session, ctx.user_id)
        profile.target_role, profile.target_role_custom = key, None
        return await self._after_answer(ctx)

    async def _answer_horizon(self, ctx: FlowContext, text: str) -> list[Reply]:
        _ = ctx._
        when = parse_date(text)
        year = parse_year(text)
        if when is None and year is not None:
            when = date(year, 12, 31) if year <= 9999 else None
        if when is None:
            years = parse_int(text)
            if years is not None and 1 <= years <= 30:
                return await self._set_horizon(ctx, None, years=years)
            return [
                Reply(
                    _("I could not read that as a date. Type it like 2030-06-30, or pick a horizon."),
                    ask="short",
                )
            ]
        today = ctx.now.date()
        if when <= today:
            return [Reply(_("That date has already passed. Please give a date in the future."), ask="short")]
        if when.year > today.year + 40:
            return [Reply(_("That is more than 40 years away. Please pick a nearer date."), ask="short")]
        return await self._set_horizon(ctx, when)

    async def _set_horizon(self, ctx: FlowContext, when: date | None, *, years: int = 0) -> list[Reply]:
        if when is None:
            today = ctx.now.date()
            try:
                when = today.replace(year=today.year + years)
            except ValueError:  # 29 February
                when = today.replace(year=today.year + years, day=28)
        profile = await users.profile_for_update(ctx.session, ctx.user_id)
        profile.horizon_date = when
        return await self._after_answer(ctx)

    async def _answer_day_text(self, ctx: FlowContext, text: str) -> list[Reply]:
        wanted = clean(text).casefold()
        for index in range(7):
            names = {ctx.t.weekday(index, width).casefold() for width in ("wide", "abbreviated", "short")}
            if wanted in names:
                return await self._set_day(ctx, index)
        return [self._choose_please(ctx)]

    async def _set_day(self, ctx: FlowContext, weekday: int) -> list[Reply]:
        if not 0 <= weekday <= 6:
            return [self._choose_please(ctx)]
        ctx.user.checkin_weekday = weekday
        return await self._after_answer(ctx)

    async def _answer_hour(self, ctx: FlowContext, text: str) -> list[Reply]:
        at = parse_clock(text)
        if at is None:
            return [Reply(ctx._("Please type a time of day such as 07:30, 21:00 or 9pm."), ask="short")]
        return await self._set_hour(ctx, at.hour, at.minute)

    async def _set_hour(self, ctx: FlowContext, hour: int, minute: int) -> list[Reply]:
        if not (0 <= hour <= 23 and 0 <= minute <= 59):
            return [self._choose_please(ctx)]
        ctx.user.checkin_hour, ctx.user.checkin_minute = hour, minute
        return await self._after_answer(ctx)

    async def _answer_timezone(self, ctx: FlowContext, text: str) -> list[Reply]:
        _ = ctx._
        guess = parse_timezone(text, now=ctx.now)
        if guess.out_of_range:
            return [
                Reply(
                    _(
                        "UTC offsets run from -12:00 to +14:00. Please type a city or an offset such as +09:00."
                    ),
                    ask="short",
                )
            ]
        if guess.zone:
            return await self._set_timezone(ctx, guess.zone, fixed=guess.fixed_offset)
        if guess.candidates:
            return [
                self._offer_zones(
                    ctx,
                    "timezone_pick",
                    _("That could be more than one time zone. Which one do you mean?"),
                    list(guess.candidates),
                )
            ]
        return [
            Reply(
                _(
                    "I don't know a time zone by that name. Try a big city near you, such as Seoul, or an offset like +09:00."
                ),
                ask="short",
            )
        ]

    async def _set_timezone(self, ctx: FlowContext, zone: str, *, fixed: bool) -> list[Reply]:
        if not is_valid_timezone(zone):
            return [self._choose_please(ctx)]
        ctx.user.timezone = zone
        ctx.remember(timezone_confirmed=True)
        note = (
            ctx._(
                "A fixed offset does not follow daylight-saving time; type your city instead if yours does."
            )
            if fixed
            else None
        )
        return await self._after_answer(ctx, note)

    async def _complete(self, ctx: FlowContext) -> Reply:
        _ = ctx._
        profile = await users.profile_for_update(ctx.session, ctx.user_id)
        if profile.completed_at is None:
            profile.completed_at = ctx.now
            ctx.complete()
        refresh_next_checkin(ctx.user, ctx.now)
        summary = profile_summary(profile, ctx.user, ctx.content, ctx.t, ctx.now)
        reply = ctx.ask(
            "done",
            _("All set. Here is what I have:")
            + "\n\n"
            + summary
            + "\n\n"
            + _("Shall we start with a first reflection? It takes about five minutes."),
            [(_("Later"), "later")],
            ask=None,
            extra_choices=[Choice(_("Start a reflection"), actions.shortcut("reflect"))],
        )
        return reply

    # -- editing a finished profile --------------------------------------------------------------
    async def _menu(self, ctx: FlowContext, intro: str) -> Reply:
        _ = ctx._
        profile = await users.get_profile(ctx.session, ctx.user_id)
        summary = profile_summary(profile, ctx.user, ctx.content, ctx.t, ctx.now)
        labels = {
            "role": _("Current role"),
            "years": _("Experience"),
            "target": _("Target path"),
            "horizon": _("Ready by"),
            "day": _("Check-in day"),
            "hour": _("Check-in time"),
            "timezone": _("Time zone"),
        }
        choices = [(labels[key], key) for key in MENU] + [(_("Done"), "done")]
        return ctx.ask("menu", intro + "\n\n" + summary, choices, ask=None, columns=2)

    async def _menu_choice(self, ctx: FlowContext, value: str) -> list[Reply]:
        if value == "done":
            ctx.finish()
            return [Reply(ctx._("Your profile is saved."), choices=ctx.services["router"].shortcuts(ctx))]
        questions = {
            "role": self._ask_role,
            "years": self._ask_years,
            "target": self._ask_target,
            "horizon": self._ask_horizon,
            "day": self._ask_day,
            "hour": self._ask_hour,
            "timezone": self._ask_timezone,
        }
        question = questions.get(value)
        return [question(ctx)] if question else [self._choose_please(ctx)]


flow = Onboarding()
