"""What the study flows share: limits, the goal a draft points at, the menu they return to, and the exam
date and weekly hours questions (asked when a goal is set and again when it is changed)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from enum import StrEnum
from typing import Literal
from zoneinfo import ZoneInfo

from coach.content import Content
from coach.context import FlowContext
from coach.draft import Draft
from coach.flows.questions.base import Ambiguous, Hints, Question, Reading, Unclear, Understood
from coach.messages import Choice, Reply
from coach.nudges import StudyView, result_text
from coach.pace import local_today
from coach.plan import Phase
from coach.plan_buttons import option_choices
from coach.replan import describe
from coach.study_report import certification, goal_name, goal_pace, pace_line
from coach.understanding import Ambiguous as Several
from coach.understanding import Per, Precision, parse_duration, parse_score, parse_when
from coach.understanding import Understood as Read
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
    offers: list[str] = []
    replan: tuple[Choice, ...] = ()
    for goal in goals:
        checkins = await coaching.checkins_of(ctx.session, goal.id or 0)
        pace = goal_pace(goal, checkins, ctx.content, ctx.user, ctx.now)
        lines.append("• " + pace_line(goal, pace, ctx.content, ctx.t))
        if pace.phase in (Phase.EXAM_DAY, Phase.RESULT_DUE):  # the result is due: ask for it, not hours
            offers.append(result_text(StudyView(goal.id or 0, goal_name(goal, ctx.content), pace), ctx.t))
        offer = describe(goal_name(goal, ctx.content), pace, ctx.t)
        if offer and not replan:  # one offer at a time, so its buttons cannot be taken for another goal's
            offers.append(offer)
            replan = option_choices(goal.id or 0, pace, ctx.t)
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
    text = "\n\n".join(["\n".join(lines), *offers])
    return ctx.ask(MenuStep.MENU, text, choices, ask=None, columns=1, extra_choices=replan)


async def result_due(ctx: FlowContext, goal: StudyGoal) -> bool:
    """On the exam day and after it, until a result is recorded."""
    pace = goal_pace(
        goal, await coaching.checkins_of(ctx.session, goal.id or 0), ctx.content, ctx.user, ctx.now
    )
    return pace.phase in (Phase.EXAM_DAY, Phase.RESULT_DUE)


def goals_saved(ctx: FlowContext) -> Reply:
    """Leave the study flows with a word that nothing is lost."""
    ctx.finish()
    return Reply(ctx._("Your study goals are saved."), choices=ctx.shortcuts())


# -- typed numbers ---------------------------------------------------------------------------------
def hours_in(text: str) -> float | None:
    """Hours typed as an answer ("2", "1.5", "90분", "한 시간 반", "1h30"), negative if a minus was typed;
    ``None`` if it is not a duration, or is a rate per day (not what these questions ask)."""
    result = parse_duration(text)
    if not isinstance(result, Read) or result.value.per is Per.DAY:
        return None
    return result.value.hours


_SCALE = re.compile(r"/\s*(\d{2,5})\b")


def score_scale(goal: StudyGoal | None, content: Content) -> float | None:
    """What the goal's exam is scored out of, when its catalog entry says ("700/1000" -> 1000)."""
    cert = certification(goal, content) if goal is not None else None
    found = _SCALE.search(cert.passing_score) if cert is not None else None
    return float(found.group(1)) if found else None


def score_percent(text: str, *, scale: float | None = None) -> float | None:
    """A score as a percentage: "72", "72%", "72점" give 72; "36/50" gives 72; "780점" gives 78 for an exam
    scored out of 1000 (``scale``). Not range-checked (the caller says 0–100 is expected); ``None`` if
    unreadable. A minus is kept, so the caller can refuse it kindly."""
    cleaned = text.strip()
    sign = -1.0 if cleaned.startswith(("-", "−")) else 1.0
    result = parse_score(cleaned.lstrip("-−"))
    if not isinstance(result, Read):
        return None
    score = result.value
    percent = score.as_percent
    if percent is None and scale is not None and 100 < score.value <= scale:
        percent = round(100 * score.value / scale, 1)
    return sign * (percent if percent is not None else score.value)


# -- the exam date ----------------------------------------------------------------------------------
def read_exam_date(text: str, hints: Hints) -> Reading[date | None]:
    """An exam day still ahead, and not more than three years away: "2027-03-14", "3월 14일",
    "June 13, 2027". A month without a day is asked about; so is a date whose day and month could swap."""
    _ = hints.t.gettext
    today = local_today(hints.now, ZoneInfo(hints.timezone))
    result = parse_when(text, today=today, now=hints.local_now.replace(tzinfo=None))
    if isinstance(result, Several):
        days = tuple(dict.fromkeys(w.first for w in result.candidates if w.precision is Precision.DAY))
        fine = tuple(day for day in days if _exam_date_problem(day, today, hints) is None)
        if len(fine) == 1:
            return Understood(fine[0])
        if fine:
            return Ambiguous(fine, _("Which date do you mean?"))
        return (_exam_date_problem(days[0], today, hints) if days else None) or Unclear()
    if not isinstance(result, Read):
        return Unclear(
            _("I could not read that as a date. Type it like 2027-03-14, or tap “Not booked yet”.")
        )
    when = result.value
    if when.precision is not Precision.DAY:
        return Unclear(
            _("Which day is the exam? Type the whole date, like 2027-03-14, or tap “Not booked yet”.")
        )
    return _exam_date_problem(when.first, today, hints) or Understood(when.first)


def _exam_date_problem(when: date, today: date, hints: Hints) -> Unclear | None:
    _ = hints.t.gettext
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
    return None


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
        if pressed == "none":
            return Understood(None)
        try:
            when = date.fromisoformat(pressed)  # one of the dates a typed answer could have meant
        except ValueError:
            return None
        reading = read_exam_date(when.isoformat(), Hints.of(ctx))
        return Understood(when) if isinstance(reading, Understood) else None


# -- hours a week -----------------------------------------------------------------------------------
def read_weekly(text: str, hints: Hints) -> Reading[float]:
    """Hours a week a plan can honestly be paced on, more than none and at most a hundred: "5", "4.5",
    "6 hours a week", "주 6시간", "한 시간 반", "90분". "An hour a day" asks: every day, or weekdays?"""
    _ = hints.t.gettext
    result = parse_duration(text)
    if not isinstance(result, Read):
        return Unclear(_("I could not read that as hours. Type a number such as 5, 4.5, 90m or 1h30."))
    hours, per = result.value.hours, result.value.per
    if per is Per.DAY and 0 < hours <= MAX_WEEKLY_HOURS / 7:
        every_day, weekdays = round(hours * 7, 2), round(hours * 5, 2)
        return Ambiguous(
            (every_day, weekdays),
            _("{hours:g} h a day: every day ({week:g} h a week) or on weekdays ({weekdays:g} h)?").format(
                hours=hours, week=every_day, weekdays=weekdays
            ),
        )
    if per is Per.DAY:
        hours *= 7
    return _weekly_checked(hours, hints)


def _weekly_checked(hours: float, hints: Hints) -> Reading[float]:
    _ = hints.t.gettext
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
        if not pressed.startswith("w") or not hours.replace(".", "", 1).isdigit() or len(hours) > 6:
            return None
        reading = _weekly_checked(float(hours), Hints.of(ctx))
        return reading if isinstance(reading, Understood) else None


EXAM_DATE = ExamDate(read_exam_date)
WEEKLY_HOURS = WeeklyHours(read_weekly)
