"""Words and pictures for study goals, shared by /study, /progress and the weekly nudge.

The nudge helper calls :func:`study_nudge_line`.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from coach.catalog import passing_percent
from coach.charts import HoursPanel, ScoreSeries, ScoresPanel
from coach.content import get_content
from coach.content.schema import Certification, Content
from coach.i18n import Translator
from coach.pace import Checkin, Pace, Suggestion, Verdict, hours_by_week, study_pace, week_of
from storage import coaching
from storage.models import StudyCheckin, StudyGoal, User

CHART_WEEKS = 12


def certification(goal: StudyGoal, content: Content) -> Certification | None:
    return content.certifications.get(goal.cert_key or "")


def goal_name(goal: StudyGoal, content: Content) -> str:
    cert = certification(goal, content)
    return cert.name if cert else goal.custom_name or "?"


def domain_name(goal: StudyGoal, content: Content, key: str, language: str) -> str:
    cert = certification(goal, content)
    for domain in cert.domains if cert else []:
        if domain.key == key:
            return domain.name.get(language)
    return key


def facts(checkins: list[StudyCheckin]) -> list[Checkin]:
    return [
        Checkin(c.at, c.hours, tuple(c.domains or ()), c.practice_score, c.weakest_domain) for c in checkins
    ]


def goal_pace(
    goal: StudyGoal, checkins: list[StudyCheckin], content: Content, user: User, now: datetime
) -> Pace:
    cert = certification(goal, content)
    domains = [(d.key, d.weight) for d in cert.domains] if cert else []
    hours_min = cert.study_hours_min if cert else goal.typical_hours_min
    hours_max = cert.study_hours_max if cert else goal.typical_hours_max
    return study_pace(
        checkins=facts(checkins),
        domains=domains,
        hours_min=hours_min,
        hours_max=hours_max,
        planned_per_week=goal.weekly_hours,
        exam_date=goal.exam_date,
        started=goal.created_at,
        now=now,
        zone=ZoneInfo(user.timezone),
    )


def verdict_text(verdict: Verdict, t: Translator) -> str:
    _ = t.gettext
    return {
        Verdict.ON_TRACK: _("On track"),
        Verdict.BEHIND: _("Behind"),
        Verdict.AT_RISK: _("At risk"),
    }[verdict]


def suggestion_text(goal: StudyGoal, pace: Pace, content: Content, t: Translator) -> str:
    _ = t.gettext
    s = pace.suggestion
    if s is Suggestion.ADD_HOURS and pace.needed_per_week:
        return _(
            "Find {hours:g} hours a week from now on: two fixed slots in your calendar work better than good intentions."
        ).format(hours=pace.needed_per_week)
    if s is Suggestion.ADD_HOURS:
        return _(
            "Put two fixed study slots in your calendar this week, {hours:g} hours in all, as you planned."
        ).format(hours=goal.weekly_hours)
    if s is Suggestion.MOVE_DATE:
        return _(
            "{hours:g} hours a week next to a job is not realistic. Move the exam date (most exams allow it for a "
            "small fee or free) rather than sit it underprepared."
        ).format(hours=pace.needed_per_week or 0)
    if s is Suggestion.RESTART_SMALL:
        return _(
            "Restart small: one 30-minute session this week, on the domain you find easiest. Then check in."
        )
    if s is Suggestion.FOCUS_DOMAIN and pace.weakest is not None:
        return _(
            "Give your next two sessions to {domain}: it is {weight:.0%} of the exam and {share:.0%} of your study time so far."
        ).format(
            domain=domain_name(goal, content, pace.weakest.key, t.language),
            weight=pace.weakest.weight,
            share=pace.weakest.share,
        )
    if s is Suggestion.PRACTICE_EXAM:
        return _(
            "Take a full practice exam under exam conditions: it shows which domain needs your remaining time."
        )
    if s is Suggestion.BOOK_EXAM:
        return _(
            "At this pace you could be ready in about {weeks:g} weeks: book the exam now, a date keeps the focus."
        ).format(weeks=max(round(pace.projected_weeks or 0), 1))
    if s is Suggestion.RECORD_RESULT:
        return _("Your exam date has come. Record the result with /study, or set a new date if it moved.")
    return _("Keep the rhythm: the same slots next week.")


def pace_text(goal: StudyGoal, pace: Pace, content: Content, t: Translator) -> str:
    """The full pace report after a check-in."""
    _ = t.gettext
    lang = t.language
    lines = [
        _("*{goal}* · {verdict}").format(goal=goal_name(goal, content), verdict=verdict_text(pace.verdict, t))
    ]
    if pace.need_hours is not None:
        cert = certification(goal, content)
        low = cert.study_hours_min if cert else goal.typical_hours_min
        high = cert.study_hours_max if cert else goal.typical_hours_max
        lines.append(
            _("Hours studied: {done:g} of the typical {low}–{high} (about {percent:.0%} of the way)").format(
                done=pace.hours_done, low=low, high=high, percent=min(pace.hours_done / pace.need_hours, 1)
            )
        )
    else:
        lines.append(_("Hours studied: {done:g}").format(done=pace.hours_done))
    if goal.exam_date is not None and pace.weeks_left is not None:
        if pace.weeks_left > 0:
            lines.append(
                _("Exam: {date}, {weeks:g} weeks left").format(
                    date=t.date(goal.exam_date), weeks=round(pace.weeks_left, 1)
                )
            )
        else:
            lines.append(_("Exam: {date}").format(date=t.date(goal.exam_date)))
    else:
        lines.append(_("Exam: not booked yet"))
    if pace.needed_per_week is not None and pace.needed_per_week > 0:
        lines.append(
            _("Needed from now: {needed:g} h/week (you planned {planned:g})").format(
                needed=pace.needed_per_week, planned=goal.weekly_hours
            )
        )
    if pace.recent_per_week is not None:
        lines.append(
            _("Your pace over the last weeks: {hours:g} h/week").format(hours=round(pace.recent_per_week, 1))
        )
    if pace.weakest is not None:
        lines.append(
            _("Weakest domain: {domain} ({weight:.0%} of the exam, {share:.0%} of your time)").format(
                domain=domain_name(goal, content, pace.weakest.key, lang),
                weight=pace.weakest.weight,
                share=pace.weakest.share,
            )
        )
    if pace.latest_score is not None:
        lines.append(_("Latest practice score: {score:g}%").format(score=pace.latest_score))
    lines.append(
        t.ngettext(
            "Streak: {n} week with a check-in",
            "Streak: {n} weeks in a row with a check-in",
            pace.streak_weeks,
        ).format(n=pace.streak_weeks)
    )
    lines.append("")
    lines.append(_("Next: {suggestion}").format(suggestion=suggestion_text(goal, pace, content, t)))
    return "\n".join(lines)


def pace_line(goal: StudyGoal, pace: Pace, content: Content, t: Translator) -> str:
    """One line per goal for /progress and the nudge."""
    _ = t.gettext
    parts = [
        _("{goal}: {verdict}").format(goal=goal_name(goal, content), verdict=verdict_text(pace.verdict, t)),
        _("{done:g} h done").format(done=pace.hours_done),
    ]
    if pace.weeks_left is not None and pace.weeks_left > 0:
        parts.append(_("{weeks:g} weeks to the exam").format(weeks=round(pace.weeks_left, 1)))
    if pace.needed_per_week:
        parts.append(_("{hours:g} h/week needed").format(hours=pace.needed_per_week))
    return " · ".join(parts)


def hours_panel(
    goals: list[StudyGoal], checkins: list[StudyCheckin], user: User, now: datetime
) -> HoursPanel:
    zone = ZoneInfo(user.timezone)
    first = min((week_of(c.at, zone) for c in checkins), default=week_of(now, zone))
    weeks = min(CHART_WEEKS, max((week_of(now, zone) - first).days // 7 + 1, 4))
    return HoursPanel(
        weeks=hours_by_week(facts(checkins), zone, now, weeks),
        target=sum(goal.weekly_hours for goal in goals if goal.status == "active"),
    )


def scores_panel(
    goals: list[StudyGoal], by_goal: dict[int, list[StudyCheckin]], content: Content, user: User
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
    """A short study reminder for the weekly check-in, one line per active goal; ``None`` without goals.

    Safe to call from the scheduler: it only reads, and speaks the user's language through ``t``.
    ``content`` defaults to the shipped catalog.
    """
    assert user.id is not None
    goals = await coaching.active_goals(session, user.id)
    if not goals:
        return None
    content = content or get_content()
    lines = [t.gettext("Your study this week:")]
    for goal in goals:
        checkins = await coaching.checkins_of(session, goal.id or 0)
        pace = goal_pace(goal, checkins, content, user, now)
        lines.append("• " + pace_line(goal, pace, content, t))
    lines.append(t.gettext("Send /study to check in."))
    return "\n".join(lines)
