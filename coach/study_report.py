"""Words and pictures for study goals, shared by /study, /progress, the home screen and the check-in.

Every figure comes from the one plan model (:func:`coach.plan.plan_of`, through
:func:`coach.study_facts.plan_for`) and is worded by :mod:`coach.plan_words`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from coach import plan_words as words
from coach.catalog import passing_percent
from coach.charts import HoursPanel, ScoreSeries, ScoresPanel
from coach.content import get_content
from coach.content.schema import Content
from coach.i18n import Translator
from coach.pace import week_of
from coach.plan import Phase, Plan, Suggestion
from coach.study_facts import certification, plan_for
from storage import coaching
from storage.models import StudyCheckin, StudyGoal, User

CHART_WEEKS = 12

__all__ = ["certification", "goal_name", "goal_pace", "hours_panel", "pace_line", "pace_text", "scores_panel"]


def goal_name(goal: StudyGoal, content: Content) -> str:
    cert = certification(goal, content)
    return cert.name if cert else goal.custom_name or "?"


def domain_name(goal: StudyGoal, content: Content, key: str, language: str) -> str:
    cert = certification(goal, content)
    for domain in cert.domains if cert else []:
        if domain.key == key:
            return domain.name.get(language)
    return key


def goal_pace(
    goal: StudyGoal, checkins: Sequence[StudyCheckin], content: Content, user: User, now: datetime
) -> Plan:
    """The plan model for ``goal`` at ``now``; ``checkins`` may hold logs written since it was loaded."""
    return plan_for(goal, content, ZoneInfo(user.timezone), now, fresh=checkins)


def verdict_text(plan: Plan, t: Translator) -> str:
    return words.status(plan, t)


def suggestion_text(goal: StudyGoal, plan: Plan, content: Content, t: Translator) -> str:
    _ = t.gettext
    s = plan.suggestion
    if s is Suggestion.ADD_HOURS and plan.needed_per_week:
        return _(
            "Find {hours:g} hours a week from now on: two fixed slots in your calendar work better than good intentions."
        ).format(hours=plan.needed_per_week)
    if s is Suggestion.ADD_HOURS:
        return _(
            "Put two fixed study slots in your calendar this week, {hours:g} hours in all, as you planned."
        ).format(hours=plan.weekly_hours)
    if s is Suggestion.CATCH_UP:
        return _(
            "Your plan still makes it: keep your {hours:g} hours a week and add what you can to catch up."
        ).format(hours=plan.weekly_hours)
    if s is Suggestion.MOVE_DATE:
        return _(
            "{hours:g} hours a week next to a job is not realistic. Move the exam date (most exams allow it for a "
            "small fee or free) rather than sit it underprepared."
        ).format(hours=plan.needed_per_week or 0)
    if s is Suggestion.RESTART_SMALL:
        return _(
            "Restart small: one 30-minute session this week, on the domain you find easiest. Then check in."
        )
    if s is Suggestion.FOCUS_DOMAIN and plan.weakest is not None:
        return _(
            "Give your next two sessions to {domain}: it is {weight:.0%} of the exam and {share:.0%} of your study time so far."
        ).format(
            domain=domain_name(goal, content, plan.weakest.key, t.language),
            weight=plan.weakest.weight,
            share=plan.weakest.share,
        )
    if s is Suggestion.PRACTICE_EXAM:
        return _(
            "Take a full practice exam under exam conditions: it shows which domain needs your remaining time."
        )
    if s is Suggestion.BOOK_EXAM:
        return _(
            "At this pace you could be ready in about {weeks:g} weeks: book the exam now, a date keeps the focus."
        ).format(weeks=max(round(plan.projected_weeks or 0), 1))
    if s is Suggestion.LAST_WEEKS:
        return words.last_weeks_text(plan, goal_name(goal, content), t)
    if s is Suggestion.RECORD_RESULT:
        return _("Your exam date has come. Record the result with /study, or set a new date if it moved.")
    return _("Keep the rhythm: the same slots next week.")


def _hours_line(goal: StudyGoal, plan: Plan, content: Content, t: Translator) -> str:
    _ = t.gettext
    if plan.need_hours is None:
        return _("Hours studied: {done:g}").format(done=plan.hours_done)
    cert = certification(goal, content)
    low = cert.study_hours_min if cert else goal.typical_hours_min
    high = cert.study_hours_max if cert else goal.typical_hours_max
    return _("Hours studied: {done:g} of the typical {low}–{high} (about {percent:.0%} of the way)").format(
        done=plan.hours_done, low=low, high=high, percent=min(plan.hours_done / plan.need_hours, 1)
    )


def _exam_line(plan: Plan, t: Translator) -> str:
    _ = t.gettext
    left = words.time_left(plan, t)
    if plan.exam_date is None or left is None:
        return _("Exam: not booked yet")
    return _("Exam: {date}, {left}").format(date=t.date(plan.exam_date), left=left)


def _exam_is_over(plan: Plan) -> bool:
    """On and after the exam day, hours against the plan no longer matter: the result does."""
    return plan.phase in (Phase.EXAM_DAY, Phase.RESULT_DUE)


def pace_text(goal: StudyGoal, plan: Plan, content: Content, t: Translator) -> str:
    """The full report on one goal (after a check-in, and when a goal is set)."""
    _ = t.gettext
    lines = [
        _("*{goal}* · {verdict}").format(goal=goal_name(goal, content), verdict=words.status(plan, t)),
        _hours_line(goal, plan, content, t),
        _exam_line(plan, t),
    ]
    if not _exam_is_over(plan):
        lines.append(
            _("Plan: {hours:g} h a week; {position}").format(
                hours=plan.weekly_hours, position=words.position(plan, t)
            )
        )
    if plan.needed_per_week is not None and plan.needed_per_week > 0 and plan.phase is not Phase.FINAL:
        lines.append(
            _("Needed from now: {needed:g} h/week (you planned {planned:g})").format(
                needed=plan.needed_per_week, planned=plan.weekly_hours
            )
        )
    if plan.recent_per_week is not None:
        lines.append(
            _("Your pace over the last weeks: {hours:g} h/week").format(hours=round(plan.recent_per_week, 1))
        )
    if plan.weakest is not None:
        lines.append(
            _("Weakest domain: {domain} ({weight:.0%} of the exam, {share:.0%} of your time)").format(
                domain=domain_name(goal, content, plan.weakest.key, t.language),
                weight=plan.weakest.weight,
                share=plan.weakest.share,
            )
        )
    if plan.latest_score is not None:
        lines.append(_("Latest practice score: {score:g}%").format(score=plan.latest_score))
    lines.append(words.streak(plan.streak_weeks, t))
    lines.append("")
    lines.append(_("Next: {suggestion}").format(suggestion=suggestion_text(goal, plan, content, t)))
    replan = words.replan_text(plan, t)
    if replan:
        lines += ["", replan]
    return "\n".join(lines)


def pace_line(goal: StudyGoal, plan: Plan, content: Content, t: Translator) -> str:
    """One line per goal, for the /study menu, /progress and the home screen."""
    _ = t.gettext
    parts = [
        _("{goal}: {verdict}").format(goal=goal_name(goal, content), verdict=words.status(plan, t)),
        _("{done:g} h done").format(done=plan.hours_done),
    ]
    left = words.time_left(plan, t)
    if not _exam_is_over(plan):  # on the day and after it, the status says it all
        parts.append(words.position(plan, t))
        if left is not None:
            parts.append(left)
    if plan.needed_per_week and plan.phase is Phase.PREPARING:
        parts.append(_("{hours:g} h/week needed").format(hours=plan.needed_per_week))
    parts.append(words.streak(plan.streak_weeks, t))
    return " · ".join(parts)


def hours_panel(
    goals: Sequence[StudyGoal], checkins: Sequence[StudyCheckin], user: User, now: datetime
) -> HoursPanel:
    """Hours logged per week against the hours each week's plan asked for (excused weeks marked)."""
    zone = ZoneInfo(user.timezone)
    content = get_content()
    first = min((week_of(c.at, zone) for c in checkins), default=week_of(now, zone))
    count = min(CHART_WEEKS, max((week_of(now, zone) - first).days // 7 + 1, 4))
    current = week_of(now, zone)
    mondays = [date.fromordinal(current.toordinal() - 7 * back) for back in range(count - 1, -1, -1)]
    logged = dict.fromkeys(mondays, 0.0)
    for checkin in checkins:
        monday = week_of(checkin.at, zone)
        if monday in logged:
            logged[monday] += checkin.hours
    planned = dict.fromkeys(mondays, 0.0)
    excused: dict[date, str | None] = dict.fromkeys(mondays)
    active = [goal for goal in goals if goal.status == "active"]
    for goal in active:
        for week in plan_for(goal, content, zone, now, fresh=checkins).weeks:
            if week.monday in planned:
                planned[week.monday] += week.planned
                excused[week.monday] = week.excuse.value if week.excuse else None
    return HoursPanel(
        weeks=[(monday, round(logged[monday], 2)) for monday in mondays],
        target=sum(goal.weekly_hours for goal in active),
        planned=[round(planned[monday], 2) for monday in mondays] if active else [],
        excused=[excused[monday] for monday in mondays] if active else [],
    )


def scores_panel(
    goals: Sequence[StudyGoal], by_goal: dict[int, list[StudyCheckin]], content: Content, user: User
) -> ScoresPanel | None:
    zone = ZoneInfo(user.timezone)
    series = []
    for goal in goals:
        points = [
            (c.at.astimezone(zone).date(), c.practice_score)
            for c in by_goal.get(goal.id or 0, [])
            if c.practice_score is not None
        ]
        if points:
            cert = certification(goal, content)
            series.append(
                ScoreSeries(goal_name(goal, content), points, passing_percent(cert) if cert else None)
            )
    return ScoresPanel(series) if series else None


async def study_nudge_line(
    session: AsyncSession, user: User, t: Translator, now: datetime, content: Content | None = None
) -> str | None:
    """The study part of the home screen: one line per active goal; ``None`` without goals.

    It only reads, and speaks the user's language through ``t``; ``content`` defaults to the shipped one.
    """
    assert user.id is not None
    goals = await coaching.active_goals(session, user.id)
    if not goals:
        return None
    content = content or get_content()
    lines = [t.gettext("Your study this week:")]
    for goal in goals:
        plan = goal_pace(goal, [], content, user, now)
        lines.append("• " + pace_line(goal, plan, content, t))
    lines.append(t.gettext("Send /study to check in."))
    return "\n".join(lines)
