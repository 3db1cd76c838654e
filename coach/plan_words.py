"""The words every surface uses for the plan model's findings: one phrase per finding, so /study, the
check-in, /progress, the charts and the home screen say the same thing in the same words."""

from __future__ import annotations

from coach.i18n import Translator
from coach.plan import Option, OptionKind, Phase, Plan, Readiness, Verdict, one_session_closes_much

ON_PACE_HOURS = 0.5  # closer to the plan than this is "on pace"


def hours(value: float) -> str:
    """Hours as people say them: 2, 2.5, 13 (one decimal at most)."""
    return f"{round(value, 1):g}"


def status(plan: Plan, t: Translator) -> str:
    """The verdict, or what the exam's day asks for instead."""
    _ = t.gettext
    if plan.phase is Phase.EXAM_DAY:
        return _("Exam day")
    if plan.phase is Phase.RESULT_DUE:
        return _("Exam date passed")
    return {
        Verdict.ON_TRACK: _("On track"),
        Verdict.BEHIND: _("Behind"),
        Verdict.AT_RISK: _("At risk"),
    }[plan.verdict]


def position(plan: Plan, t: Translator) -> str:
    """Where the user stands against their plan: "3 h behind your plan", "on pace with your plan"."""
    _ = t.gettext
    if plan.behind_by >= ON_PACE_HOURS:
        return _("{hours} h behind your plan").format(hours=hours(plan.behind_by))
    if plan.behind_by <= -ON_PACE_HOURS:
        return _("{hours} h ahead of your plan").format(hours=hours(-plan.behind_by))
    return _("on pace with your plan")


def time_left(plan: Plan, t: Translator) -> str | None:
    """Weeks to the exam, or days under two weeks; ``None`` without a date."""
    _ = t.gettext
    days = plan.days_left
    if days is None:
        return None
    if days < 0:
        return _("the date has passed")
    if days == 0:
        return _("today")
    if days < 14:
        return t.ngettext("{n} day left", "{n} days left", days).format(n=days)
    return _("{weeks} weeks left").format(weeks=hours(days / 7))


def streak(weeks: int, t: Translator) -> str:
    return t.ngettext(
        "Streak: {n} week with a check-in", "Streak: {n} weeks in a row with a check-in", weeks
    ).format(n=weeks)


def position_sentence(plan: Plan, t: Translator) -> str:
    """The plan position as a sentence, with the reassurance only when it is true."""
    _ = t.gettext
    if plan.behind_by >= ON_PACE_HOURS:
        text = _("You are {hours} h behind your plan.").format(hours=hours(plan.behind_by))
    elif plan.behind_by <= -ON_PACE_HOURS:
        text = _("You are {hours} h ahead of your plan.").format(hours=hours(-plan.behind_by))
    else:
        text = _("You are on pace with your plan.")
    if one_session_closes_much(plan):
        text += " " + _("One extra session this week closes much of it.")
    return text


def option_label(option: Option, t: Translator) -> str:
    """A re-plan option as a button."""
    _ = t.gettext
    if option.kind is OptionKind.RAISE:
        return _("{hours} h a week from now").format(hours=hours(option.weekly_hours))
    if option.kind is OptionKind.MOVE and option.exam_date is not None:
        return _("Move the exam to {date}").format(date=t.date(option.exam_date))
    if option.kind is OptionKind.LOWER:
        return _("Plan {hours} h a week").format(hours=hours(option.weekly_hours))
    if option.kind is OptionKind.RESTART:
        return _("Start afresh this week")
    return _("Keep my plan")


def option_line(option: Option, plan: Plan, t: Translator) -> str:
    """What choosing an option means, with its arithmetic."""
    _ = t.gettext
    if option.kind is OptionKind.RAISE and plan.exam_date is not None:
        return _("Raise your plan to {hours} h a week: that makes {date}.").format(
            hours=hours(option.weekly_hours), date=t.date(plan.exam_date)
        )
    if option.kind is OptionKind.MOVE and option.exam_date is not None:
        return _(
            "Move the exam to {date}: {remaining} h at {hours} h a week, the pace you have kept."
        ).format(
            date=t.date(option.exam_date),
            remaining=hours(plan.remaining_hours or 0),
            hours=hours(option.weekly_hours),
        )
    if option.kind is OptionKind.LOWER:
        return _("Plan {hours} h a week, what you have managed lately, and measure from this week.").format(
            hours=hours(option.weekly_hours)
        )
    if option.kind is OptionKind.RESTART:
        return _("Start afresh at {hours} h a week: from this week on, I measure against that.").format(
            hours=hours(option.weekly_hours)
        )
    return _("Keep the plan as it is: {hours} h a week.").format(hours=hours(option.weekly_hours))


def replan_text(plan: Plan, t: Translator) -> str | None:
    """The arithmetic behind a re-plan offer and what each option means; ``None`` when none is offered."""
    _ = t.gettext
    if not plan.options:
        return None
    lines = [_("*Time to re-plan?*")]
    if plan.exam_date is not None and plan.remaining_hours and plan.needed_per_week:
        lines.append(
            _(
                "{remaining} h are left before {date}: that is {needed} h a week, and your plan is {planned}."
            ).format(
                remaining=hours(plan.remaining_hours),
                date=t.date(plan.exam_date),
                needed=hours(plan.needed_per_week),
                planned=hours(plan.weekly_hours),
            )
        )
    else:
        lines.append(
            _("You are {hours} h behind a plan of {planned} h a week.").format(
                hours=hours(max(plan.behind_by, 0)), planned=hours(plan.weekly_hours)
            )
        )
    lines += ["• " + option_line(option, plan, t) for option in plan.options]
    return "\n".join(lines)


def last_weeks_text(plan: Plan, goal_name: str, t: Translator) -> str:
    """Advice for the last two weeks, by the latest practice score against the pass mark."""
    _ = t.gettext
    score, mark = plan.latest_score, plan.pass_mark
    if plan.readiness is Readiness.READY and score is not None and mark is not None:
        return _(
            "Your latest practice score, {score}%, is well above the pass mark of {mark}%: keep the date. "
            "Review your notes lightly and rest well before the exam."
        ).format(score=hours(score), mark=hours(mark))
    if plan.readiness is Readiness.CLOSE and score is not None and mark is not None:
        return _(
            "Your latest practice score, {score}%, is just above the pass mark of {mark}%: keep the date, take "
            "one more practice exam and spend the rest on your weakest domain."
        ).format(score=hours(score), mark=hours(mark))
    if plan.readiness is Readiness.BELOW and score is not None and mark is not None:
        return _(
            "Your latest practice score, {score}%, is below the pass mark of {mark}%. Give these days to "
            "your weakest domain and take another practice exam; if it is still below, moving the date is "
            "wiser than sitting it underprepared."
        ).format(score=hours(score), mark=hours(mark))
    if plan.readiness is Readiness.NO_SCORE:
        return _(
            "Take a full practice exam this week, under exam conditions: its score against the pass mark "
            "tells you whether to keep the date."
        )
    return _("Take a full practice exam this week and compare it with the pass mark of {goal}.").format(
        goal=goal_name
    )
