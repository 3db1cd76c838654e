"""Settings (/settings): language, time zone, check-in day and time, pausing and resuming check-ins.

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
from coach.schedule import refresh_next_checkin
from coach.timezones import describe

LANGUAGES = {"en": "English", "ko": "한국어"}
PAUSE_WEEKS = (1, 2, 4)


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
        ]
        pause = (_("Resume check-ins"), "resume") if user.checkins_paused else (_("Pause check-ins"), "pause")
        choices = [
            (_("Language"), "language"),
            (_("Time zone"), "timezone"),
            (_("Check-in day"), "day"),
            (_("Check-in time"), "hour"),
            pause,
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
            if value == "done":
                ctx.finish()
                return [Reply(_("Settings saved."), choices=ctx.services["router"].shortcuts(ctx))]
            return await self._menu_choice(ctx, value)
        if step == "language" and value in LANGUAGES:
            ctx.user.language = value
            ctx.t = translator(value)
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
        return await super().on_text(ctx, text)

    async def _pause_until(self, ctx: FlowContext, until: date) -> list[Reply]:
        ctx.user.checkins_paused, ctx.user.paused_until = True, until
        return await self._after_answer(
            ctx, ctx._("Check-ins are paused until {date}.").format(date=ctx.t.date(until))
        )

    async def _menu_choice(self, ctx: FlowContext, value: str) -> list[Reply]:
        if value in ("timezone", "day", "hour"):
            return await super()._menu_choice(ctx, value)
        return [self._choose_please(ctx)]


flow = Settings()
