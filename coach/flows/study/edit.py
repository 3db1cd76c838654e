"""Changing a study goal: its exam date, the hours a week it gets, or stopping it (its check-ins stay)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from enum import StrEnum

from coach.context import FlowContext
from coach.flows.base import On, StepFlow
from coach.flows.study.common import EXAM_DATE, WEEKLY_HOURS, GoalDraft, active_goal, show_menu
from coach.messages import Reply
from coach.study_report import goal_name
from storage.models import StudyGoal


class Step(StrEnum):
    WHAT = "what"
    EXAM_DATE = "exam_date"
    WEEKLY = "weekly"


class GoalEdit(StepFlow[Step, GoalDraft]):
    name = "study_edit"
    steps = Step
    draft_type = GoalDraft
    formerly = {
        ("study", "edit_what"): Step.WHAT,
        ("study", "edit_date"): Step.EXAM_DATE,
        ("study", "edit_weekly"): Step.WEEKLY,
    }

    def table(self) -> Mapping[Step, On]:
        return {
            Step.WHAT: On(choice=self.what_chosen),
            Step.EXAM_DATE: EXAM_DATE.at(Step.EXAM_DATE, answered=self._set_exam_date),
            Step.WEEKLY: WEEKLY_HOURS.at(Step.WEEKLY, answered=self._set_weekly),
        }

    def start(self, ctx: FlowContext, goal: StudyGoal) -> Reply:
        """Ask what to change about ``goal``."""
        _ = ctx._
        self._focus(ctx, goal)
        return ctx.ask(
            Step.WHAT,
            _("What would you like to change for {goal}?").format(goal=goal_name(goal, ctx.content)),
            [
                (_("Exam date"), "date"),
                (_("Hours per week"), "weekly"),
                (_("Stop this goal"), "drop"),
                (_("Back"), "back"),
            ],
            ask=None,
            columns=2,
        )

    def ask_exam_date(self, ctx: FlowContext, goal: StudyGoal, text: str | None = None) -> Reply:
        """Ask a new exam date for ``goal`` (a retake, say), in the words of ``text`` if given."""
        self._focus(ctx, goal)
        return EXAM_DATE.ask(ctx, Step.EXAM_DATE, text=text)

    def _focus(self, ctx: FlowContext, goal: StudyGoal) -> None:
        ctx.enter(self.name)
        self.draft(ctx).goal = goal.id

    async def what_chosen(self, ctx: FlowContext, value: str) -> list[Reply]:
        _ = ctx._
        goal = await active_goal(ctx, self.draft(ctx).goal)
        if goal is None or value == "back":
            return [await show_menu(ctx)]
        if value == "date":
            return [EXAM_DATE.ask(ctx, Step.EXAM_DATE)]
        if value == "weekly":
            return [WEEKLY_HOURS.ask(ctx, Step.WEEKLY)]
        if value == "drop":
            goal.status, goal.closed_at = "dropped", ctx.now
            stopped = _("Stopped {goal}. Its check-ins stay in your history.")
            return [await show_menu(ctx, stopped.format(goal=goal_name(goal, ctx.content)))]
        return [ctx.choose_please()]

    async def _set_exam_date(self, ctx: FlowContext, when: date | None) -> list[Reply]:
        goal = await active_goal(ctx, self.draft(ctx).goal)
        if goal is None:
            return [await show_menu(ctx)]
        goal.exam_date = when
        return [await show_menu(ctx, ctx._("Saved."))]

    async def _set_weekly(self, ctx: FlowContext, hours: float) -> list[Reply]:
        goal = await active_goal(ctx, self.draft(ctx).goal)
        if goal is None:
            return [await show_menu(ctx)]
        goal.weekly_hours = hours
        return [await show_menu(ctx, ctx._("Saved."))]


flow = GoalEdit()
