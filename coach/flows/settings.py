"""Settings (/settings): language, time zone, check-in day and time, pausing and resuming check-ins,
skipping public holidays and the follow-up after an unanswered check-in.

The language, time zone, day and time are the same question objects onboarding asks
(:mod:`coach.flows.questions.schedule`); here each answer returns to the settings menu.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from coach.ai.assistant import agreed, assistant, set_consent
from coach.context import FlowContext
from coach.draft import Draft
from coach.flows.base import On, StepFlow
from coach.flows.questions.schedule import CHECKIN_DAY, CHECKIN_TIME, LANGUAGE, LANGUAGES, TIMEZONE
from coach.i18n import N_
from coach.messages import Reply
from coach.profile_text import checkin_text
from coach.public_holidays import country_for_timezone, country_name, parse_country
from coach.schedule import refresh_next_checkin
from coach.timezones import describe
from coach.understanding import Understood, parse_when

PAUSE_WEEKS = (1, 2, 4)
FOLLOWUP_HOURS = (24, 48, 72)
HOLIDAY_COUNTRIES = ("KR", "US", "JP", "GB")  # offered besides the one the time zone suggests


class Step(StrEnum):
    MENU = "menu"
    LANGUAGE = "language"
    TIMEZONE = "timezone"
    DAY = "day"
    HOUR = "hour"
    PAUSE = "pause"
    PAUSE_DATE = "pause_date"
    HOLIDAYS = "holidays"
    FOLLOWUP = "followup"


class Settings(StepFlow[Step, Draft]):
    name = "settings"
    commands = {"settings": N_("Language, time zone, check-in time, pause or resume")}
    steps = Step
    draft_type = Draft
    formerly = {("settings", "timezone_pick"): Step.TIMEZONE}

    def table(self) -> Mapping[Step, On]:
        return {
            Step.MENU: On(choice=self.menu_choice),
            Step.LANGUAGE: LANGUAGE.at(Step.LANGUAGE, then=self.saved),
            Step.TIMEZONE: TIMEZONE.at(Step.TIMEZONE, then=self.saved),
            Step.DAY: CHECKIN_DAY.at(Step.DAY, then=self.saved),
            Step.HOUR: CHECKIN_TIME.at(Step.HOUR, then=self.saved),
            Step.PAUSE: On(enter=self.ask_pause, choice=self.pause_chosen),
            Step.PAUSE_DATE: On(text=self.pause_date_typed),
            Step.HOLIDAYS: On(enter=self.ask_holidays, text=self.country_typed, choice=self.country_chosen),
            Step.FOLLOWUP: On(enter=self.ask_followup, choice=self.followup_chosen),
        }

    async def begin(self, ctx: FlowContext, command: str, args: str) -> list[Reply]:
        ctx.finish()
        ctx.enter(self.name)
        return [self._menu(ctx, "")]

    def _menu(self, ctx: FlowContext, intro: str) -> Reply:
        _ = ctx._
        user = ctx.user
        lines = [
            _("*Settings*"),
            _("Language: {value}").format(value=LANGUAGES[ctx.language]),
            _("Time zone: {value}").format(value=describe(user.timezone, ctx.language, ctx.now)),
            _("Weekly check-in: {value}").format(value=checkin_text(user, ctx.t)),
            _("Public holidays: {value}").format(value=self._holidays_text(ctx)),
            _("Follow-up: {value}").format(value=self._followup_text(ctx)),
        ]
        ai = assistant(ctx)
        if ai is not None:  # no model configured: nothing about AI is shown
            state = _("on, a model run by {provider}") if agreed(ctx) else _("off")
            lines.append(_("AI answers: {value}").format(value=state.format(provider=ai.provider or "?")))
        pause = (_("Resume check-ins"), "resume") if user.checkins_paused else (_("Pause check-ins"), "pause")
        choices = [
            (_("Language"), Step.LANGUAGE.value),
            (_("Time zone"), Step.TIMEZONE.value),
            (_("Check-in day"), Step.DAY.value),
            (_("Check-in time"), Step.HOUR.value),
            pause,
            (_("Holidays"), Step.HOLIDAYS.value),
            (_("Follow-up"), Step.FOLLOWUP.value),
        ]
        if ai is not None:
            choices.append((_("Turn AI answers off") if agreed(ctx) else _("Turn AI answers on"), "ai"))
        choices.append((_("Done"), "done"))
        text = (intro + "\n\n" if intro else "") + "\n".join(lines)
        return ctx.ask(Step.MENU, text, choices, ask=None, columns=2)

    async def saved(self, ctx: FlowContext, note: str | None = None) -> list[Reply]:
        """Back to the menu after a change, with the next check-in moved to match."""
        refresh_next_checkin(ctx.user, ctx.now)
        replies = [Reply(note)] if note else []
        return replies + [self._menu(ctx, ctx._("Saved."))]

    async def menu_choice(self, ctx: FlowContext, value: str) -> list[Reply]:
        _ = ctx._
        if value == "done":
            ctx.finish()
            return [Reply(ctx._("Settings saved."), choices=ctx.shortcuts())]
        if value == "ai" and assistant(ctx) is not None:
            set_consent(ctx, not agreed(ctx))
            note = (
                _("AI answers are on.") if agreed(ctx) else _("AI answers are off: Encore's own words only.")
            )
            return await self.saved(ctx, note)
        if value == "resume":
            ctx.user.checkins_paused, ctx.user.paused_until = False, None
            return await self.saved(ctx, ctx._("Check-ins are back on."))
        step = next((step for step in Step if step.value == value and step is not Step.MENU), None)
        if step is None or step is Step.PAUSE_DATE:
            return [ctx.choose_please()]
        return [await self.enter(ctx, step)]

    # -- pausing --------------------------------------------------------------------------------------
    async def ask_pause(self, ctx: FlowContext) -> Reply:
        _ = ctx._
        choices = [(ctx.ngettext("{n} week", "{n} weeks", n).format(n=n), str(n)) for n in PAUSE_WEEKS]
        choices += [(_("Until a date"), "date"), (_("Until I resume"), "always")]
        return ctx.ask(
            Step.PAUSE, _("Pause the weekly check-ins for how long?"), choices, ask=None, columns=3
        )

    async def pause_chosen(self, ctx: FlowContext, value: str) -> list[Reply]:
        _ = ctx._
        if value == "date":
            return [ctx.ask(Step.PAUSE_DATE, _("Until which date? Type it like 2027-01-15."))]
        if value == "always":
            ctx.user.checkins_paused, ctx.user.paused_until = True, None
            return await self.saved(ctx, _("Check-ins are paused until you resume them here."))
        if value.isdigit() and int(value) in PAUSE_WEEKS:
            return await self._pause_until(ctx, ctx.now.date() + timedelta(weeks=int(value)))
        return [ctx.choose_please()]

    async def pause_date_typed(self, ctx: FlowContext, text: str) -> list[Reply]:
        """A date ("2027-01-15", "1월 15일", "in 3 weeks"); a month or a year pauses until it begins."""
        local = ctx.now.astimezone(ZoneInfo(ctx.user.timezone))
        result = parse_when(text, today=local.date(), now=local.replace(tzinfo=None))
        when = result.value if isinstance(result, Understood) else None
        until = None if when is None else when.last if when.relative else when.first
        if until is None or until <= local.date():
            return [Reply(ctx._("Please type a future date like 2027-01-15."), ask="short")]
        return await self._pause_until(ctx, until)

    async def _pause_until(self, ctx: FlowContext, until: date) -> list[Reply]:
        ctx.user.checkins_paused, ctx.user.paused_until = True, until
        return await self.saved(
            ctx, ctx._("Check-ins are paused until {date}.").format(date=ctx.t.date(until))
        )

    # -- public holidays ------------------------------------------------------------------------------
    def _holidays_text(self, ctx: FlowContext) -> str:
        country = ctx.user.holiday_country
        if not country:
            return ctx._("check-ins go ahead")
        return ctx._("skipped in {country}").format(country=country_name(country, ctx.language))

    async def ask_holidays(self, ctx: FlowContext) -> Reply:
        _ = ctx._
        suggested = country_for_timezone(ctx.user.timezone)
        codes = [c for c in (ctx.user.holiday_country, suggested) if c]
        codes += [c for c in HOLIDAY_COUNTRIES if c not in codes]
        choices = [(country_name(code, ctx.language), code) for code in codes[:5]]
        choices.append((_("Don't skip holidays"), "off"))
        return ctx.ask(
            Step.HOLIDAYS,
            _(
                "Shall I skip check-ins that fall on a public holiday? Pick the country whose holidays you "
                "keep, or type its name."
            ),
            choices,
            columns=2,
        )

    async def country_chosen(self, ctx: FlowContext, value: str) -> list[Reply]:
        if value == "off":
            ctx.user.holiday_country = None
            return await self.saved(ctx, ctx._("Check-ins no longer skip public holidays."))
        country = parse_country(value)
        return [ctx.choose_please()] if country is None else await self._skip_holidays_of(ctx, country)

    async def country_typed(self, ctx: FlowContext, text: str) -> list[Reply]:
        country = parse_country(text)
        if country is None:
            return [
                Reply(
                    ctx._(
                        "I don't know public holidays for a country by that name. Type a country such as "
                        "Korea or 대한민국, or its two-letter code such as KR."
                    ),
                    ask="short",
                )
            ]
        return await self._skip_holidays_of(ctx, country)

    async def _skip_holidays_of(self, ctx: FlowContext, country: str) -> list[Reply]:
        ctx.user.holiday_country = country
        return await self.saved(
            ctx,
            ctx._("Check-ins that fall on a public holiday in {country} will be skipped.").format(
                country=country_name(country, ctx.language)
            ),
        )

    # -- the follow-up --------------------------------------------------------------------------------
    def _followup_text(self, ctx: FlowContext) -> str:
        hours = ctx.user.followup_hours
        if hours <= 0:
            return ctx._("none")
        return ctx.ngettext(
            "{n} hour after an unanswered check-in", "{n} hours after an unanswered check-in", hours
        ).format(n=hours)

    async def ask_followup(self, ctx: FlowContext) -> Reply:
        _ = ctx._
        choices = [
            (ctx.ngettext("After {n} hour", "After {n} hours", n).format(n=n), str(n)) for n in FOLLOWUP_HOURS
        ]
        choices.append((_("No follow-up"), "0"))
        question = _("If a check-in goes unanswered, I send one gentle follow-up. After how long?")
        return ctx.ask(Step.FOLLOWUP, question, choices, ask=None, columns=2)

    async def followup_chosen(self, ctx: FlowContext, value: str) -> list[Reply]:
        if value.isdigit() and int(value) in (0, *FOLLOWUP_HOURS):
            ctx.user.followup_hours = int(value)
            return await self.saved(ctx)
        return [ctx.choose_please()]


flow = Settings()
