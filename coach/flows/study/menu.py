"""Study (/study): the menu of the user's certification goals, from which every study flow starts.

A new user goes straight to setting a goal; with goals, the menu shows each one's pace and offers a check-in,
a new goal, an exam result or a change. Each of those is its own flow (see the other modules here), and
each returns here or ends with the goals saved.
"""

from __future__ import annotations

from collections.abc import Mapping

from coach.context import FlowContext
from coach.flows.base import On, StepFlow
from coach.flows.study import checkin, edit, goal, result
from coach.flows.study.common import (
    GoalAction,
    MenuDraft,
    MenuStep,
    active_goal,
    goals_saved,
    result_due,
    show_menu,
)
from coach.i18n import N_
from coach.messages import Reply
from coach.study_report import goal_name
from storage import coaching
from storage.models import StudyGoal


class Study(StepFlow[MenuStep, MenuDraft]):
    name = "study"
    commands = {"study": N_("Set certification goals, check in on your study, record exam results")}
    steps = MenuStep
    draft_type = MenuDraft

    def table(self) -> Mapping[MenuStep, On]:
        return {
            MenuStep.MENU: On(enter=show_menu, choice=self.menu_choice),
            MenuStep.WHICH_GOAL: On(choice=self.goal_chosen),
        }

    async def begin(self, ctx: FlowContext, command: str, args: str) -> list[Reply]:
        ctx.finish()
        if not await coaching.active_goals(ctx.session, ctx.user_id):
            intro = Reply(
                ctx._(
                    "Let's set a study goal. A certification proves your expertise to a new employer, and a steady "
                    "weekly pace is what gets you there."
                )
            )
            return [intro, await goal.flow.start(ctx)]
        return [await show_menu(ctx)]

    async def menu_choice(self, ctx: FlowContext, value: str) -> list[Reply]:
        if value == "new":
            return [await goal.flow.start(ctx)]
        if value == "done":
            return [goals_saved(ctx)]
        if value in ("result", "edit"):
            return await self._which_goal(ctx, "result" if value == "result" else "edit")
        chosen = await self._goal_at(ctx, value, "c")
        if chosen is not None and await result_due(ctx, chosen):
            return [result.flow.start(ctx, chosen)]  # after the exam date a check-in asks for the result
        if chosen is not None:
            return [await checkin.flow.start(ctx, chosen)]
        return [ctx.choose_please()]

    async def _which_goal(self, ctx: FlowContext, then: GoalAction) -> list[Reply]:
        draft = self.draft(ctx)
        goals = [g for g in [await active_goal(ctx, goal_id) for goal_id in draft.goals] if g is not None]
        if len(goals) == 1:
            return await self._goal_action(ctx, then, goals[0])
        draft.then, draft.goals = then, [g.id for g in goals if g.id is not None]
        choices = [(goal_name(g, ctx.content), f"g{i}") for i, g in enumerate(goals)]
        return [ctx.ask(MenuStep.WHICH_GOAL, ctx._("Which goal?"), choices, ask=None, columns=1)]

    async def goal_chosen(self, ctx: FlowContext, value: str) -> list[Reply]:
        chosen = await self._goal_at(ctx, value, "g")
        if chosen is None:
            return [ctx.choose_please()]
        return await self._goal_action(ctx, self.draft(ctx).then, chosen)

    async def _goal_at(self, ctx: FlowContext, value: str, prefix: str) -> StudyGoal | None:
        """The goal a button like ``c1`` points at, if it is still one of the user's active goals."""
        ids = self.draft(ctx).goals
        index = value[len(prefix) :]
        if not value.startswith(prefix) or not index.isdigit() or int(index) >= len(ids):
            return None
        return await active_goal(ctx, ids[int(index)])

    async def _goal_action(self, ctx: FlowContext, then: GoalAction, chosen: StudyGoal) -> list[Reply]:
        if then == "result":
            return [result.flow.start(ctx, chosen)]
        return [edit.flow.start(ctx, chosen)]


flow = Study()
