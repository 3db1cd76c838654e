"""Skill gap (/skills): rate yourself 1–5 on each skill of a target role, then see the weighted gap, where to
start, the change since last time, and a picture.

Every tap is stored in the assessment row at once, so an interrupted assessment resumes at the first skill
not yet rated, from any instance, days later. A user may switch their main path or add others.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from enum import StrEnum
from typing import Literal

from coach import actions
from coach.charts import picture
from coach.content.schema import Role
from coach.context import FlowContext
from coach.draft import Draft
from coach.flows.base import On, StepFlow
from coach.i18n import N_
from coach.messages import Choice, Reply
from coach.role_match import match_role
from coach.skills_report import result_text, skill_panel, target_roles
from coach.study_report import goal_name
from coach.understanding import Understood, parse_rating
from coach.understanding.text import clean
from storage import coaching, users
from storage.models import SkillAssessment

LEVELS = ("1", "2", "3", "4", "5")
SKIP_WORDS = {"skip", "pass", "s", "건너뛰기", "건너뛰어", "패스", "스킵", "넘어가기", "모름", "몰라요"}
HELP_WORDS = {"?", "levels", "help", "레벨", "단계", "설명", "도움말"}


Purpose = Literal["main", "switch", "add"]


class Step(StrEnum):
    MENU = "menu"
    PICK_ROLE = "pick_role"
    RESUME = "resume"
    RATE = "rate"


class SkillsDraft(Draft):
    roles: list[str] = []  # the paths the menu listed, main path first (buttons carry their position)
    purpose: Purpose = "add"  # what picking a role is for
    assessment: int | None = None  # the assessment being rated
    role: str | None = None  # its role


class Skills(StepFlow[Step, SkillsDraft]):
    name = "skills"
    commands = {"skills": N_("Rate your skills and see the gap to your target role")}
    steps = Step
    draft_type = SkillsDraft

    def table(self) -> Mapping[Step, On]:
        return {
            Step.MENU: On(choice=self._menu_choice),
            Step.PICK_ROLE: On(text=self._role_typed, choice=self._role_picked),
            Step.RESUME: On(choice=self._resume_choice),
            Step.RATE: On(text=self._rating_typed, choice=self._rating_picked),
        }

    async def begin(self, ctx: FlowContext, command: str, args: str) -> list[Reply]:
        ctx.finish()
        ctx.enter(self.name)
        unfinished = [
            a
            for a in await coaching.open_assessments(ctx.session, ctx.user_id)
            if a.role_key in ctx.content.roles
        ]
        if unfinished:
            return [self._ask_resume(ctx, unfinished[0])]
        roles = await target_roles(ctx.session, ctx.user_id, ctx.content)
        if not roles:
            return [await self._ask_first_role(ctx)]
        assessed = [key for key in roles if await coaching.latest_assessment(ctx.session, ctx.user_id, key)]
        if len(roles) == 1 and not assessed:
            passed = "\n".join(await passed_lines(ctx)).strip()
            return [*([Reply(passed)] if passed else []), *await self._start(ctx, roles[0])]
        return [await self._menu(ctx)]

    # -- choosing what to assess ------------------------------------------------------------------
    async def _menu(self, ctx: FlowContext, intro: str = "") -> Reply:
        _ = ctx._
        roles = await target_roles(ctx.session, ctx.user_id, ctx.content)
        lines = [intro] if intro else []
        lines.append(_("*Your skill paths*"))
        for index, key in enumerate(roles):
            role = ctx.content.roles[key]
            latest = await coaching.latest_assessment(ctx.session, ctx.user_id, key)
            main = _(" (main)") if index == 0 else ""
            if latest is None or latest.completed_at is None:
                lines.append(
                    _("• {role}{main}: not assessed yet").format(role=role.name.get(ctx.language), main=main)
                )
            else:
                lines.append(
                    _("• {role}{main}: last assessed {date}").format(
                        role=role.name.get(ctx.language),
                        main=main,
                        date=ctx.t.date(latest.completed_at.date()),
                    )
                )
        lines += await passed_lines(ctx)
        self.draft(ctx).roles = roles
        choices = [
            (_("Assess: {role}").format(role=ctx.content.roles[key].name.get(ctx.language)), f"a{i}")
            for i, key in enumerate(roles)
        ]
        choices += [(_("Switch main path"), "switch"), (_("Add a path"), "add"), (_("Done"), "done")]
        return ctx.ask(Step.MENU, "\n".join(lines), choices, ask=None, columns=1)

    async def _ask_first_role(self, ctx: FlowContext) -> Reply:
        _ = ctx._
        profile = await users.get_profile(ctx.session, ctx.user_id)
        if profile is not None and profile.target_role_custom:
            text = _(
                "I don't have a skill list for “{path}”. Which of these paths is closest? I'll measure your "
                "skills against it; your own path stays as it is."
            ).format(path=profile.target_role_custom)
            closest = match_role(ctx.content, profile.target_role_custom)
            first = (closest.key,) if closest else ()
            return self._ask_role(ctx, text, purpose="add", first=first)
        text = _("Which path shall we measure your skills against? Pick the one you are preparing for.")
        return self._ask_role(ctx, text, purpose="main")

    def _ask_role(
        self,
        ctx: FlowContext,
        text: str,
        *,
        purpose: Purpose,
        exclude: tuple[str, ...] = (),
        first: tuple[str, ...] = (),
    ) -> Reply:
        """Every catalog role but ``exclude`` as a button, ``first`` (the role a typed path means) on top."""
        offer = [key for key in (*first, *ctx.content.roles) if key not in exclude]
        offer = list(dict.fromkeys(offer))
        self.draft(ctx).purpose = purpose
        choices = [(ctx.content.roles[key].name.get(ctx.language), f"r{i}") for i, key in enumerate(offer)]
        return ctx.ask(Step.PICK_ROLE, text, choices, ask=None, columns=2, offered=offer)

    async def _role_chosen(self, ctx: FlowContext, key: str) -> list[Reply]:
        _ = ctx._
        purpose = self.draft(ctx).purpose
        name = ctx.content.roles[key].name.get(ctx.language)
        if purpose in ("main", "switch"):
            profile = await users.profile_for_update(ctx.session, ctx.user_id)
            profile.target_role, profile.target_role_custom = key, None
            await coaching.remove_target_role(ctx.session, ctx.user_id, key)
            note = _("Your main path is now {role}. Earlier assessments are kept.").format(role=name)
        else:
            await coaching.add_target_role(ctx.session, ctx.user_id, key, ctx.now)
            note = _("Added {role} to your paths.").format(role=name)
        if await coaching.latest_assessment(ctx.session, ctx.user_id, key) is None:
            return [Reply(note), *await self._start(ctx, key)]
        return [await self._menu(ctx, note)]

    def _ask_resume(self, ctx: FlowContext, assessment: SkillAssessment) -> Reply:
        _ = ctx._
        role = ctx.content.roles[assessment.role_key]
        done = sum(1 for skill in role.skills if skill.key in assessment.ratings)
        draft = self.draft(ctx)
        draft.assessment, draft.role = assessment.id, role.key
        text = _(
            "You stopped half-way through rating your skills for {role}: {done} of {total} done. Continue where you left off?"
        ).format(role=role.name.get(ctx.language), done=done, total=len(role.skills))
        choices = [(_("Continue"), "continue"), (_("Start over"), "restart"), (_("Other paths"), "menu")]
        return ctx.ask(Step.RESUME, text, choices, ask=None)

    # -- rating -----------------------------------------------------------------------------------
    async def _start(self, ctx: FlowContext, key: str) -> list[Reply]:
        _ = ctx._
        role = ctx.content.roles[key]
        assessment = await coaching.start_assessment(ctx.session, ctx.user_id, key, ctx.now)
        draft = self.draft(ctx)
        draft.assessment, draft.role = assessment.id, key
        intro = _(
            "Let's measure the gap to *{role}*. I'll show you {count} skills one at a time; rate where you are "
            "today, from 1 (aware) to 5 (expert). It is only for you, so be honest rather than modest. "
            "Skip any you cannot judge."
        ).format(role=role.name.get(ctx.language), count=len(role.skills))
        return [Reply(intro), self._ask_skill(ctx, role, assessment)]

    async def _assessment(self, ctx: FlowContext) -> tuple[Role, SkillAssessment] | None:
        assessment_id = self.draft(ctx).assessment
        if assessment_id is None:
            return None
        assessment = await coaching.get_assessment(ctx.session, ctx.user_id, assessment_id)
        if (
            assessment is None
            or assessment.completed_at is not None
            or assessment.role_key not in ctx.content.roles
        ):
            return None
        return ctx.content.roles[assessment.role_key], assessment

    def _ask_skill(self, ctx: FlowContext, role: Role, assessment: SkillAssessment) -> Reply:
        _ = ctx._
        pending = [skill for skill in role.skills if skill.key not in assessment.ratings]
        skill = pending[0]
        position = len(role.skills) - len(pending) + 1
        text = (
            f"*{position}/{len(role.skills)} · {skill.name.get(ctx.language)}*\n"
            f"{skill.description.get(ctx.language)}\n\n"
            + _("Where are you today? 1 = aware · 3 = working · 5 = expert")
        )
        choices = [(level, level) for level in LEVELS]
        choices += [(_("Skip"), "skip"), (_("What do the levels mean?"), "levels")]
        return ctx.ask(Step.RATE, text, choices, ask=None, columns=5)

    def _levels_text(self, ctx: FlowContext) -> str:
        lines = [ctx._("*The levels*")]
        for level in ctx.content.skill_levels:
            lines.append(
                f"*{level.level} · {level.label.get(ctx.language)}*: {level.description.get(ctx.language)}"
            )
        return "\n".join(lines)

    async def _rate(self, ctx: FlowContext, value: int | None) -> list[Reply]:
        found = await self._assessment(ctx)
        if found is None:
            return [Reply(ctx._("That assessment is already finished. Send /skills to start a new one."))]
        role, assessment = found
        pending = [skill for skill in role.skills if skill.key not in assessment.ratings]
        ratings = dict(assessment.ratings)
        ratings[pending[0].key] = value
        assessment.ratings = ratings  # a new dict, so the JSON column is written
        if len(pending) > 1:
            return [self._ask_skill(ctx, role, assessment)]
        return await self._complete(ctx, role, assessment)

    async def _complete(self, ctx: FlowContext, role: Role, assessment: SkillAssessment) -> list[Reply]:
        _ = ctx._
        await coaching.complete_assessment(ctx.session, assessment, ctx.now)
        history = await coaching.completed_assessments(ctx.session, ctx.user_id, role.key, limit=2)
        previous = next((a for a in history if a.id != assessment.id), None)
        ctx.finish()
        messages = result_text(role, assessment, previous, ctx.t, ctx.content)
        replies = [Reply(text) for text in messages]
        if any(isinstance(v, int) for v in assessment.ratings.values()):
            panel = skill_panel(
                role, assessment.ratings, ctx.language, previous.ratings if previous else None
            )
            image = await asyncio.to_thread(picture, [panel], ctx.t)
            replies.append(Reply(_("Your skill profile against the target."), image=image))
        replies[-1] = Reply(
            replies[-1].text,
            image=replies[-1].image,
            choices=(
                Choice(_("Plan my study"), actions.shortcut("study")),
                Choice(_("See my progress"), actions.shortcut("progress")),
                Choice(_("My skill paths"), actions.shortcut("skills")),
            ),
        )
        return replies

    # -- events -----------------------------------------------------------------------------------
    async def _rating_picked(self, ctx: FlowContext, value: str) -> list[Reply]:
        if value in LEVELS:
            return await self._rate(ctx, int(value))
        if value == "skip":
            return await self._rate(ctx, None)
        if value == "levels":
            return await self._show_levels(ctx)
        return [ctx.choose_please()]

    async def _role_picked(self, ctx: FlowContext, value: str) -> list[Reply]:
        key = ctx.offered_at(value[1:]) if value.startswith("r") else None
        if key is None or key not in ctx.content.roles:
            return [ctx.choose_please()]
        return await self._role_chosen(ctx, key)

    async def _show_levels(self, ctx: FlowContext) -> list[Reply]:
        found = await self._assessment(ctx)
        if found is None:
            return [ctx.choose_please()]
        role, assessment = found
        return [Reply(self._levels_text(ctx)), self._ask_skill(ctx, role, assessment)]

    async def _resume_choice(self, ctx: FlowContext, value: str) -> list[Reply]:
        if value == "continue":
            found = await self._assessment(ctx)
            if found is not None:
                role, assessment = found
                if all(skill.key in assessment.ratings for skill in role.skills):
                    # Every skill was rated but the role changed under it (a content update): finish now.
                    return await self._complete(ctx, role, assessment)
                return [self._ask_skill(ctx, role, assessment)]
        role_key = self.draft(ctx).role
        if value == "restart" and role_key is not None and role_key in ctx.content.roles:
            return await self._start(ctx, role_key)
        if value == "menu":
            return [await self._menu(ctx)]
        return [ctx.choose_please()]

    async def _menu_choice(self, ctx: FlowContext, value: str) -> list[Reply]:
        _ = ctx._
        roles = self.draft(ctx).roles
        if value.startswith("a") and value[1:].isdigit() and int(value[1:]) < len(roles):
            key = roles[int(value[1:])]
            if key in ctx.content.roles:
                return await self._start(ctx, key)
        if value == "switch":
            return [
                self._ask_role(
                    ctx, _("Which path is now your main one?"), purpose="switch", exclude=tuple(roles[:1])
                )
            ]
        if value == "add":
            return [
                self._ask_role(ctx, _("Which path do you want to add?"), purpose="add", exclude=tuple(roles))
            ]
        if value == "done":
            ctx.finish()
            return [Reply(_("Your skill paths are saved."), choices=ctx.shortcuts())]
        return [ctx.choose_please()]

    async def _rating_typed(self, ctx: FlowContext, text: str) -> list[Reply]:
        answer = clean(text).casefold().rstrip(".!")
        rating = parse_rating(text)  # "3", "3점", "3/5", "셋", "three"
        if isinstance(rating, Understood):
            return await self._rate(ctx, rating.value)
        if answer in SKIP_WORDS:
            return await self._rate(ctx, None)
        if answer in HELP_WORDS:
            return await self._show_levels(ctx)
        return [
            Reply(
                ctx._(
                    "Please answer with a number from 1 to 5, or tap Skip. Not sure what the numbers mean? "
                    "Tap “What do the levels mean?”."
                ),
                ephemeral=True,
            )
        ]

    async def _role_typed(self, ctx: FlowContext, text: str) -> list[Reply]:
        answer = clean(text).casefold().rstrip(".!")
        for key in ctx.offered():
            role = ctx.content.roles.get(key)
            if role and answer in (role.name.en.casefold(), role.name.ko.casefold(), key):
                return await self._role_chosen(ctx, key)
        return [ctx.choose_please()]


async def passed_lines(ctx: FlowContext) -> list[str]:
    """The certifications passed, dated by their exam day: proof that belongs on the skills profile."""
    goals = {g.id: g for g in await coaching.all_goals(ctx.session, ctx.user_id) if g.status == "passed"}
    passed = [
        r for r in await coaching.exam_results(ctx.session, ctx.user_id) if r.passed and r.goal_id in goals
    ]
    if not passed:
        return []
    lines = ["", ctx._("*Certifications passed*")]
    for result in passed:
        day = result.exam_date or result.recorded_at.date()
        lines.append(f"• {goal_name(goals[result.goal_id], ctx.content)} ({ctx.t.date(day)})")
    return lines


flow = Skills()
