"""The exam's life cycle after its date: the result from the check-in's buttons, recorded on the exam day,
and what comes next (after a pass, the next certification along the user's path; after a fail, a kind
re-plan).

The check-in asks with ``nudge:<slot>:result:<passed|failed|moved>`` buttons (see
:func:`coach.nudges.result_buttons`); :func:`on_checkin_button`, the ``nudge`` feature of
``coach.flows.default_features``, handles them and hands every other check-in button to
:mod:`coach.flows.checkin`. The /study result flow records through :func:`record_pass` and
:func:`record_fail` too, so a result is dated the same way whichever way it is given.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from coach import actions
from coach.content.schema import Certification, Content
from coach.context import FlowContext
from coach.flows import checkin
from coach.flows.study import edit
from coach.i18n import Translator
from coach.messages import Choice, Reply
from coach.nudges import ResultButton, parse_result_button
from coach.plan import Phase
from coach.skills_report import target_roles
from coach.study_report import domain_name, goal_name, goal_pace
from storage import coaching
from storage import nudges as nudge_store
from storage import plan as plan_store
from storage.models import StudyGoal

CURRENT_FOR = timedelta(days=7)
NEXT_OFFERED = 3


def _typical(cert: Certification) -> float:
    return (cert.study_hours_min + cert.study_hours_max) / 2


def advances(cert: Certification, role: str, content: Content) -> bool:
    """The role's matrix names this certification (in a skill's next steps), or it lists the role."""
    if role in cert.roles:
        return True
    found = content.roles.get(role)
    return found is not None and any(
        cert.key in step.en for skill in found.skills for step in skill.next_steps
    )


def next_certifications(
    content: Content, roles: Sequence[str], passed: Certification | None, taken: Collection[str]
) -> list[Certification]:
    """What to prepare next along the user's roles: never one already taken, never an easier exam of the
    issuer just passed; the same issuer's next level first, then the rest from the most to the least work."""
    found: dict[str, Certification] = {}
    for role in roles:
        for cert in content.certifications.values():
            if cert.key in taken or cert.key in found or not advances(cert, role, content):
                continue
            if passed is not None and cert.issuer == passed.issuer and _typical(cert) <= _typical(passed):
                continue
            found[cert.key] = cert
    same_issuer = passed.issuer if passed is not None else None
    return sorted(found.values(), key=lambda c: (c.issuer != same_issuer, -_typical(c)))[:NEXT_OFFERED]


def exam_instant(day: date, timezone: str) -> datetime:
    """The exam day as an instant (noon, local): when a result is recorded as having happened."""
    return datetime.combine(day, time(12), tzinfo=ZoneInfo(timezone))


def after_pass(goal: StudyGoal, following: Sequence[Certification], content: Content, t: Translator) -> Reply:
    _ = t.gettext
    lines = [
        _("Congratulations on passing {goal}! That is proof a new employer can check.").format(
            goal=goal_name(goal, content)
        )
    ]
    if following:
        lines.append(_("What next? Certifications for your path you have not taken yet:"))
        lines += [
            "• "
            + _("{cert} ({issuer}, about {low}–{high} hours)").format(
                cert=cert.name, issuer=cert.issuer, low=cert.study_hours_min, high=cert.study_hours_max
            )
            for cert in following
        ]
    lines.append(_("Also worth doing now: rate your skills again with /skills to see what the exam changed."))
    return Reply(
        "\n".join(lines),
        choices=(
            Choice(_("New study goal"), actions.shortcut("study")),
            Choice(_("Rate my skills"), actions.shortcut("skills")),
        ),
    )


def after_fail(
    goal: StudyGoal, hours_done: float, weakest: str | None, content: Content, t: Translator
) -> Reply:
    _ = t.gettext
    lines = [
        _(
            "That is hard news, and it is common: many people pass on their second sitting. Your {hours:g} hours "
            "still count, and the goal stays open."
        ).format(hours=hours_done)
    ]
    if weakest is not None:
        lines.append(
            _("Start the retake with {domain}: it was your weakest domain.").format(
                domain=domain_name(goal, content, weakest, t.language)
            )
        )
    lines.append(_("When you are ready, set a retake date."))
    return Reply("\n\n".join(lines), choices=(Choice(_("Set a retake date"), actions.shortcut("study")),))


async def record_pass(ctx: FlowContext, goal: StudyGoal, score: float | None) -> Reply:
    """The goal is passed on its exam day; the reply suggests the next step along the user's path."""
    exam_day = goal.exam_date or ctx.now.astimezone(ZoneInfo(ctx.user.timezone)).date()
    await plan_store.add_result(ctx.session, goal, passed=True, score=score, now=ctx.now)
    goal.status, goal.closed_at = "passed", min(exam_instant(exam_day, ctx.user.timezone), ctx.now)
    taken = {g.cert_key for g in await coaching.all_goals(ctx.session, ctx.user_id) if g.cert_key}
    roles = await target_roles(ctx.session, ctx.user_id, ctx.content)
    passed = ctx.content.certifications.get(goal.cert_key or "")
    return after_pass(goal, next_certifications(ctx.content, roles, passed, taken), ctx.content, ctx.t)


async def record_fail(ctx: FlowContext, goal: StudyGoal, score: float | None) -> Reply:
    """The result belongs to the exam day; the goal stays open for a retake, without a date until one is set."""
    checkins = await coaching.checkins_of(ctx.session, goal.id or 0)
    plan = goal_pace(goal, checkins, ctx.content, ctx.user, ctx.now)
    await plan_store.add_result(ctx.session, goal, passed=False, score=score, now=ctx.now)
    await plan_store.change_plan(
        ctx.session, goal, kind="retake", weekly_hours=goal.weekly_hours, exam_date=None, now=ctx.now
    )
    weakest = plan.weakest.key if plan.weakest else None
    return after_fail(goal, plan.hours_done, weakest, ctx.content, ctx.t)


async def on_result_button(ctx: FlowContext, parts: tuple[str, ...]) -> list[Reply] | None:
    """A result button of a check-in (``None`` if ``parts`` are not one, for the caller to handle)."""
    button = parse_result_button(parts)
    if button is None:
        return None
    goal = await _goal_of_checkin(ctx, button)
    if goal is None:
        return [
            Reply(ctx._("That check-in is from an earlier week, so nothing was changed."), ephemeral=True)
        ]
    if button.outcome == "passed":
        return [await record_pass(ctx, goal, None)]
    if button.outcome == "failed":
        return [await record_fail(ctx, goal, None)]
    question = ctx._("What is the new date of the exam for {goal}? Type it like 2027-03-14.")
    return [edit.flow.ask_exam_date(ctx, goal, question.format(goal=goal_name(goal, ctx.content)))]


async def on_checkin_button(ctx: FlowContext, parts: tuple[str, ...]) -> list[Reply]:
    """Every button of a check-in: a result button here, snooze and skip in :mod:`coach.flows.checkin`."""
    handled = await on_result_button(ctx, parts)
    return handled if handled is not None else await checkin.on_button(ctx, parts)


async def _goal_of_checkin(ctx: FlowContext, button: ResultButton) -> StudyGoal | None:
    """The goal a result check-in asked about, while it is the user's current one and the result is due."""
    slot = await nudge_store.slot_for_update(ctx.session, button.slot_id, ctx.user_id)
    if slot is None or slot.kind != "result" or not (slot.topic or "").isdigit():
        return None
    if ctx.now - slot.slot_at > CURRENT_FOR:
        return None
    goal = await coaching.get_goal(ctx.session, ctx.user_id, int(slot.topic or 0))
    if goal is None or goal.status != "active":
        return None
    phase = goal_pace(goal, [], ctx.content, ctx.user, ctx.now).phase
    if phase not in (Phase.EXAM_DAY, Phase.RESULT_DUE):
        return None
    slot.answered_at = slot.answered_at or ctx.now
    return goal
