"""An exam result: passed or not, the score if the user wants to give it, then what comes next — the
certifications that follow a pass, or a retake plan that starts with the weakest domain."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from coach import actions
from coach.context import FlowContext
from coach.flows.base import On, StepFlow
from coach.flows.study import edit
from coach.flows.study.common import (
    NO_WORDS,
    GoalDraft,
    active_goal,
    goals_saved,
    score_percent,
    score_scale,
    show_menu,
)
from coach.messages import Choice, Reply
from coach.skills_report import target_roles
from coach.study_report import certification, domain_name, goal_name, goal_pace
from coach.understanding.text import clean
from storage import coaching
from storage.models import ExamResult, StudyGoal


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
            [(_("Passed"), "pass"), (_("Not this time"), "fail")],
            ask=None,
        )

    async def outcome(self, ctx: FlowContext, value: str) -> list[Reply]:
        _ = ctx._
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
        draft = self.draft(ctx)
        goal = await active_goal(ctx, draft.goal)
        if goal is None:
            return [await show_menu(ctx)]
        await coaching.add_exam_result(
            ctx.session,
            ExamResult(
                user_id=ctx.user_id,
                goal_id=goal.id or 0,
                passed=draft.passed,
                score=score,
                recorded_at=ctx.now,
            ),
        )
        if draft.passed:
            goal.status, goal.closed_at = "passed", ctx.now
            ctx.finish()
            return [await self._after_pass(ctx, goal)]
        return [await self._after_fail(ctx, goal)]

    async def _after_fail(self, ctx: FlowContext, goal: StudyGoal) -> Reply:
        _ = ctx._
        checkins = await coaching.checkins_of(ctx.session, goal.id or 0)
        pace = goal_pace(goal, checkins, ctx.content, ctx.user, ctx.now)
        goal.exam_date = None  # the goal stays active for the retake
        lines = [
            _(
                "That is hard news, and it is common: many people pass on their second sitting. Your {hours:g} hours "
                "still count, and the goal stays open."
            ).format(hours=pace.hours_done)
        ]
        if pace.weakest is not None:
            lines.append(
                _("Start the retake with {domain}: it was your weakest domain.").format(
                    domain=domain_name(goal, ctx.content, pace.weakest.key, ctx.language)
                )
            )
        lines.append(_("When you are ready, set a retake date."))
        return ctx.ask(
            Step.AFTER_FAIL,
            "\n\n".join(lines),
            [(_("Set a retake date"), "date"), (_("Later"), "done")],
            ask=None,
        )

    async def after_fail(self, ctx: FlowContext, value: str) -> list[Reply]:
        if value == "done":
            return [goals_saved(ctx)]
        if value != "date":
            return [ctx.choose_please()]
        goal = await active_goal(ctx, self.draft(ctx).goal)
        return [await show_menu(ctx)] if goal is None else [edit.flow.ask_exam_date(ctx, goal)]

    async def _after_pass(self, ctx: FlowContext, goal: StudyGoal) -> Reply:
        _ = ctx._
        name = goal_name(goal, ctx.content)
        lines = [
            _("Congratulations on passing {goal}! That is proof a new employer can check.").format(goal=name)
        ]
        taken = {g.cert_key for g in await coaching.all_goals(ctx.session, ctx.user_id) if g.cert_key}
        roles = await target_roles(ctx.session, ctx.user_id, ctx.content)
        passed_cert = certification(goal, ctx.content)
        candidates = [
            cert for role in roles for cert in ctx.content.certifications_for(role) if cert.key not in taken
        ]
        if passed_cert is not None:
            # The natural next step is often the same issuer's next level.
            candidates.sort(
                key=lambda c: (
                    c.issuer != passed_cert.issuer,
                    c.study_hours_min < passed_cert.study_hours_min,
                )
            )
        following = list({cert.key: cert for cert in candidates}.values())[:3]
        if following:
            lines.append(_("What next? Certifications for your path you have not taken yet:"))
            lines += [
                "• "
                + _("{cert} ({issuer}, about {low}–{high} hours)").format(
                    cert=cert.name, issuer=cert.issuer, low=cert.study_hours_min, high=cert.study_hours_max
                )
                for cert in following
            ]
        lines.append(
            _("Also worth doing now: rate your skills again with /skills to see what the exam changed.")
        )
        return Reply(
            "\n".join(lines),
            choices=(
                Choice(_("New study goal"), actions.shortcut("study")),
                Choice(_("Rate my skills"), actions.shortcut("skills")),
            ),
        )


flow = Result()
