"""What the coach does with what people write besides answering its questions.

The router reads every typed message with :func:`coach.understanding.read_moment` and comes here:

- :func:`crisis_replies` for crisis language, first and everywhere (in a flow too, before any step sees
  the text): the help lines and nothing else. The words are kept as a private journal note (with any
  writing still in a draft), and a flow under way is set aside, its answers so far saved: what comes next
  is not pushed into its question.
- :func:`anger_replies` for an impulse to quit in anger: the words kept as a note written on a hard day,
  and the cooling-off reply with its buttons (write it out, remind me in N days, just keep it). The router
  first lets a step that keeps the user's own writing (a reflection) keep it, or sets the flow aside
  (:func:`set_aside`).
- :func:`free_text_replies` for text outside any flow: a quick study log, a snooze or skip of the pending
  check-in, a question about Encore, small talk, a command typed as a word, or else a note in the journal.

Each returns the curated replies; an AI model's words, where a user has agreed to them, are added in these
functions and nowhere else.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, time

from coach import actions, moments
from coach.ai.assistant import with_model
from coach.context import FlowContext
from coach.flows import checkin
from coach.flows.base import Flow
from coach.messages import Choice, Reply
from coach.study_report import goal_name
from coach.timezones import zone_country
from coach.understanding import (
    Moment,
    Question,
    QuickLog,
    QuitImpulse,
    Snooze,
    SnoozeUntil,
    Topic,
    command_named,
    is_small_talk,
)
from storage import coaching, cooling_off, journal
from storage import nudges as checkin_store
from storage.models import JournalEntry, StudyCheckin, StudyGoal
from storage.models.core import NOTE, QUIT_NOTE

log = logging.getLogger(__name__)

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


async def keep_note(ctx: FlowContext, text: str, *, kind: str = NOTE) -> JournalEntry:
    """Keep ``text`` in the user's journal (encrypted at rest, in /journal and /export, deletable)."""
    label = moments.QUIT_NOTE_LABEL if kind == QUIT_NOTE else moments.NOTE_LABEL
    return await journal.add_note(
        ctx.session, ctx.user_id, text, label=ctx._(label), language=ctx.language, now=ctx.now, kind=kind
    )


# -- crisis ------------------------------------------------------------------------------------------------
def user_country(ctx: FlowContext) -> str | None:
    """Where the user most likely is: the country whose holidays they keep, else their time zone's."""
    return ctx.user.holiday_country or zone_country(ctx.user.timezone)


async def crisis_replies(ctx: FlowContext, text: str, flow: Flow | None = None) -> list[Reply]:
    """Help at once, and only help: no prompt, no button. The words stay the user's, in their journal;
    ``flow``, if one was under way, is set aside with its answers so far saved."""
    log.info("user %s: crisis language; help lines given", ctx.user_id)
    writing = flow.unsaved_writing(ctx).strip() if flow is not None else ""
    if flow is not None:
        ctx.finish()
    await keep_note(ctx, f"{writing}\n\n{text}" if writing else text)
    return [moments.crisis_reply(ctx.t, country=user_country(ctx))]


# -- an impulse to quit -------------------------------------------------------------------------------------
async def anger_replies(ctx: FlowContext, text: str) -> list[Reply]:
    """The cooling-off: the feeling acknowledged, why a big decision waits, and what would help now."""
    note = await keep_note(ctx, text, kind=QUIT_NOTE)
    assert note.id is not None
    curated = moments.quit_impulse_reply(ctx.t, note.id)
    # The model's words come first; the cooling-off and its buttons stay, whatever the model says. Nobody
    # is asked about AI on a hard day.
    return await with_model(
        ctx,
        curated,
        moment="anger",
        words=text,
        frame=lambda words: f"{words}\n\n{curated.text}",
        may_ask=False,
    )


def set_aside(ctx: FlowContext, flow: Flow) -> Reply:
    """Leave ``flow`` (its answers so far are saved) so that what the user writes next is not taken as the
    answer to its question; say how to pick it up again."""
    ctx.finish()
    ctx.flow = ""  # set aside, not completed
    command = next(iter(flow.commands), None)
    if command is None:
        return Reply(ctx._("We can come back to my question later; your answers so far are saved."))
    return Reply(
        ctx._(
            "We can come back to my question later: your answers so far are saved, and /{command} picks up "
            "where we left off."
        ).format(command=command)
    )


# -- text outside any flow ------------------------------------------------------------------------------------
async def free_text_replies(ctx: FlowContext, text: str, moment: Moment) -> list[Reply]:
    """Act on what ``text`` is (``moment``, already read), or keep it as a note: nothing is thrown away."""
    if isinstance(moment, QuitImpulse):
        return await anger_replies(ctx, text)
    if isinstance(moment, QuickLog):
        return await quick_log(ctx, text, moment.hours)
    if isinstance(moment, Snooze):
        return await snooze(ctx, moment.until)
    if isinstance(moment, Question):
        return answer_question(ctx, moment.topic)
    if is_small_talk(text):
        return [small_talk_reply(ctx)]
    command = command_named(text, _command_names(ctx))
    if command is not None:
        return [did_you_mean_reply(ctx, command)]
    note = await keep_note(ctx, text)
    assert note.id is not None
    kept = moments.note_kept_reply(ctx.t, note_id=note.id)
    return await with_model(
        ctx, kept, moment="note", words=text, frame=lambda words: f"{words}\n\n{kept.text}"
    )


def small_talk_reply(ctx: FlowContext) -> Reply:
    return Reply(
        ctx._(
            "I'm here. Pick something to do, or write what is on your mind and I will keep it in your journal."
        ),
        choices=ctx.shortcuts(),
    )


def did_you_mean_reply(ctx: FlowContext, command: str) -> Reply:
    return Reply(
        ctx._("Did you mean /{command}? Commands start with a slash; this button runs it.").format(
            command=command
        ),
        choices=(Choice(f"/{command}", actions.shortcut(command)),),
    )


def _command_names(ctx: FlowContext) -> set[str]:
    return {name for name, _description in ctx.commands.listed}


def answer_question(ctx: FlowContext, topic: Topic) -> list[Reply]:
    if topic is Topic.CAPABILITIES:
        return ctx.help()
    return [moments.question_reply(ctx.t, topic, _command_names(ctx))]


# -- quick study logs ---------------------------------------------------------------------------------------------
async def newest_checkin_id(ctx: FlowContext, goal: StudyGoal) -> int:
    newest = await coaching.latest_checkin_since(ctx.session, ctx.user_id, goal.id or 0, EPOCH)
    return newest.id or 0 if newest is not None else 0


async def quick_log(ctx: FlowContext, text: str, hours: float) -> list[Reply]:
    """Log ``hours`` to the active study goal; with none, keep the words and offer /study; with several,
    ask which."""
    goals = await coaching.active_goals(ctx.session, ctx.user_id)
    if not goals:
        await keep_note(ctx, text)
        return [moments.quick_log_without_goal_reply(ctx.t, hours=hours)]
    if len(goals) > 1:
        named = [
            (goal.id or 0, goal_name(goal, ctx.content), await newest_checkin_id(ctx, goal)) for goal in goals
        ]
        return [moments.quick_log_which_goal_reply(ctx.t, hours=hours, goals=named)]
    return await log_hours(ctx, goals[0], hours)


async def log_hours(
    ctx: FlowContext, goal: StudyGoal, hours: float, *, confirmed: bool = False
) -> list[Reply]:
    """Add a check-in of ``hours`` to ``goal``; the same hours again within minutes are asked about first."""
    previous = await coaching.latest_checkin_since(
        ctx.session, ctx.user_id, goal.id or 0, ctx.now - moments.DUPLICATE_WINDOW
    )
    duplicate = moments.is_duplicate_log(
        previous_at=previous.at if previous else None,
        previous_hours=previous.hours if previous else None,
        now=ctx.now,
        hours=hours,
    )
    if duplicate and not confirmed and previous is not None:
        return [
            moments.quick_log_duplicate_reply(
                ctx.t, hours=hours, goal_id=goal.id or 0, after=previous.id or 0
            )
        ]
    added = await coaching.add_checkin(
        ctx.session,
        StudyCheckin(
            user_id=ctx.user_id, goal_id=goal.id or 0, at=ctx.now, hours=round(hours, 2), domains=[]
        ),
    )
    assert added.id is not None
    return [
        moments.quick_log_reply(ctx.t, hours=hours, goal=goal_name(goal, ctx.content), checkin_id=added.id)
    ]


# -- putting off the check-in ---------------------------------------------------------------------------------------
async def snooze(ctx: FlowContext, until: SnoozeUntil) -> list[Reply]:
    """A snooze or skip said in words acts on the pending check-in exactly as its buttons do."""
    slot = await checkin_store.latest_slot(ctx.session, ctx.user_id)
    if (
        slot is None
        or slot.id is None
        or slot.status == "missed"
        or ctx.now - slot.slot_at > checkin.CURRENT_FOR
    ):
        return [moments.nothing_to_snooze_reply(ctx.t)]
    action = moments.snooze_action(slot.id, until)
    if action is None:
        return [moments.snooze_choices_reply(ctx.t, slot_id=slot.id)]
    parsed = actions.parse(action)
    assert isinstance(parsed, actions.FeatureAction)
    return await checkin.on_button(ctx, parsed.parts)


# -- buttons ----------------------------------------------------------------------------------------------------
async def on_cooling_button(ctx: FlowContext, parts: tuple[str, ...]) -> list[Reply]:
    """``cool:<note>:in:<days>`` schedules the reminder (stored, sent by the scheduler); ``keep`` keeps the
    note and calls off a reminder not yet sent."""
    button = moments.parse_cooling_button(parts)
    if button is None:
        return [ctx.expired()]
    if await journal.get_note(ctx.session, ctx.user_id, button.note_id) is None:
        return [moments.note_deleted_reply(ctx.t, deleted=False)]
    if button.verb == "keep":
        await cooling_off.cancel_reminder(ctx.session, ctx.user_id, button.note_id)
        return [moments.cooling_off_kept_reply(ctx.t)]
    user = ctx.user
    at = time(user.checkin_hour, user.checkin_minute) if user.checkin_hour is not None else None
    due = moments.cooling_off_due_at(ctx.now, days=button.days, timezone=user.timezone, at=at)
    await cooling_off.schedule_reminder(ctx.session, ctx.user_id, button.note_id, due_at=due, now=ctx.now)
    return [moments.cooling_off_scheduled_reply(ctx.t, due_at=due, now=ctx.now, timezone=user.timezone)]


async def on_quick_log_button(ctx: FlowContext, parts: tuple[str, ...]) -> list[Reply]:
    """Undo a quick log, log one the user confirmed (once, however often pressed), or leave it as it is."""
    button = moments.parse_quick_log_button(parts)
    if button is None:
        return [ctx.expired()]
    if button.verb == "same":
        return [moments.quick_log_same_reply(ctx.t)]
    if button.verb == "undo":
        undone = await coaching.delete_checkin(
            ctx.session, ctx.user_id, button.checkin_id, since=ctx.now - moments.UNDO_WINDOW
        )
        return [
            moments.quick_log_undone_reply(ctx.t) if undone else moments.quick_log_undo_too_late_reply(ctx.t)
        ]
    goal = await coaching.get_goal(ctx.session, ctx.user_id, button.goal_id)
    if goal is None or goal.status != "active":
        return [ctx.expired()]
    if await newest_checkin_id(ctx, goal) != button.after:
        return [moments.quick_log_already_reply(ctx.t)]
    return await log_hours(ctx, goal, button.hours, confirmed=True)


async def on_note_button(ctx: FlowContext, parts: tuple[str, ...]) -> list[Reply]:
    """``note:<id>:del`` deletes the user's own note (its reminder goes with it)."""
    note_id = moments.parse_note_button(parts)
    if note_id is None:
        return [ctx.expired()]
    deleted = await journal.delete_note(ctx.session, ctx.user_id, note_id)
    return [moments.note_deleted_reply(ctx.t, deleted=deleted)]
