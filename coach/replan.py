"""What choosing a re-plan button (:mod:`coach.plan_buttons`) does.

A button is honoured only for the user's own active goal and only while the plan model still offers exactly
that option: a button from an earlier week, pressed twice or forged changes nothing. The router hands
``plan:`` actions to :func:`on_button` (the feature :data:`FEATURE` in ``coach.flows.default_features``).
"""

from __future__ import annotations

from coach import plan_words as words
from coach.context import FlowContext
from coach.i18n import Translator
from coach.messages import Reply
from coach.plan import Option, OptionKind, Plan
from coach.plan_buttons import FEATURE, option_choices, option_value, parse_button
from coach.plan_buttons import offered as _offered
from coach.study_report import goal_pace, pace_line
from storage import coaching
from storage import plan as plan_store

__all__ = [
    "FEATURE",
    "chosen_text",
    "describe",
    "on_button",
    "option_choices",
    "option_value",
    "parse_button",
]


async def on_button(ctx: FlowContext, parts: tuple[str, ...]) -> list[Reply]:
    """Put the chosen option in force (or remember that the user kept the plan)."""
    _ = ctx._
    button = parse_button(parts)
    goal = await coaching.get_goal(ctx.session, ctx.user_id, button.goal_id) if button else None
    if button is None or goal is None or goal.status != "active":
        return [Reply(_("This offer is no longer open, so nothing was changed."), ephemeral=True)]
    checkins = await coaching.checkins_of(ctx.session, goal.id or 0)
    option = _offered(goal_pace(goal, checkins, ctx.content, ctx.user, ctx.now), button)
    if option is None:
        return [Reply(_("This offer is no longer open, so nothing was changed."), ephemeral=True)]
    await plan_store.change_plan(
        ctx.session,
        goal,
        kind=option.kind.value,
        weekly_hours=option.weekly_hours,
        exam_date=option.exam_date,
        now=ctx.now,
    )
    plan = goal_pace(goal, checkins, ctx.content, ctx.user, ctx.now)
    return [Reply(chosen_text(option, ctx.t) + "\n\n" + pace_line(goal, plan, ctx.content, ctx.t))]


def chosen_text(option: Option, t: Translator) -> str:
    _ = t.gettext
    hours = words.hours(option.weekly_hours)
    if option.kind is OptionKind.RAISE and option.exam_date is not None:
        return _("New plan: {hours} h a week from now, for {date}. From now on I measure against it.").format(
            hours=hours, date=t.date(option.exam_date)
        )
    if option.kind is OptionKind.MOVE and option.exam_date is not None:
        return _(
            "New plan: the exam on {date}, {hours} h a week. Move your booking with the exam provider too."
        ).format(hours=hours, date=t.date(option.exam_date))
    if option.kind in (OptionKind.LOWER, OptionKind.RESTART):
        return _("New plan: {hours} h a week, measured from this week.").format(hours=hours)
    return _("Kept: {hours} h a week. I won't suggest a new plan for two weeks.").format(hours=hours)


def describe(goal_label: str, plan: Plan, t: Translator) -> str | None:
    """The re-plan offer with its arithmetic, for a flow to show above :func:`option_choices`."""
    text = words.replan_text(plan, t)
    return f"{goal_label}\n{text}" if text else None
