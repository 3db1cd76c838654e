"""Setting a study goal: a certification from the catalog (offered for the user's path, or found by name or
code) or one of their own, then the exam date and the hours a week they can give it."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from enum import StrEnum

from coach.catalog import find_certifications
from coach.content.schema import Certification
from coach.context import FlowContext
from coach.draft import Draft
from coach.flows.base import On, StepFlow
from coach.flows.study import checkin
from coach.flows.study.common import (
    EXAM_DATE,
    MAX_NAME_CHARS,
    NO_WORDS,
    WEEKLY_HOURS,
    active_goal,
    goals_saved,
    hours_in,
    show_menu,
)
from coach.messages import Reply
from coach.skills_report import target_roles
from coach.study_report import goal_pace, pace_text
from coach.understanding.text import clean
from storage import coaching
from storage.models import StudyGoal

MAX_TYPICAL_HOURS = 3000.0
OFFERED_CERTS = 8
TYPICAL_CHOICES = (20, 50, 100, 200)
NOT_SURE_WORDS = NO_WORDS | {"not sure", "모르겠어요", "몰라요"}


class Step(StrEnum):
    PICK = "pick"
    NAME = "name"
    TYPICAL_HOURS = "typical_hours"
    EXAM_DATE = "exam_date"
    WEEKLY = "weekly"
    CREATED = "created"


class NewGoalDraft(Draft):
    cert: str | None = None  # a catalog certification chosen...
    custom: str | None = None  # ...or the name of the user's own goal
    typical: int | None = None  # total hours the user's own goal takes, if they know
    exam: date | None = None
    goal: int | None = None  # the goal once it is created


class GoalSetup(StepFlow[Step, NewGoalDraft]):
    name = "study_goal"
    steps = Step
    draft_type = NewGoalDraft
    formerly = {
        ("study", "goal_pick"): Step.PICK,
        ("study", "custom_name"): Step.NAME,
        ("study", "custom_hours"): Step.TYPICAL_HOURS,
        ("study", "exam_date"): Step.EXAM_DATE,
        ("study", "weekly"): Step.WEEKLY,
        ("study", "created"): Step.CREATED,
    }

    def table(self) -> Mapping[Step, On]:
        return {
            Step.PICK: On(enter=self.start, text=self.goal_typed, choice=self.goal_picked),
            Step.NAME: On(text=self.name_typed),
            Step.TYPICAL_HOURS: On(text=self.typical_typed, choice=self.typical_picked),
            Step.EXAM_DATE: EXAM_DATE.at(Step.EXAM_DATE, answered=self.exam_given),
            Step.WEEKLY: WEEKLY_HOURS.at(Step.WEEKLY, answered=self._create),
            Step.CREATED: On(choice=self.after_created),
        }

    async def start(self, ctx: FlowContext, *, show_all: bool = False) -> Reply:
        """Ask which certification: those suiting the user's paths first, or the whole catalog."""
        _ = ctx._
        ctx.enter(self.name)
        roles = await target_roles(ctx.session, ctx.user_id, ctx.content)
        # A certification serving two of the user's roles is offered once.
        suited = list(
            {cert.key: cert for role in roles for cert in ctx.content.certifications_for(role)}.values()
        )
        whole = show_all or not suited
        offer = list(ctx.content.certifications.values()) if whole else suited[:OFFERED_CERTS]
        text = (
            _("Which certification are you preparing for? Here is the whole catalog.")
            if whole
            else _("Which certification are you preparing for? These suit your path.")
        )
        text += "\n" + _("Or type its name or code (e.g. SAA-C03, 정보처리기사), or any exam of your own.")
        choices = [(cert.name, f"k{i}") for i, cert in enumerate(offer)]
        if not whole:
            choices.append((_("Show all"), "all"))
        choices.append((_("My own goal"), "own"))
        return ctx.ask(Step.PICK, text, choices, columns=1, offered=[cert.key for cert in offer])

    async def goal_picked(self, ctx: FlowContext, value: str) -> list[Reply]:
        _ = ctx._
        draft = self.draft(ctx)
        if value == "all":
            return [await self.start(ctx, show_all=True)]
        if value == "own":
            return [ctx.ask(Step.NAME, _("What is the exam or goal called? A few words are enough."))]
        if value == "custom" and draft.custom:
            return [self._ask_typical(ctx, draft.custom)]
        key = ctx.offered_at(value[1:]) if value.startswith("k") else None
        cert = ctx.content.certifications.get(key or "")
        if cert is not None:
            return await self._cert_chosen(ctx, cert)
        return [ctx.choose_please()]

    async def goal_typed(self, ctx: FlowContext, text: str) -> list[Reply]:
        _ = ctx._
        typed = clean(text)
        if not typed or len(typed) > MAX_NAME_CHARS:
            return [_name_please(ctx)]
        found = find_certifications(ctx.content, typed)
        if len(found) == 1:
            return await self._cert_chosen(ctx, found[0])
        draft = self.draft(ctx)
        draft.custom = typed
        if found:
            offer = found[:OFFERED_CERTS]
            choices = [(cert.name, f"k{i}") for i, cert in enumerate(offer)]
            choices.append((_("None of these: track “{name}”").format(name=typed[:40]), "custom"))
            keys = [cert.key for cert in offer]
            return [ctx.ask(Step.PICK, _("Which one do you mean?"), choices, columns=1, offered=keys)]
        return [
            ctx.ask(
                Step.PICK,
                _(
                    "“{name}” is not in my catalog, so I don't know its exam domains or typical hours. I can still "
                    "track it as your own goal and pace it by the hours you give it."
                ).format(name=typed),
                [(_("Yes, track it"), "custom"), (_("Show the catalog"), "all")],
                columns=1,
            )
        ]

    async def name_typed(self, ctx: FlowContext, text: str) -> list[Reply]:
        name = clean(text)
        if not name or len(name) > MAX_NAME_CHARS:
            return [_name_please(ctx)]
        return [self._ask_typical(ctx, name)]

    async def _cert_chosen(self, ctx: FlowContext, cert: Certification) -> list[Reply]:
        _ = ctx._
        for existing in await coaching.active_goals(ctx.session, ctx.user_id):
            if existing.cert_key == cert.key:
                intro = _("You already have {goal} as a goal; check in on it here.").format(goal=cert.name)
                return [await show_menu(ctx, intro)]
        draft = self.draft(ctx)
        draft.cert, draft.custom, draft.typical = cert.key, None, None
        hours = _("Typical preparation: {low}–{high} hours").format(
            low=cert.study_hours_min, high=cert.study_hours_max
        )
        if cert.estimate:
            hours += " " + _("(an estimate)")
        note = f"*{cert.name}* · {cert.issuer}\n{hours}"
        return [Reply(note), EXAM_DATE.ask(ctx, Step.EXAM_DATE)]

    # -- a goal of the user's own ---------------------------------------------------------------------
    def _ask_typical(self, ctx: FlowContext, name: str) -> Reply:
        _ = ctx._
        draft = self.draft(ctx)
        draft.cert, draft.custom = None, name
        choices = [(str(n), f"t{n}") for n in TYPICAL_CHOICES] + [(_("Not sure"), "unknown")]
        return ctx.ask(
            Step.TYPICAL_HOURS,
            _(
                "Roughly how many hours of study does “{name}” take in all? Pick or type a number; “Not sure” is fine."
            ).format(name=name),
            choices,
            columns=5,
        )

    async def typical_picked(self, ctx: FlowContext, value: str) -> list[Reply]:
        if value == "unknown":
            return self._typical_given(ctx, None)
        if value.startswith("t") and value[1:].isdigit() and int(value[1:]) in TYPICAL_CHOICES:
            return self._typical_given(ctx, float(value[1:]))
        return [ctx.choose_please()]

    async def typical_typed(self, ctx: FlowContext, text: str) -> list[Reply]:
        if clean(text).casefold() in NOT_SURE_WORDS:
            return self._typical_given(ctx, None)
        hours = hours_in(text)
        if hours is None:
            return [Reply(ctx._("Please type a number of hours, like 60, or tap “Not sure”."), ask="short")]
        return self._typical_given(ctx, hours)

    def _typical_given(self, ctx: FlowContext, hours: float | None) -> list[Reply]:
        if hours is not None and not 1 <= hours <= MAX_TYPICAL_HOURS:
            return [
                Reply(
                    ctx._("Please give a total between 1 and {limit:g} hours, or tap “Not sure”.").format(
                        limit=MAX_TYPICAL_HOURS
                    ),
                    ask="short",
                )
            ]
        self.draft(ctx).typical = round(hours) if hours is not None else None
        return [EXAM_DATE.ask(ctx, Step.EXAM_DATE)]

    # -- when, and how much a week --------------------------------------------------------------------
    async def exam_given(self, ctx: FlowContext, when: date | None) -> list[Reply]:
        self.draft(ctx).exam = when
        return [WEEKLY_HOURS.ask(ctx, Step.WEEKLY)]

    async def _create(self, ctx: FlowContext, weekly: float) -> list[Reply]:
        _ = ctx._
        draft = self.draft(ctx)
        cert = ctx.content.certifications.get(draft.cert or "")
        custom = draft.custom if cert is None else None
        if cert is None and not custom:
            return [await show_menu(ctx)]
        created = await coaching.add_goal(
            ctx.session,
            StudyGoal(
                user_id=ctx.user_id,
                cert_key=cert.key if cert else None,
                custom_name=custom,
                exam_date=draft.exam,
                weekly_hours=weekly,
                typical_hours_min=cert.study_hours_min if cert else draft.typical,
                typical_hours_max=cert.study_hours_max if cert else draft.typical,
                created_at=ctx.now,
            ),
        )
        draft.cert = draft.custom = draft.typical = draft.exam = None
        draft.goal = created.id
        pace = goal_pace(created, [], ctx.content, ctx.user, ctx.now)
        text = _("Saved. Here is the plan:") + "\n\n" + pace_text(created, pace, ctx.content, ctx.t)
        return [ctx.ask(Step.CREATED, text, [(_("Check in now"), "checkin"), (_("Done"), "done")], ask=None)]

    async def after_created(self, ctx: FlowContext, value: str) -> list[Reply]:
        created = await active_goal(ctx, self.draft(ctx).goal)
        if value == "checkin" and created is not None:
            return [await checkin.flow.start(ctx, created)]
        if value == "done":
            return [goals_saved(ctx)]
        return [ctx.choose_please()]


def _name_please(ctx: FlowContext) -> Reply:
    return Reply(
        ctx._("Please name it in under {limit} characters.").format(limit=MAX_NAME_CHARS), ask="short"
    )


flow = GoalSetup()
