"""Settings (/settings): language, time zone, check-in day and time, pausing and resuming check-ins,
skipping public holidays and the follow-up after an unanswered check-in.

It asks its questions the way onboarding does (same parsing, same buttons), but returns to the settings
menu after each answer.
"""

from __future__ import annotations

from datetime import date, timedelta

from coach.context import FlowContext
from coach.flows.onboarding import Onboarding
from coach.i18n import N_, translator
from coach.messages import Reply
from coach.parsing import parse_date
from coach.profile_text import checkin_text
from coach.public_holidays import country_for_timezone, country_name, parse_country
from coach.schedule import refresh_next_checkin
from coach.timezones import describe

LANGUAGES = {"en": "English", "ko": "한국어"}
PAUSE_WEEKS = (1, 2, 4)
FOLLOWUP_HOURS = (24, 48, 72)
HOLIDAY_COUNTRIES = ("KR", "US", "JP", "GB")  # offered besides the one the time zone suggests


class Settings(Onboarding):
    name = "settings"
    commands = {"settings": N_("Language, time zone, check-in time, pause or resume")}

    async def begin(self, ctx: FlowContext, command: str, args: str) -> list[Reply]:
        ctx.finish()
        ctx.enter(self.name)
        return [self._settings_menu(ctx, "")]

    def _settings_menu(self, ctx: FlowContext, intro: str) -> Reply:
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
        pause = (_("Resume check-ins"), "resume") if user.checkins_paused else (_("Pause check-ins"), "pause")
        choices = [
            (_("Language"), "language"),
            (_("Time zone"), "timezone"),
            (_("Check-in day"), "day"),
            (_("Check-in time"), "hour"),
            pause,
            (_("Holidays"), "holidays"),
            (_("Follow-up"), "followup"),
            (_("Done"), "done"),
        ]
        text = (intro + "\n\n" if intro else "") + "\n".join(lines)
        return ctx.ask("menu", text, choices, ask=None, columns=2)

    async def _after_answer(self, ctx: FlowContext, note: str | None = None) -> list[Reply]:
        refresh_next_checkin(ctx.user, ctx.now)
        replies = [Reply(note)] if note else []
        return replies + [self._settings_menu(ctx, ctx._("Saved."))]

    async def on_choice(self, ctx: FlowContext, value: str) -> list[Reply]:
        _ = ctx._
        step = ctx.state.step
        if step == "menu":
            if value == "language":
                choices = [(name, code) for code, name in LANGUAGES.items()]
                return [ctx.ask("language", _("Which language shall I use?"), choices, ask=None)]
            if value == "pause":
                choices = [
                    (ctx.ngettext("{n} week", "{n} weeks", n).format(n=n), str(n)) for n in PAUSE_WEEKS
                ]
                choices += [(_("Until a date"), "date"), (_("Until I resume"), "always")]
                return [
                    ctx.ask(
                        "pause", _("Pause the weekly check-ins for how long?"), choices, ask=None, columns=3
                    )
                ]
            if value == "resume":
                ctx.user.checkins_paused, ctx.user.paused_until = False, None
                return await self._after_answer(ctx, _("Check-ins are back on."))
            if value == "holidays":
                return [self._ask_holidays(ctx)]
            if value == "followup":
                choices = [
                    (ctx.ngettext("After {n} hour", "After {n} hours", n).format(n=n), str(n))
                    for n in FOLLOWUP_HOURS
                ]
                choices.append((_("No follow-up"), "0"))
                question = _("If a check-in goes unanswered, I send one gentle follow-up. After how long?")
                return [ctx.ask("followup", question, choices, ask=None, columns=2)]
            if value == "done":
                ctx.finish()
                return [Reply(_("Settings saved."), choices=ctx.shortcuts())]
            return await self._menu_choice(ctx, value)
        if step == "language" and value in LANGUAGES:
            ctx.user.language = value
            ctx.t = translator(value)
            return await self._after_answer(ctx)
        if step == "holidays":
            if value == "off":
                ctx.user.holiday_country = None
                return await self._after_answer(ctx, _("Check-ins no longer skip public holidays."))
            return await self._set_holidays(ctx, value)
        if step == "followup" and value.isdigit() and int(value) in (0, *FOLLOWUP_HOURS):
            ctx.user.followup_hours = int(value)
            return await self._after_answer(ctx)
        if step == "pause":
            if value == "date":
                return [ctx.ask("pause_date", _("Until which date? Type it like 2027-01-15."))]
            if value == "always":
                ctx.user.checkins_paused, ctx.user.paused_until = True, None
                return await self._after_answer(ctx, _("Check-ins are paused until you resume them here."))
            if value.isdigit() and int(value) in PAUSE_WEEKS:
                return await self._pause_until(ctx, ctx.now.date() + timedelta(weeks=int(value)))
        return await super().on_choice(ctx, value)

    async def on_text(self, ctx: FlowContext, text: str) -> list[Reply]:
        if ctx.state.step == "pause_date":
            until = parse_date(text)
            if until is None or until <= ctx.now.date():
                return [Reply(ctx._("Please type a future date like 2027-01-15."), ask="short")]
            return await self._pause_until(ctx, until)
        if ctx.state.step == "holidays":
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
            return await self._set_holidays(ctx, country)
        return await super().on_text(ctx, text)

    async def _pause_until(self, ctx: FlowContext, until: date) -> list[Reply]:
        ctx.user.checkins_paused, ctx.user.paused_until = True, until
        return await self._after_answer(
            ctx, ctx._("Check-ins are paused until {date}.").format(date=ctx.t.date(until))
        )

    def _holidays_text(self, ctx: FlowContext) -> str:
        country = ctx.user.holiday_country
        if not country:
            return ctx._("check-ins go ahead")
        return ctx._("skipped in {country}").format(country=country_name(country, ctx.language))

    def _followup_text(self, ctx: FlowContext) -> str:
        hours = ctx.user.followup_hours
        if hours <= 0:
            return ctx._("none")
        return ctx.ngettext(
            "{n} hour after an unanswered check-in", "{n} hours after an unanswered check-in", hours
        ).format(n=hours)

    def _ask_holidays(self, ctx: FlowContext) -> Reply:
        _ = ctx._
        suggested = country_for_timezone(ctx.user.timezone)
        codes = [c for c in (ctx.user.holiday_country, suggested) if c]
        codes += [c for c in HOLIDAY_COUNTRIES if c not in codes]
        choices = [(country_name(code, ctx.language), code) for code in codes[:5]]
        choices.append((_("Don't skip holidays"), "off"))
        return ctx.ask(
            "holidays",
            _(
                "Shall I skip check-ins that fall on a public holiday? Pick the country whose holidays you "
                "keep, or type its name."
            ),
            choices,
            columns=2,
        )

    async def _set_holidays(self, ctx: FlowContext, code: str) -> list[Reply]:
        country = parse_country(code)
        if country is None:
            return [self._choose_please(ctx)]
        ctx.user.holiday_country = country
        return await self._after_answer(
            ctx,
            ctx._("Check-ins that fall on a public holiday in {country} will be skipped.").format(
                country=country_name(country, ctx.language)
            ),
        )

    async def _menu_choice(self, ctx: FlowContext, value: str) -> list[Reply]:
        if value in ("timezone", "day", "hour"):
            return await super()._menu_choice(ctx, value)
        return [self._choose_please(ctx)]


flow = Settings()
