"""What the study flows share: limits, the goal a draft points at, the menu they return to, and the exam
date and weekly hours questions (asked when a goal is set and again when it is changed)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from enum import StrEnum
from typing import Literal
from zoneinfo import ZoneInfo

from coach.context import FlowContext
from coach.draft import Draft
from coach.flows.questions.base import Hints, Question, Reading, Unclear, Understood
from coach.hours import parse_hours
from coach.messages import Reply
from coach.pace import local_today
from coach.parsing import parse_date
from coach.study_report import goal_name, goal_pace, pace_line
from storage import coaching
from storage.models import StudyGoal

MENU_FLOW = "study"
MAX_WEEKLY_HOURS = 100.0
MAX_NAME_CHARS = 200
MAX_YEARS_AHEAD = 3
WEEKLY_CHOICES = (3, 5, 8, 10)
NO_WORDS = {"no", "none", "skip", "아니요", "아니오", "없어요", "없음", "건너뛰기"}


GoalAction = Literal["result", "edit"]


class MenuStep(StrEnum):
    MENU = "menu"
    WHICH_GOAL = "which_goal"


class MenuDraft(Draft):
    goals: list[int] = []  # the active goals the menu listed (buttons carry their position)
    then: GoalAction = "edit"  # what picking a goal is for


class GoalDraft(Draft):
    """The draft of a flow about one existing goal."""

    goal: int | None = None


def zone(ctx: FlowContext) -> ZoneInfo:
    return ZoneInfo(ctx.user.timezone)


async def active_goal(ctx: FlowContext, goal_id: int | None) -> StudyGoal | None:
    """The user's goal ``goal_id``, if it is still active."""
    goal = await coaching.get_goal(ctx.session, ctx.user_id, goal_id) if goal_id is not None else None
    return goal if goal is not None and goal.status == "active" else None


async def show_menu(ctx: FlowContext, intro: str = "") -> Reply:
    """The /study menu: every active goal with its pace, and what can be done next."""
    _ = ctx._
    ctx.enter(MENU_FLOW)
    goals = await coaching.active_goals(ctx.session, ctx.user_id)
    lines = [intro] if intro else []
    lines.append(_("*Your study goals*"))
    for goal in goals:
        checkins = await coaching.checkins_of(ctx.session, goal.id or 0)
        pace = goal_pace(goal, checkins, ctx.content, ctx.user, ctx.now)
        lines.append("• " + pace_line(goal, pace, ctx.content, ctx.t))
    if not goals:
        lines.append(_("No active goals."))
    ctx.draft(MenuDraft).goals = [goal.id for goal in goals if goal.id is not None]
    if len(goals) == 1:
        choices = [(_("Check in"), "c0")]
    else:
        choices = [
            (_("Check in: {goal}").format(goal=goal_name(goal, ctx.content)), f"c{i}")
            for i, goal in enumerate(goals)
        ]
    choices.append((_("New goal"), "new"))
    if goals:
        choices += [(_("Record an exam result"), "result"), (_("Change a goal"), "edit")]
    choices.append((_("Done"), "done"))
    return ctx.ask(MenuStep.MENU, "\n".join(lines), choices, ask=None, columns=1)


def goals_saved(ctx: FlowContext) -> Reply:
    """Leave the study flows with a word that nothing is lost."""
    ctx.finish()
    return Reply(ctx._("Your study goals are saved."), choices=ctx.shortcuts())


# -- the exam date ----------------------------------------------------------------------------------
def read_exam_date(text: str, hints: Hints) -> Reading[date | None]:
    """An exam date still ahead, and not more than three years away."""
    _ = hints.t.gettext
    when = parse_date(text)
    if when is None:
        return Unclear(
            _("I could not read that as a date. Type it like 2027-03-14, or tap “Not booked yet”.")
        )
    today = local_today(hints.now, ZoneInfo(hints.timezone))
    if when < today:
        return Unclear(
            _(
                "{date} has already passed. Please give the date of an exam still ahead, or tap “Not booked yet”."
            ).format(date=hints.t.date(when))
        )
    if when.year > today.year + MAX_YEARS_AHEAD:
        return Unclear(
            _("That is more than three years away. Please pick a nearer date, or tap “Not booked yet”.")
        )
    return Understood(when)


class ExamDate(Question[date | None]):
    """When the exam is; ``None`` while it is not booked."""

    def prompt(self, ctx: FlowContext) -> str:
        return ctx._("When is the exam? Type the date like 2027-03-14, or tap “Not booked yet”.")

    def options(self, ctx: FlowContext) -> Sequence[date | None]:
        return [None]

    def label(self, ctx: FlowContext, value: date | None) -> str:
        return ctx._("Not booked yet") if value is None else ctx.t.date(value)

    def encode(self, value: date | None) -> str:
        return "none" if value is None else value.isoformat()

    def decode(self, ctx: FlowContext, pressed: str) -> Understood[date | None] | None:
        return Understood(None) if pressed == "none" else None


# -- hours a week -----------------------------------------------------------------------------------
def read_weekly(text: str, hints: Hints) -> Reading[float]:
    """Hours a week a plan can honestly be paced on: more than none, at most a hundred."""
    _ = hints.t.gettext
    hours = parse_hours(text)
    if hours is None:
        return Unclear(_("I could not read that as hours. Type a number such as 5, 4.5, 90m or 1h30."))
    if hours < 0:
        return Unclear(_("Hours can't be negative. How many hours a week can you give it?"))
    if hours == 0:
        return Unclear(_("Even one hour a week moves you forward. How many hours can you give it?"))
    if hours > MAX_WEEKLY_HOURS:
        return Unclear(
            _(
                "More than {limit:g} hours a week is not a plan I can pace honestly. Please give a number up to {limit:g}."
            ).format(limit=MAX_WEEKLY_HOURS)
        )
    return Understood(round(hours, 2))


class WeeklyHours(Question[float]):
    """The hours a week the user can give a goal."""

    columns = 4

    def prompt(self, ctx: FlowContext) -> str:
        return ctx._("How many hours a week can you give it? Pick one, or type it (e.g. 4.5 or 1h30).")

    def options(self, ctx: FlowContext) -> Sequence[float]:
        return [float(n) for n in WEEKLY_CHOICES]

    def label(self, ctx: FlowContext, value: float) -> str:
        return ctx._("{n} h").format(n=f"{value:g}")

    def encode(self, value: float) -> str:
        return f"w{value:g}"

    def decode(self, ctx: FlowContext, pressed: str) -> Understood[float] | None:
        hours = pressed[1:]
        if pressed.startswith("w") and hours.isdigit() and int(hours) in WEEKLY_CHOICES:
            return Understood(float(hours))
        return None


EXAM_DATE = ExamDate(read_exam_date)
WEEKLY_HOURS = WeeklyHours(read_weekly)
