"""An exam result: passed or not, the score if the user wants to give it, then what comes next — the
certifications that follow a pass, or a retake plan that starts with the weakest domain."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from coach.context import FlowContext
from coach.flows.base import On, StepFlow
from coach.flows.study import edit, exam
from coach.flows.study.common import (
    NO_WORDS,
    GoalDraft,
    active_goal,
    goals_saved,
    score_percent,
    score_scale,
    show_menu,
)
from coach.messages import Reply
from coach.study_report import goal_name
from coach.understanding.text import clean
from storage.models import StudyGoal


class Step(StrEnum):
    OUTCOME = "outcome"
    SCORE = "score"
    AFTER_FAIL = "after_fail"


class ResultDraft(GoalDraft):
    passed: bool = False


class Result(StepFlow[Step, ResultDraft]):
    name = "study_result"
    steps = Step
    draft_type = ResultDraft
    formerly = {
        ("study", "result_outcome"): Step.OUTCOME,
        ("study", "result_score"): Step.SCORE,
        ("study", "after_fail"): Step.AFTER_FAIL,
    }

    def table(self) -> Mapping[Step, On]:
        return {
            Step.OUTCOME: On(choice=self.outcome),
            Step.SCORE: On(text=self.score_typed, choice=self.score_skipped),
            Step.AFTER_FAIL: On(choice=self.after_fail),
        }

    def start(self, ctx: FlowContext, goal: StudyGoal) -> Reply:
        """Ask how the exam for ``goal`` went."""
        _ = ctx._
        ctx.enter(self.name)
        self.draft(ctx).goal = goal.id
        return ctx.ask(
            Step.OUTCOME,
            _("How did the exam for {goal} go?").format(goal=goal_name(goal, ctx.content)),
            [(_("Passed"), "pass"), (_("Not this time"), "fail"), (_("Postponed"), "moved")],
            ask=None,
        )

    async def outcome(self, ctx: FlowContext, value: str) -> list[Reply]:
        _ = ctx._
        if value == "moved":
            goal = await active_goal(ctx, self.draft(ctx).goal)
            if goal is None:
                return [await show_menu(ctx)]
            question = _("What is the new date of the exam for {goal}? Type it like 2027-03-14.")
            return [edit.flow.ask_exam_date(ctx, goal, question.format(goal=goal_name(goal, ctx.content)))]
        if value not in ("pass", "fail"):
            return [ctx.choose_please()]
        self.draft(ctx).passed = value == "pass"
        return [
            ctx.ask(
                Step.SCORE,
                _("What was your score? Type it as a percentage or as printed, e.g. 780/1000; or tap Skip."),
                [(_("Skip"), "skip")],
            )
        ]

    async def score_skipped(self, ctx: FlowContext, value: str) -> list[Reply]:
        return await self._save(ctx, None) if value == "skip" else [ctx.choose_please()]

    async def score_typed(self, ctx: FlowContext, text: str) -> list[Reply]:
        if clean(text).casefold() in NO_WORDS:
            return await self._save(ctx, None)
        goal = await active_goal(ctx, self.draft(ctx).goal)
        score = score_percent(text, scale=score_scale(goal, ctx.content))
        if score is None or not 0 <= score <= 100:
            return [
                Reply(
                    ctx._(
                        "Please type the score as a percentage from 0 to 100, or as printed with its maximum, like "
                        "780/1000. Or tap Skip."
                    ),
                    ask="short",
                )
            ]
        return await self._save(ctx, score)

    async def _save(self, ctx: FlowContext, score: float | None) -> list[Reply]:
        """Recorded on the exam day, as a check-in's result buttons record it (:mod:`coach.flows.study.exam`)."""
        _ = ctx._
        draft = self.draft(ctx)
        goal = await active_goal(ctx, draft.goal)
        if goal is None:
            return [await show_menu(ctx)]
        if draft.passed:
            ctx.finish()
            return [await exam.record_pass(ctx, goal, score)]
        fail_reply = await exam.record_fail(ctx, goal, score)
        choices = [(_("Set a retake date"), "date"), (_("Later"), "done")]
        return [ctx.ask(Step.AFTER_FAIL, fail_reply.text, choices, ask=None)]

    async def after_fail(self, ctx: FlowContext, value: str) -> list[Reply]:
        if value == "done":
            return [goals_saved(ctx)]
        if value != "date":
            return [ctx.choose_please()]
        goal = await active_goal(ctx, self.draft(ctx).goal)
        return [await show_menu(ctx)] if goal is None else [edit.flow.ask_exam_date(ctx, goal)]


flow = Result()
