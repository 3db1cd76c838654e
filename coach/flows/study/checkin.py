"""A study check-in: the hours since the last one, the exam domains studied, an optional practice score
(and the weakest domain it showed), then the pace with a chart.

Each answer is stored as soon as it is given: hours typed before a /cancel are kept.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Mapping
from datetime import timedelta
from enum import StrEnum

from coach import actions
from coach.charts import Panel, picture
from coach.content.schema import Certification
from coach.context import FlowContext
from coach.flows.base import On, StepFlow
from coach.flows.study.common import (
    MAX_WEEKLY_HOURS,
    NO_WORDS,
    GoalDraft,
    active_goal,
    hours_in,
    score_percent,
    score_scale,
    show_menu,
    zone,
)
from coach.messages import Choice, Reply
from coach.plan_buttons import option_choices
from coach.study_report import certification, goal_name, goal_pace, hours_panel, pace_text, scores_panel
from coach.understanding.text import clean
from storage import coaching
from storage.models import StudyCheckin, StudyGoal

HOUR_CHOICES = ("0", "1", "2", "3", "5", "8")
DONE_WORDS = {"done", "ok", "완료", "끝", "다 했어요", "다했어요"}


class Step(StrEnum):
    HOURS = "hours"
    DOMAINS = "domains"
    SCORE = "score"
    WEAKEST = "weakest"


class CheckinDraft(GoalDraft):
    checkin: int | None = None  # the check-in row, stored once the hours are given


class Checkin(StepFlow[Step, CheckinDraft]):
    name = "study_checkin"
    steps = Step
    draft_type = CheckinDraft
    formerly = {
        ("study", "ci_hours"): Step.HOURS,
        ("study", "ci_domains"): Step.DOMAINS,
        ("study", "ci_score"): Step.SCORE,
        ("study", "ci_weak"): Step.WEAKEST,
    }

    def table(self) -> Mapping[Step, On]:
        return {
            Step.HOURS: On(text=self.hours_typed, choice=self.hours_picked),
            Step.DOMAINS: On(text=self.domains_done_typed, choice=self.domain_toggled),
            Step.SCORE: On(text=self.score_typed, choice=self.no_practice_exam),
            Step.WEAKEST: On(choice=self.weakest_picked),
        }

    async def start(self, ctx: FlowContext, goal: StudyGoal) -> Reply:
        """Check in on ``goal``: ask the hours studied since the last check-in."""
        _ = ctx._
        ctx.enter(self.name)
        draft = self.draft(ctx)
        draft.goal, draft.checkin = goal.id, None
        checkins = await coaching.checkins_of(ctx.session, goal.id or 0)
        since = checkins[-1].at if checkins else goal.created_at
        when = ctx.t.date(since.astimezone(zone(ctx)).date())
        text = (
            _("How many hours have you studied for *{goal}* since your last check-in ({date})?")
            if checkins
            else _("How many hours have you studied for *{goal}* since you set the goal ({date})?")
        ).format(goal=goal_name(goal, ctx.content), date=when)
        text += "\n" + _("Pick one, or type it: 1.5, 90m, 1h30 and 2시간 all work.")
        choices = [(_("{n} h").format(n=h), f"h{h}") for h in HOUR_CHOICES]
        return ctx.ask(Step.HOURS, text, choices, columns=6)

    async def _goal_and_checkin(self, ctx: FlowContext) -> tuple[StudyGoal, StudyCheckin] | None:
        draft = self.draft(ctx)
        goal = await active_goal(ctx, draft.goal)
        found = (
            await coaching.get_checkin(ctx.session, ctx.user_id, draft.checkin)
            if draft.checkin is not None
            else None
        )
        return (goal, found) if goal is not None and found is not None else None

    # -- hours ----------------------------------------------------------------------------------------
    async def hours_picked(self, ctx: FlowContext, value: str) -> list[Reply]:
        if value.startswith("h") and value[1:] in HOUR_CHOICES:
            return await self._hours_given(ctx, float(value[1:]))
        return [ctx.choose_please()]

    async def hours_typed(self, ctx: FlowContext, text: str) -> list[Reply]:
        return await self._hours_given(ctx, hours_in(text))

    async def _hours_given(self, ctx: FlowContext, hours: float | None) -> list[Reply]:
        _ = ctx._
        draft = self.draft(ctx)
        goal = await active_goal(ctx, draft.goal)
        if goal is None:
            return [await show_menu(ctx)]
        if hours is None:
            return [
                Reply(
                    _(
                        "Sorry, I couldn't read that as hours. Try a number like 2, 1.5, 90m or 1h30 (or 2시간)."
                    ),
                    ask="short",
                )
            ]
        if hours < 0:
            return [
                Reply(
                    _("Hours can't be negative. How many hours did you study? 0 is a fine answer."),
                    ask="short",
                )
            ]
        checkins = await coaching.checkins_of(ctx.session, goal.id or 0)
        since = checkins[-1].at if checkins else goal.created_at
        weeks = max(1, math.ceil((ctx.now - since) / timedelta(weeks=1)))
        limit = MAX_WEEKLY_HOURS * weeks
        if hours > limit:
            return [
                Reply(
                    _(
                        "{hours:g} hours is more than I can believe since {date} (at most {limit:g}). Please check the number."
                    ).format(hours=hours, date=ctx.t.date(since.astimezone(zone(ctx)).date()), limit=limit),
                    ask="short",
                )
            ]
        added = await coaching.add_checkin(
            ctx.session,
            StudyCheckin(
                user_id=ctx.user_id, goal_id=goal.id or 0, at=ctx.now, hours=round(hours, 2), domains=[]
            ),
        )
        draft.checkin = added.id
        cert = certification(goal, ctx.content)
        if hours > 0 and cert is not None:
            return [self._ask_domains(ctx, cert, [])]
        return [self._ask_score(ctx)]

    # -- exam domains ---------------------------------------------------------------------------------
    def _ask_domains(self, ctx: FlowContext, cert: Certification, chosen: list[str]) -> Reply:
        _ = ctx._
        choices = [
            (("☑ " if domain.key in chosen else "☐ ") + domain.name.get(ctx.language), f"d{i}")
            for i, domain in enumerate(cert.domains)
        ]
        choices.append((_("Done"), "done"))
        return ctx.ask(
            Step.DOMAINS,
            _("Which exam domains did you study? Tap each one, then Done."),
            choices,
            ask=None,
            columns=1,
        )

    async def domains_done_typed(self, ctx: FlowContext, text: str) -> list[Reply]:
        if clean(text).casefold() in DONE_WORDS:
            return await self.domain_toggled(ctx, "done")
        return [ctx.choose_please()]

    async def domain_toggled(self, ctx: FlowContext, value: str) -> list[Reply]:
        found = await self._goal_and_checkin(ctx)
        cert = certification(found[0], ctx.content) if found else None
        if found is None or cert is None:
            return [ctx.choose_please()]
        if value == "done":
            return [self._ask_score(ctx)]
        index = value[1:]
        if not (value.startswith("d") and index.isdigit() and int(index) < len(cert.domains)):
            return [ctx.choose_please()]
        key = cert.domains[int(index)].key
        chosen = list(found[1].domains or [])
        chosen = [k for k in chosen if k != key] if key in chosen else [*chosen, key]
        found[1].domains = chosen  # a new list, so the JSON column is written
        return [self._ask_domains(ctx, cert, chosen)]

    # -- a practice exam ------------------------------------------------------------------------------
    def _ask_score(self, ctx: FlowContext) -> Reply:
        _ = ctx._
        return ctx.ask(
            Step.SCORE,
            _(
                "Did you take a practice exam since last time? Type your score from 0 to 100 (or like 36/50), or tap No."
            ),
            [(_("No practice exam"), "none")],
        )

    async def no_practice_exam(self, ctx: FlowContext, value: str) -> list[Reply]:
        return await self._finish(ctx) if value == "none" else [ctx.choose_please()]

    async def score_typed(self, ctx: FlowContext, text: str) -> list[Reply]:
        _ = ctx._
        if clean(text).casefold() in NO_WORDS:
            return await self._finish(ctx)
        goal = await active_goal(ctx, self.draft(ctx).goal)
        score = score_percent(text, scale=score_scale(goal, ctx.content))
        if score is None:
            return [
                Reply(
                    _("Please type the score as a number from 0 to 100 (like 72 or 72%), or tap No."),
                    ask="short",
                )
            ]
        if not 0 <= score <= 100:
            return [
                Reply(
                    _("A score goes from 0 to 100. For a score out of something else, type it like 36/50."),
                    ask="short",
                )
            ]
        found = await self._goal_and_checkin(ctx)
        if found is None:
            return [await show_menu(ctx)]
        goal, checkin = found
        checkin.practice_score = score
        cert = certification(goal, ctx.content)
        if cert is None or len(cert.domains) <= 1:
            return await self._finish(ctx)
        choices = [(domain.name.get(ctx.language), f"d{i}") for i, domain in enumerate(cert.domains)]
        choices.append((_("Not sure"), "none"))
        question = _("Which domain did that practice exam show as your weakest?")
        return [ctx.ask(Step.WEAKEST, question, choices, ask=None, columns=1)]

    async def weakest_picked(self, ctx: FlowContext, value: str) -> list[Reply]:
        found = await self._goal_and_checkin(ctx)
        cert = certification(found[0], ctx.content) if found else None
        if found is None or cert is None:
            return [ctx.choose_please()]
        index = value[1:]
        if value.startswith("d") and index.isdigit() and int(index) < len(cert.domains):
            found[1].weakest_domain = cert.domains[int(index)].key
        elif value != "none":
            return [ctx.choose_please()]
        return await self._finish(ctx)

    # -- the pace -------------------------------------------------------------------------------------
    async def _finish(self, ctx: FlowContext) -> list[Reply]:
        _ = ctx._
        goal = await active_goal(ctx, self.draft(ctx).goal)
        if goal is None:
            return [await show_menu(ctx)]
        checkins = await coaching.checkins_of(ctx.session, goal.id or 0)
        pace = goal_pace(goal, checkins, ctx.content, ctx.user, ctx.now)
        text = _("Checked in. Here is your pace:") + "\n\n" + pace_text(goal, pace, ctx.content, ctx.t)
        panels: list[Panel] = [hours_panel([goal], checkins, ctx.user, ctx.now)]
        scores = scores_panel([goal], {goal.id or 0: checkins}, ctx.content, ctx.user)
        if scores is not None:
            panels.append(scores)
        image = await asyncio.to_thread(picture, panels, ctx.t)
        ctx.finish()
        return [
            Reply(text, choices=option_choices(goal.id or 0, pace, ctx.t)),
            Reply(
                _("Your study hours for {goal}.").format(goal=goal_name(goal, ctx.content)),
                image=image,
                choices=(
                    Choice(_("My study goals"), actions.shortcut("study")),
                    Choice(_("See my progress"), actions.shortcut("progress")),
                ),
            ),
        ]


flow = Checkin()
