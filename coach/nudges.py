"""Which weekly check-in a user gets and how it reads: pure functions, no storage, no clock.

A check-in is a study check-in (with pace) while a study goal is active, otherwise a reflection prompt;
every fourth week it also offers a re-rating of skills. Its buttons start the activity now (``go:``
shortcuts, so they work whatever flows exist), snooze it (1 hour, 3 hours, tomorrow) or skip the week;
the snooze and skip buttons carry the slot id (``nudge:<slot>:snooze:1``) and are checked against the
stored slot when pressed (:mod:`coach.flows.checkin`).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from coach import actions
from coach.content import Content
from coach.i18n import Translator
from coach.messages import Choice, Reply
from coach.prompts import pick_prompt
from coach.schedule import SNOOZES

FEATURE = "nudge"
SKILLS_EVERY_WEEKS = 4
LATE_AFTER = timedelta(minutes=10)  # a tick runs every minute; later than this, the user is told why
PACE_TOLERANCE_HOURS = 1.0

CheckinKind = Literal["study", "reflect"]


@dataclass(frozen=True, slots=True)
class StudyPace:
    """An active study goal and how the user keeps up with the hours they planned."""

    goal: str
    weekly_hours: float  # planned
    hours_past_week: float
    hours_total: float
    hours_expected: float  # by now, at the planned weekly hours
    exam_date: date | None = None


@dataclass(frozen=True, slots=True)
class CheckinPlan:
    """What one check-in is about; ``topic`` is the reflection prompt key, kept so a reminder repeats it."""

    kind: CheckinKind
    topic: str | None = None
    offer_skills: bool = False


@dataclass(frozen=True, slots=True)
class SlotOutcome:
    """A past check-in, as the streak sees it."""

    slot_at: datetime
    status: str
    reason: str | None
    answered: bool


def week_number(created_at: datetime, slot_at: datetime, timezone: str) -> int:
    """1 for the user's first week with Encore, counted in their local dates."""
    zone = ZoneInfo(timezone)
    days = (slot_at.astimezone(zone).date() - created_at.astimezone(zone).date()).days
    return max(days, 0) // 7 + 1


def plan_checkin(
    *,
    study: StudyPace | None,
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
        return CheckinPlan("study", offer_skills=offer_skills)
    prompt = pick_prompt(content, answered_prompts) if content.prompts else None
    return CheckinPlan("reflect", topic=prompt.key if prompt else None, offer_skills=offer_skills)


def streak_weeks(history: Sequence[SlotOutcome], now: datetime) -> int:
    """Weeks in a row the user answered their check-in, newest first in ``history``.

    A week they skipped, a week the check-in could not reach them through our fault (downtime, a platform
    outage) and a paused week (no slot at all) keep the streak without adding to it; a check-in sent and
    left unanswered for a week ends it. The current week, still open, neither counts nor breaks.
    """
    streak = 0
    for outcome in sorted(history, key=lambda o: o.slot_at, reverse=True):
        if outcome.answered:
            streak += 1
        elif outcome.status == "sent":
            if now - outcome.slot_at < timedelta(days=7):
                continue
            break
        elif outcome.status == "failed" and outcome.reason == "unreachable":
            break
    return streak


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
    if plan.kind == "study":
        return actions.shortcut("study")
    theme = _prompt_theme(plan, content)
    return actions.shortcut("reflect", theme) if theme else actions.shortcut("reflect")


def _prompt_theme(plan: CheckinPlan, content: Content) -> str | None:
    found = [p for p in content.prompts if p.key == plan.topic]
    return found[0].theme if found else None


def checkin_buttons(slot_id: int, plan: CheckinPlan, content: Content, t: Translator) -> tuple[Choice, ...]:
    _ = t.gettext
    buttons = [
        Choice(_("Start now"), start_action(plan, content)),
        Choice(_("In 1 hour"), actions.feature_action(FEATURE, str(slot_id), "snooze", "1")),
        Choice(_("In 3 hours"), actions.feature_action(FEATURE, str(slot_id), "snooze", "3")),
        Choice(_("Tomorrow"), actions.feature_action(FEATURE, str(slot_id), "snooze", "tomorrow")),
        Choice(_("Skip this week"), actions.feature_action(FEATURE, str(slot_id), "skip")),
    ]
    if plan.offer_skills:
        buttons.append(Choice(_("Re-rate my skills"), actions.shortcut("skills")))
    return tuple(buttons)


def _hours(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def _study_text(study: StudyPace, now: datetime, t: Translator) -> str:
    _ = t.gettext
    lines = [
        _("Your study goal: *{goal}*").format(goal=study.goal),
        _("Past week: {done} h of the {planned} h you planned.").format(
            done=_hours(study.hours_past_week), planned=_hours(study.weekly_hours)
        ),
    ]
    gap = study.hours_expected - study.hours_total
    if gap > PACE_TOLERANCE_HOURS:
        lines.append(
            _(
                "You are about {hours} h behind your plan; one extra session this week closes much of it."
            ).format(hours=_hours(round(gap)))
        )
    elif gap < -PACE_TOLERANCE_HOURS:
        lines.append(_("You are ahead of your plan. Well done."))
    else:
        lines.append(_("You are on pace with your plan."))
    if study.exam_date is not None and study.exam_date >= now.date():
        weeks = (study.exam_date - now.date()).days // 7
        lines.append(t.ngettext("{n} week to the exam.", "{n} weeks to the exam.", weeks).format(n=weeks))
    lines.append(_("Log this week's study now, or pick a better time below."))
    return "\n".join(lines)


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
    study: StudyPace | None = None,
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
        parts.append(
            t.ngettext(
                "You have checked in {n} week in a row.", "You have checked in {n} weeks in a row.", streak
            ).format(n=streak)
        )
    if plan.kind == "study" and study is not None:
        parts.append(_study_text(study, now, t))
    else:
        parts.append(_reflect_text(plan, content, t))
    if plan.offer_skills:
        parts.append(_("It has been four weeks: a good moment to re-rate your skills and see what moved."))
    return Reply("\n\n".join(parts), choices=checkin_buttons(slot_id, plan, content, t), columns=2)


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
