"""Progress (/progress): one look across everything — profile and horizon, journal, the latest skill gap,
each study goal's pace — with a picture of skills, weekly study hours and practice scores."""

from __future__ import annotations

import asyncio

from coach import actions
from coach.charts import Panel, picture
from coach.context import FlowContext
from coach.flows.base import Flow
from coach.i18n import N_
from coach.messages import Choice, Reply
from coach.profile_text import profile_summary
from coach.skills_report import skill_panel, summary_line, target_roles
from coach.study_report import goal_name, goal_pace, hours_panel, pace_line, scores_panel
from coach.webapp_view import app_choice
from storage import coaching, journal, users
from storage.models import StudyCheckin


class Progress(Flow):
    name = "progress"
    commands = {"progress": N_("See your progress: skills, study pace and journal, with a chart")}

    async def begin(self, ctx: FlowContext, command: str, args: str) -> list[Reply]:
        _ = ctx._
        lang = ctx.language
        profile = await users.get_profile(ctx.session, ctx.user_id)
        sections = [profile_summary(profile, ctx.user, ctx.content, ctx.t, ctx.now)]

        entries = await journal.count_entries(ctx.session, ctx.user_id)
        sections.append(
            ctx.ngettext("*Journal*: {n} reflection", "*Journal*: {n} reflections", entries).format(n=entries)
        )

        panels: list[Panel] = []
        choices: list[Choice] = []
        roles = await target_roles(ctx.session, ctx.user_id, ctx.content)
        skill_lines = [_("*Skills*")]
        for key in roles:
            role = ctx.content.roles[key]
            history = await coaching.completed_assessments(ctx.session, ctx.user_id, key, limit=2)
            latest = history[0] if history else None
            if latest is None:
                skill_lines.append(
                    _("{role}: not assessed yet. /skills measures the gap in about five minutes.").format(
                        role=role.name.get(lang)
                    )
                )
                continue
            skill_lines.append(summary_line(role, latest, ctx.t))
            if not panels:  # one skill picture: the main path, or the first one assessed
                previous = history[1].ratings if len(history) > 1 else None
                panels.append(skill_panel(role, latest.ratings, lang, previous))
        if not roles:
            skill_lines.append(_("No path chosen yet. /skills lets you pick one and measure the gap."))
        if not panels:
            choices.append(Choice(_("Rate my skills"), actions.shortcut("skills")))
        sections.append("\n".join(skill_lines))

        goals = await coaching.all_goals(ctx.session, ctx.user_id)
        active = [goal for goal in goals if goal.status == "active"]
        study_lines = [_("*Study*")]
        by_goal: dict[int, list[StudyCheckin]] = {}
        for goal in goals:
            by_goal[goal.id or 0] = await coaching.checkins_of(ctx.session, goal.id or 0)
        for goal in active:
            pace = goal_pace(goal, by_goal[goal.id or 0], ctx.content, ctx.user, ctx.now)
            study_lines.append("• " + pace_line(goal, pace, ctx.content, ctx.t))
        for goal in goals:
            if goal.status == "passed" and goal.closed_at is not None:
                study_lines.append(
                    "✓ "
                    + _("{goal}: passed on {date}").format(
                        goal=goal_name(goal, ctx.content), date=ctx.t.date(goal.closed_at.date())
                    )
                )
        if len(study_lines) == 1:
            study_lines.append(_("No study goal yet. /study sets one and paces it week by week."))
            choices.append(Choice(_("Set a study goal"), actions.shortcut("study")))
        sections.append("\n".join(study_lines))

        checkins = [c for goal in goals for c in by_goal[goal.id or 0]]
        if checkins:
            panels.append(hours_panel(active or goals, checkins, ctx.user, ctx.now))
            scores = scores_panel(goals, by_goal, ctx.content, ctx.user)
            if scores is not None:
                panels.append(scores)
        replies = [Reply("\n\n".join(sections))]
        if panels:
            image = await asyncio.to_thread(picture, panels, ctx.t)
            replies.append(Reply(_("Your progress at a glance."), image=image))
        choices.append(Choice(_("Reflect"), actions.shortcut("reflect")))
        choices.append(app_choice(ctx.t))  # the dashboard app, on platforms that have it
        last = replies[-1]
        replies[-1] = Reply(last.text, image=last.image, choices=tuple(choices))
        return replies


flow = Progress()
