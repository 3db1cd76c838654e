"""Onboarding (/start): where the user stands, where they want to go, and when to check in.

Like a form, it asks the first question not yet answered; every answer is saved the moment it is given, so
a user who stops half-way loses nothing. /start on a finished profile offers to edit one answer at a time
instead of starting over. The questions are shared objects (:mod:`coach.flows.questions`): /settings asks
the check-in ones the same way. ``/start <payload>`` is what opening a deep link sends: the payload is a
link code, and the accounts are joined as ``/link`` joins them (:mod:`coach.flows.link`); a payload that
joins nothing gets a kind note, then the usual /start (unless it was the user's own link).
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from coach import actions
from coach.context import FlowContext
from coach.draft import Draft
from coach.flows import link
from coach.flows.base import On, StepFlow
from coach.flows.questions.profile import CURRENT_ROLE, EXPERIENCE, HORIZON, TARGET
from coach.flows.questions.schedule import CHECKIN_DAY, CHECKIN_TIME, TIMEZONE
from coach.i18n import N_
from coach.messages import Choice, Reply
from coach.profile_text import profile_summary
from coach.schedule import refresh_next_checkin
from storage import users


class Step(StrEnum):
    ROLE = "role"
    YEARS = "years"
    TARGET = "target"
    HORIZON = "horizon"
    DAY = "day"
    HOUR = "hour"
    TIMEZONE = "timezone"
    MENU = "menu"
    DONE = "done"


QUESTIONS = (Step.ROLE, Step.YEARS, Step.TARGET, Step.HORIZON, Step.DAY, Step.HOUR, Step.TIMEZONE)


class OnboardingDraft(Draft):
    editing: bool = False  # /start on a finished profile: each answer goes back to the menu
    timezone_confirmed: bool = False  # the zone was guessed from the platform until the user says it


class Onboarding(StepFlow[Step, OnboardingDraft]):
    name = "onboarding"
    commands = {"start": N_("Set up or edit your profile")}
    steps = Step
    draft_type = OnboardingDraft
    formerly = {("onboarding", "timezone_pick"): Step.TIMEZONE}
    takes_args = True  # a deep link's payload

    def table(self) -> Mapping[Step, On]:
        return {
            Step.ROLE: CURRENT_ROLE.at(Step.ROLE, then=self.answered),
            Step.YEARS: EXPERIENCE.at(Step.YEARS, then=self.answered),
            Step.TARGET: TARGET.at(Step.TARGET, then=self.answered),
            Step.HORIZON: HORIZON.at(Step.HORIZON, then=self.answered),
            Step.DAY: CHECKIN_DAY.at(Step.DAY, then=self.answered),
            Step.HOUR: CHECKIN_TIME.at(Step.HOUR, then=self.answered),
            Step.TIMEZONE: TIMEZONE.at(Step.TIMEZONE, then=self.timezone_answered),
            Step.MENU: On(choice=self.menu_choice),
            Step.DONE: On(choice=self.later),
        }

    async def begin(self, ctx: FlowContext, command: str, args: str) -> list[Reply]:
        if not args:
            return await self._start(ctx)
        answered, replies = await link.flow.from_start(ctx, args)
        return replies if answered else replies + await self._start(ctx)

    async def _start(self, ctx: FlowContext) -> list[Reply]:
        _ = ctx._
        ctx.enter(self.name)
        profile = await users.get_profile(ctx.session, ctx.user_id)
        if profile is not None and profile.completed_at is not None:
            self.draft(ctx).editing = True
            intro = _("Welcome back. Your profile is kept as it is; change any part of it below.")
            return [await self._menu(ctx, intro)]
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
        return [welcome, await self.enter(ctx, Step.ROLE)]

    async def _next_unanswered(self, ctx: FlowContext) -> Reply:
        profile = await users.profile_for_update(ctx.session, ctx.user_id)
        unanswered = {
            Step.ROLE: not profile.current_role,
            Step.YEARS: profile.years_experience is None,
            Step.TARGET: not (profile.target_role or profile.target_role_custom),
            Step.HORIZON: profile.horizon_date is None,
            Step.DAY: ctx.user.checkin_weekday is None,
            Step.HOUR: ctx.user.checkin_hour is None,
            Step.TIMEZONE: not self.draft(ctx).timezone_confirmed,
        }
        for step in QUESTIONS:
            if unanswered[step]:
                return await self.enter(ctx, step)
        return await self._complete(ctx)

    async def answered(self, ctx: FlowContext, note: str | None) -> list[Reply]:
        replies = [Reply(note)] if note else []
        if self.draft(ctx).editing:
            refresh_next_checkin(ctx.user, ctx.now)
            return replies + [await self._menu(ctx, ctx._("Saved."))]
        return replies + [await self._next_unanswered(ctx)]

    async def timezone_answered(self, ctx: FlowContext, note: str | None) -> list[Reply]:
        self.draft(ctx).timezone_confirmed = True
        return await self.answered(ctx, note)

    async def _complete(self, ctx: FlowContext) -> Reply:
        _ = ctx._
        profile = await users.profile_for_update(ctx.session, ctx.user_id)
        if profile.completed_at is None:
            profile.completed_at = ctx.now
            ctx.complete()
        refresh_next_checkin(ctx.user, ctx.now)
        summary = profile_summary(profile, ctx.user, ctx.content, ctx.t, ctx.now)
        return ctx.ask(
            Step.DONE,
            _("All set. Here is what I have:")
            + "\n\n"
            + summary
            + "\n\n"
            + _("Shall we start with a first reflection? It takes about five minutes."),
            [(_("Later"), "later")],
            ask=None,
            extra_choices=[Choice(_("Start a reflection"), actions.shortcut("reflect"))],
        )

    async def later(self, ctx: FlowContext, value: str) -> list[Reply]:
        if value != "later":
            return [ctx.choose_please()]
        ctx.finish()
        return [Reply(ctx._("Fine. Whenever you are ready, send /reflect."))]

    # -- editing a finished profile ------------------------------------------------------------------
    async def _menu(self, ctx: FlowContext, intro: str) -> Reply:
        _ = ctx._
        profile = await users.get_profile(ctx.session, ctx.user_id)
        summary = profile_summary(profile, ctx.user, ctx.content, ctx.t, ctx.now)
        labels = {
            Step.ROLE: _("Current role"),
            Step.YEARS: _("Experience"),
            Step.TARGET: _("Target path"),
            Step.HORIZON: _("Ready by"),
            Step.DAY: _("Check-in day"),
            Step.HOUR: _("Check-in time"),
            Step.TIMEZONE: _("Time zone"),
        }
        choices = [(labels[step], step.value) for step in QUESTIONS] + [(_("Done"), "done")]
        return ctx.ask(Step.MENU, intro + "\n\n" + summary, choices, ask=None, columns=2)

    async def menu_choice(self, ctx: FlowContext, value: str) -> list[Reply]:
        if value == "done":
            ctx.finish()
            return [Reply(ctx._("Your profile is saved."), choices=ctx.shortcuts())]
        step = next((step for step in QUESTIONS if step.value == value), None)
        return [await self.enter(ctx, step)] if step else [ctx.choose_please()]


flow = Onboarding()
