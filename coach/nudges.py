"""Which weekly check-in a user gets and how it reads: pure functions, no storage, no clock.

A check-in is a study check-in (with the plan model's findings) while a study goal is active, a question
about the result once the goal's exam date has come, otherwise a reflection prompt; every fourth week it
also offers a re-rating of skills. A week skipped for a public holiday gets a short note instead. Its buttons start the activity now (``go:``
shortcuts, so they work whatever flows exist), snooze it (1 hour, 3 hours, tomorrow) or skip the week;
the snooze and skip buttons carry the slot id (``nudge:<slot>:snooze:1``) and are checked against the
stored slot when pressed (:mod:`coach.flows.checkin`).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from coach import actions
from coach import plan_words as words
from coach.content import Content
from coach.i18n import Translator
from coach.messages import Choice, Reply
from coach.plan import Phase, Plan
from coach.plan_buttons import option_choices
from coach.prompts import pick_prompt
from coach.schedule import SNOOZES

FEATURE = "nudge"
SKILLS_EVERY_WEEKS = 4
LATE_AFTER = timedelta(minutes=10)  # a tick runs every minute; later than this, the user is told why

CheckinKind = Literal["study", "reflect", "result", "holiday"]
RESULT_OUTCOMES = ("passed", "failed", "moved")


@dataclass(frozen=True, slots=True)
class StudyView:
    """An active study goal, by name, with the plan model's findings about it."""

    goal_id: int
    goal: str
    plan: Plan

    @property
    def result_due(self) -> bool:
        return self.plan.phase in (Phase.EXAM_DAY, Phase.RESULT_DUE)


@dataclass(frozen=True, slots=True)
class CheckinPlan:
    """What one check-in is about; ``topic`` is the reflection prompt key, kept so a reminder repeats it."""

    kind: CheckinKind
    topic: str | None = None
    offer_skills: bool = False


def week_number(created_at: datetime, slot_at: datetime, timezone: str) -> int:
    """1 for the user's first week with Encore, counted in their local dates."""
    zone = ZoneInfo(timezone)
    days = (slot_at.astimezone(zone).date() - created_at.astimezone(zone).date()).days
    return max(days, 0) // 7 + 1


def plan_checkin(
    *,
    study: StudyView | None,
    answered_prompts: Sequence[str],
    content: Content,
    commands: Collection[str],
    created_at: datetime,
    slot_at: datetime,
    timezone: str,
    kept: tuple[str | None, str | None] = (None, None),
) -> CheckinPlan:
    """Choose this week's check-in; ``commands`` are the ones the coach has (so no button leads nowhere).

    ``kept`` is the (kind, topic) a reminder of an already sent check-in repeats, while it still applies.
    """
    offer_skills = (
        "skills" in commands and week_number(created_at, slot_at, timezone) % SKILLS_EVERY_WEEKS == 0
    )
    kind, topic = kept
    if kind == "reflect":
        return CheckinPlan("reflect", topic=topic, offer_skills=offer_skills)
    if study is not None and "study" in commands:
        if study.result_due:
            return CheckinPlan("result", topic=str(study.goal_id), offer_skills=False)
        return CheckinPlan("study", offer_skills=offer_skills)
    prompt = pick_prompt(content, answered_prompts) if content.prompts else None
    return CheckinPlan("reflect", topic=prompt.key if prompt else None, offer_skills=offer_skills)


def _local(instant: datetime, timezone: str) -> datetime:
    return instant.astimezone(ZoneInfo(timezone))


def when_text(instant: datetime, now: datetime, timezone: str, t: Translator) -> str:
    """A near instant as the user says it: "today at 10:15", "tomorrow at 09:00", "Tuesday at 09:00"."""
    _ = t.gettext
    local, today = _local(instant, timezone), _local(now, timezone).date()
    clock = f"{local:%H:%M}"
    if local.date() == today:
        return _("today at {time}").format(time=clock)
    if local.date() == today + timedelta(days=1):
        return _("tomorrow at {time}").format(time=clock)
    if local.date() < today + timedelta(days=7):
        return _("{weekday} at {time}").format(weekday=t.weekday(local.weekday()), time=clock)
    return _("{weekday}, {date} at {time}").format(
        weekday=t.weekday(local.weekday()), date=t.date(local.date()), time=clock
    )


def start_action(plan: CheckinPlan, content: Content) -> str:
    """The shortcut that starts this check-in's activity (a reflection in the prompt's theme)."""
    if plan.kind in ("study", "result"):
        return actions.shortcut("study")
    theme = _prompt_theme(plan, content)
    return actions.shortcut("reflect", theme) if theme else actions.shortcut("reflect")


def _prompt_theme(plan: CheckinPlan, content: Content) -> str | None:
    found = [p for p in content.prompts if p.key == plan.topic]
    return found[0].theme if found else None


def checkin_buttons(
    slot_id: int, plan: CheckinPlan, content: Content, t: Translator, study: StudyView | None = None
) -> tuple[Choice, ...]:
    """The check-in's buttons; a study check-in that shows a re-plan offer also offers its options."""
    _ = t.gettext
    if plan.kind == "result":
        return result_buttons(slot_id, t)
    replan = option_choices(study.goal_id, study.plan, t) if plan.kind == "study" and study else ()
    buttons = [
        *replan,
        Choice(_("Start now"), start_action(plan, content)),
        Choice(_("In 1 hour"), actions.feature_action(FEATURE, str(slot_id), "snooze", "1")),
        Choice(_("In 3 hours"), actions.feature_action(FEATURE, str(slot_id), "snooze", "3")),
        Choice(_("Tomorrow"), actions.feature_action(FEATURE, str(slot_id), "snooze", "tomorrow")),
        Choice(_("Skip this week"), actions.feature_action(FEATURE, str(slot_id), "skip")),
    ]
    if plan.offer_skills:
        buttons.append(Choice(_("Re-rate my skills"), actions.shortcut("skills")))
    return tuple(buttons)


def result_buttons(slot_id: int, t: Translator) -> tuple[Choice, ...]:
    """Passed / not this time / postponed (to a new date), handled by :mod:`coach.flows.study.exam`."""
    _ = t.gettext
    return (
        Choice(_("Passed"), actions.feature_action(FEATURE, str(slot_id), "result", "passed")),
        Choice(_("Not this time"), actions.feature_action(FEATURE, str(slot_id), "result", "failed")),
        Choice(_("Postponed"), actions.feature_action(FEATURE, str(slot_id), "result", "moved")),
        Choice(_("Tomorrow"), actions.feature_action(FEATURE, str(slot_id), "snooze", "tomorrow")),
    )


def _study_text(study: StudyView, t: Translator) -> str:
    _ = t.gettext
    plan = study.plan
    lines = [
        _("Your study goal: {goal} · {status}").format(goal=study.goal, status=words.status(plan, t)),
        words.position_sentence(plan, t),
    ]
    left = words.time_left(plan, t)
    if plan.exam_date is not None and left is not None:
        lines.append(_("Exam: {date}, {left}").format(date=t.date(plan.exam_date), left=left))
    if plan.phase is Phase.FINAL:
        lines.append(words.last_weeks_text(plan, study.goal, t))
    replan = words.replan_text(plan, t)
    if replan:
        lines.append(replan)
    lines.append(_("Log this week's study now, or pick a better time below."))
    return "\n".join(lines)


def result_text(study: StudyView, t: Translator) -> str:
    _ = t.gettext
    plan = study.plan
    assert plan.exam_date is not None
    if plan.phase is Phase.EXAM_DAY:
        return _("Today is the exam for {goal}. Good luck! Tell me how it went when you can.").format(
            goal=study.goal
        )
    return _("Your exam for {goal} was on {date}. How did it go?").format(
        goal=study.goal, date=t.date(plan.exam_date)
    )


def _reflect_text(plan: CheckinPlan, content: Content, t: Translator) -> str:
    _ = t.gettext
    prompt = next((p for p in content.prompts if p.key == plan.topic), None)
    if prompt is None:
        return _("Take five quiet minutes for a reflection this week.")
    theme = next((th for th in content.themes if th.key == prompt.theme), None)
    heading = _("This week's question, on *{theme}*:").format(
        theme=theme.title.get(t.language) if theme else prompt.theme
    )
    return (
        heading
        + "\n_"
        + prompt.text.get(t.language)
        + "_\n\n"
        + _("Five quiet minutes is enough. Start now, or pick a better time below.")
    )


def render_checkin(
    plan: CheckinPlan,
    *,
    slot_id: int,
    slot_at: datetime,
    now: datetime,
    timezone: str,
    t: Translator,
    content: Content,
    study: StudyView | None = None,
    streak: int = 0,
    reminder: bool = False,
) -> Reply:
    """The check-in message; ``reminder`` when it comes back after a snooze."""
    _ = t.gettext
    parts = [_("Here is your check-in again, as you asked.") if reminder else _("*Your weekly check-in*")]
    if not reminder and now - slot_at >= LATE_AFTER:
        local = _local(slot_at, timezone)
        parts.append(
            "_"
            + _("Sorry this comes late: it was due {weekday} at {time}, while I was offline.").format(
                weekday=t.weekday(local.weekday()), time=f"{local:%H:%M}"
            )
            + "_"
        )
    if streak >= 2:
        parts.append(words.streak(streak, t))
    if plan.kind == "result" and study is not None:
        parts.append(result_text(study, t))
    elif plan.kind == "study" and study is not None:
        parts.append(_study_text(study, t))
    else:
        parts.append(_reflect_text(plan, content, t))
    if plan.offer_skills:
        parts.append(_("It has been four weeks: a good moment to re-rate your skills and see what moved."))
    return Reply("\n\n".join(parts), choices=checkin_buttons(slot_id, plan, content, t, study), columns=2)


def render_holiday(name: str, t: Translator) -> Reply:
    """The note sent instead of the check-in in a week skipped for a public holiday."""
    return Reply(t.gettext("No check-in this week: {holiday}. Enjoy it!").format(holiday=name))


def render_followup(plan: CheckinPlan, *, slot_id: int, t: Translator, content: Content) -> Reply:
    """The one gentle follow-up after an unanswered check-in."""
    _ = t.gettext
    text = _(
        "A gentle nudge: this week's check-in is still open. Even five minutes keeps your preparation moving."
    )
    return Reply(
        text,
        choices=(
            Choice(_("Start now"), start_action(plan, content)),
            Choice(_("Skip this week"), actions.feature_action(FEATURE, str(slot_id), "skip")),
        ),
        columns=2,
    )


@dataclass(frozen=True, slots=True)
class NudgeButton:
    slot_id: int
    verb: Literal["snooze", "skip"]
    snooze: str = ""


@dataclass(frozen=True, slots=True)
class ResultButton:
    slot_id: int
    outcome: str  # one of RESULT_OUTCOMES


def parse_result_button(parts: tuple[str, ...]) -> ResultButton | None:
    """``<slot>:result:<outcome>`` after ``nudge:``, or ``None`` if it is not one the coach makes."""
    if len(parts) != 3 or not parts[0].isdigit() or len(parts[0]) > 18 or parts[1] != "result":
        return None
    return ResultButton(int(parts[0]), parts[2]) if parts[2] in RESULT_OUTCOMES else None


def parse_button(parts: tuple[str, ...]) -> NudgeButton | None:
    """The parts after ``nudge:`` of a check-in button, or ``None`` if they are not one we make."""
    if len(parts) < 2 or not parts[0].isdigit() or len(parts[0]) > 18:
        return None
    slot_id = int(parts[0])
    if parts[1:] == ("skip",):
        return NudgeButton(slot_id, "skip")
    if len(parts) == 3 and parts[1] == "snooze" and parts[2] in SNOOZES:
        return NudgeButton(slot_id, "snooze", parts[2])
    return None
