"""Replies for the moments :func:`coach.understanding.read_moment` recognises: pure builders, no storage.

Each takes a :class:`~coach.i18n.Translator` and returns :class:`~coach.messages.Reply` objects. Buttons are
feature actions (see :mod:`coach.actions`) whose handlers check the ids they carry against storage:

- ``cool:<note>:in:<days>`` remind me of this note in N days; ``cool:<note>:keep`` just keep it;
- ``qlog:<checkin>:undo`` undo a quick log; ``qlog:<goal>:add:<minutes>:<after>`` log it to that goal
  (a repeat the user confirms, or the goal they picked), only while ``<after>`` is still the goal's newest
  check-in, so a second press never logs twice; ``qlog:same`` it was the same log sent twice;
- ``note:<note>:del`` delete a note kept in the journal.

The crisis reply never carries a coaching prompt or a button: only where to get help, said plainly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from coach import actions, helplines
from coach.i18n import N_, Translator
from coach.messages import Choice, Reply
from coach.nudges import FEATURE as NUDGE_FEATURE
from coach.nudges import when_text
from coach.schedule import local_instant
from coach.understanding.moments import SnoozeUntil, Topic

COOLING = "cool"
QUICK_LOG = "qlog"
NOTE = "note"
COOLING_OFF_DAYS = (3, 7)
REFLECT_THEME = "emotions_decisions"  # the reflection theme a "write it out" button opens
UNDO_WINDOW = timedelta(days=1)  # a quick log can be undone from its button for this long
DUPLICATE_WINDOW = timedelta(minutes=30)  # the same hours logged again within this asks first
MAX_QUOTED_CHARS = 500


def _hours(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


# -- crisis ------------------------------------------------------------------------------------------------


def crisis_reply(t: Translator, *, country: str | None) -> Reply:
    """Help, at once: Korea's 24-hour lines for a user in Korea (or a Korean speaker whose country is
    unknown), otherwise the local emergency number and findahelpline.com."""
    _ = t.gettext
    opening = _(
        "I'm really glad you told me. What you wrote sounds very heavy, and you don't have to carry it alone."
    )
    korean = country == "KR" or (country is None and t.language == "ko")
    if korean:
        lines, hotline = helplines.KOREA_LINES
        body = _(
            "Please talk to someone now. These lines are free and open 24 hours:\n"
            "• {suicide_line}: suicide prevention line (자살예방상담전화)\n"
            "• {crisis_line}: mental health crisis line (정신건강위기상담전화)\n"
            "If you are in danger right now, call {emergency}."
        ).format(suicide_line=lines, crisis_line=hotline, emergency=helplines.KOREA_EMERGENCY)
    else:
        number = helplines.emergency_number(country)
        if number:
            body = _(
                "Please reach out to someone now. If you are in danger, call {emergency}. "
                "{website} lists free, confidential helplines in your country, many open 24 hours."
            ).format(emergency=number, website=helplines.FIND_A_HELPLINE)
        else:
            body = _(
                "Please reach out to someone now. If you are in danger, call your local emergency number. "
                "{website} lists free, confidential helplines in your country, many open 24 hours."
            ).format(website=helplines.FIND_A_HELPLINE)
    closing = _(
        "If I misread you, I'm sorry. Nothing else has changed, and I'm here whenever you want to talk."
    )
    return Reply("\n\n".join((opening, body, closing)))


# -- an impulse to quit -------------------------------------------------------------------------------------


def write_it_out_action() -> str:
    return actions.shortcut("reflect", REFLECT_THEME)


def quit_impulse_reply(t: Translator, note_id: int) -> Reply:
    """Acknowledge the feeling, say why the decision waits, offer: write it out, remind me, keep the note."""
    _ = t.gettext
    text = "\n\n".join(
        (
            _("That sounds like a hard day, and being angry about it makes sense."),
            _(
                "A decision as big as leaving deserves a clear head, not the day it hurts most. People who leave "
                "well often keep one rule: no resignation in the days right after a blow. The feeling is real; "
                "the decision can wait until it has cooled, and your options will still be there."
            ),
            _("I kept what you wrote in your journal. What would help now?"),
        )
    )
    buttons = [Choice(_("Write it out now"), write_it_out_action())]
    for days in COOLING_OFF_DAYS:
        label = t.ngettext("Remind me in {n} day", "Remind me in {n} days", days).format(n=days)
        buttons.append(Choice(label, actions.feature_action(COOLING, str(note_id), "in", str(days))))
    buttons.append(Choice(_("Just keep this note"), actions.feature_action(COOLING, str(note_id), "keep")))
    return Reply(text, choices=tuple(buttons))


def cooling_off_scheduled_reply(t: Translator, *, due_at: datetime, now: datetime, timezone: str) -> Reply:
    _ = t.gettext
    return Reply(
        _(
            "I'll bring this note back {when}, so you can decide with a clear head. Until then, nothing needs deciding."
        ).format(when=when_text(due_at, now, timezone, t))
    )


def cooling_off_due_at(now: datetime, *, days: int, timezone: str, at: time | None) -> datetime:
    """When "remind me in N days" comes: N days on, at the user's check-in time (09:00 without one)."""
    zone = ZoneInfo(timezone)
    return local_instant(now.astimezone(zone).date() + timedelta(days=days), at or time(9), zone)


def cooling_off_kept_reply(t: Translator) -> Reply:
    return Reply(t.gettext("It stays in your journal (/journal). Nothing needs deciding today."))


def cooling_off_reminder(
    t: Translator, *, note_id: int, note_text: str, written_at: datetime, now: datetime, timezone: str = "UTC"
) -> Reply:
    """The reminder a user asked for: their own words back, and a calm question. Days are counted in the
    user's calendar (written Wednesday night, reminded Saturday morning: three days ago)."""
    _ = t.gettext
    zone = ZoneInfo(timezone)
    days = max((now.astimezone(zone).date() - written_at.astimezone(zone).date()).days, 1)
    quoted = note_text if len(note_text) <= MAX_QUOTED_CHARS else note_text[:MAX_QUOTED_CHARS].rstrip() + "…"
    text = "\n\n".join(
        (
            t.ngettext(
                "{n} day ago, on a hard day, you wrote:", "{n} days ago, on a hard day, you wrote:", days
            ).format(n=days),
            "_" + quoted + "_",
            _(
                "How does it look now, with a clearer head? If you still want to leave, it deserves a plan of its "
                "own: savings, a next role and a date. Writing it out is a good start."
            ),
        )
    )
    return Reply(
        text,
        choices=(
            Choice(_("Write it out now"), write_it_out_action()),
            Choice(_("Keep it as it is"), actions.feature_action(COOLING, str(note_id), "keep")),
        ),
    )


@dataclass(frozen=True, slots=True)
class CoolingButton:
    note_id: int
    verb: Literal["in", "keep"]
    days: int = 0


def parse_cooling_button(parts: tuple[str, ...]) -> CoolingButton | None:
    """The parts after ``cool:`` of a button we made, or ``None``."""
    if not parts or not parts[0].isdigit() or len(parts[0]) > 18:
        return None
    note_id = int(parts[0])
    if parts[1:] == ("keep",):
        return CoolingButton(note_id, "keep")
    if len(parts) == 3 and parts[1] == "in" and parts[2].isdigit() and int(parts[2]) in COOLING_OFF_DAYS:
        return CoolingButton(note_id, "in", int(parts[2]))
    return None


# -- quick logs -----------------------------------------------------------------------------------------------


def quick_log_reply(t: Translator, *, hours: float, goal: str, checkin_id: int) -> Reply:
    _ = t.gettext
    return Reply(
        _("Logged {hours} h of study for *{goal}*.").format(hours=_hours(hours), goal=goal),
        choices=(Choice(_("Undo"), actions.feature_action(QUICK_LOG, str(checkin_id), "undo")),),
    )


def is_duplicate_log(
    *, previous_at: datetime | None, previous_hours: float | None, now: datetime, hours: float
) -> bool:
    """The same hours logged again within :data:`DUPLICATE_WINDOW`: ask before counting them twice."""
    if previous_at is None or previous_hours is None:
        return False
    return abs(previous_hours - hours) < 1e-6 and timedelta(0) <= now - previous_at <= DUPLICATE_WINDOW


def _add_action(goal_id: int, hours: float, after: int) -> str:
    return actions.feature_action(QUICK_LOG, str(goal_id), "add", str(round(hours * 60)), str(after))


def quick_log_duplicate_reply(t: Translator, *, hours: float, goal_id: int, after: int) -> Reply:
    """The same hours again within minutes: ask; ``after`` is the log it may repeat."""
    _ = t.gettext
    return Reply(
        _(
            "You logged {hours} h a few minutes ago. Was this another {hours} h, or the same study sent twice?"
        ).format(hours=_hours(hours)),
        choices=(
            Choice(_("Log it again"), _add_action(goal_id, hours, after)),
            Choice(_("It was the same"), actions.feature_action(QUICK_LOG, "same")),
        ),
    )


def quick_log_which_goal_reply(
    t: Translator, *, hours: float, goals: Sequence[tuple[int, str, int]]
) -> Reply:
    """Several active goals: which one were the hours for? ``goals`` are (id, name, newest check-in id)."""
    return Reply(
        t.gettext("Which goal were these {hours} h for?").format(hours=_hours(hours)),
        choices=tuple(Choice(name, _add_action(goal_id, hours, after)) for goal_id, name, after in goals),
        columns=1,
    )


def quick_log_already_reply(t: Translator) -> Reply:
    return Reply(t.gettext("That is logged already, so I did not count it twice."), ephemeral=True)


def quick_log_same_reply(t: Translator) -> Reply:
    return Reply(t.gettext("Fine: it is logged once."))


def quick_log_undone_reply(t: Translator) -> Reply:
    return Reply(t.gettext("Undone: that log is removed."))


def quick_log_undo_too_late_reply(t: Translator) -> Reply:
    return Reply(
        t.gettext("That log can no longer be undone from here; /study shows your goal and its hours."),
        ephemeral=True,
    )


def quick_log_without_goal_reply(t: Translator, *, hours: float) -> Reply:
    _ = t.gettext
    return Reply(
        _(
            "You have no active study goal, so I kept “{hours} h” as a note in your journal. "
            "Set a goal with /study and I will count your hours from then on."
        ).format(hours=_hours(hours)),
        choices=(Choice(_("Set a study goal"), actions.shortcut("study")),),
    )


@dataclass(frozen=True, slots=True)
class QuickLogButton:
    verb: Literal["undo", "add", "same"]
    checkin_id: int = 0
    goal_id: int = 0
    hours: float = 0.0
    after: int = 0  # the goal's newest check-in when the button was made (0: none)


def _id(part: str) -> bool:
    return part.isdigit() and len(part) <= 18


def parse_quick_log_button(parts: tuple[str, ...]) -> QuickLogButton | None:
    """The parts after ``qlog:`` of a button we made, or ``None``."""
    if parts == ("same",):
        return QuickLogButton("same")
    if len(parts) == 2 and parts[1] == "undo" and _id(parts[0]):
        return QuickLogButton("undo", checkin_id=int(parts[0]))
    if len(parts) == 4 and parts[1] == "add" and _id(parts[0]) and _id(parts[3]) and parts[2].isdigit():
        minutes = int(parts[2][:5])
        if 0 < minutes <= 24 * 60 and len(parts[2]) <= 4:
            return QuickLogButton("add", goal_id=int(parts[0]), hours=minutes / 60, after=int(parts[3]))
    return None


# -- notes --------------------------------------------------------------------------------------------------------

NOTE_LABEL = N_("Note")
QUIT_NOTE_LABEL = N_("Written on a hard day")


def note_kept_reply(t: Translator, *, note_id: int) -> Reply:
    _ = t.gettext
    return Reply(
        _("Kept in your journal. /journal shows it, /export includes it, and you can delete it."),
        choices=(
            Choice(_("Delete this note"), actions.feature_action(NOTE, str(note_id), "del")),
            Choice(_("Journal"), actions.shortcut("journal")),
        ),
    )


def note_deleted_reply(t: Translator, *, deleted: bool) -> Reply:
    if deleted:
        return Reply(t.gettext("Deleted. That note is gone from your journal."))
    return Reply(t.gettext("That note is already gone."), ephemeral=True)


def parse_note_button(parts: tuple[str, ...]) -> int | None:
    """The note id of a ``note:<id>:del`` button, or ``None``."""
    if len(parts) == 2 and parts[1] == "del" and parts[0].isdigit() and len(parts[0]) <= 18:
        return int(parts[0])
    return None


# -- snoozes and questions -----------------------------------------------------------------------------------------


def snooze_choices_reply(t: Translator, *, slot_id: int) -> Reply:
    """ "Later" without a time: the check-in's own snooze buttons, for the pending check-in ``slot_id``."""
    _ = t.gettext
    slot = str(slot_id)
    return Reply(
        _("When shall I bring your check-in back?"),
        choices=(
            Choice(
                _("In 1 hour"), actions.feature_action(NUDGE_FEATURE, slot, "snooze", SnoozeUntil.ONE_HOUR)
            ),
            Choice(
                _("In 3 hours"),
                actions.feature_action(NUDGE_FEATURE, slot, "snooze", SnoozeUntil.THREE_HOURS),
            ),
            Choice(
                _("Tomorrow"), actions.feature_action(NUDGE_FEATURE, slot, "snooze", SnoozeUntil.TOMORROW)
            ),
            Choice(_("Skip this week"), actions.feature_action(NUDGE_FEATURE, slot, "skip")),
        ),
        columns=2,
    )


def snooze_action(slot_id: int, until: SnoozeUntil) -> str | None:
    """The check-in button a snooze said in words stands for (``None`` for "later": ask which)."""
    if until is SnoozeUntil.LATER:
        return None
    if until is SnoozeUntil.SKIP_WEEK:
        return actions.feature_action(NUDGE_FEATURE, str(slot_id), "skip")
    return actions.feature_action(NUDGE_FEATURE, str(slot_id), "snooze", until.value)


def nothing_to_snooze_reply(t: Translator) -> Reply:
    return Reply(
        t.gettext("There is no check-in waiting right now, so there is nothing to put off."), ephemeral=True
    )


_ANSWERS: dict[Topic, tuple[str, str, str]] = {
    Topic.CAPABILITIES: (
        "help",
        N_("Help"),
        N_("Send /help for everything I can do, with one line on each."),
    ),
    Topic.CHECKIN_TIME: (
        "settings",
        N_("Settings"),
        N_("You can change your check-in day and time in /settings."),
    ),
    Topic.LANGUAGE: ("settings", N_("Settings"), N_("You can change the language I speak in /settings.")),
    Topic.TIMEZONE: (
        "settings",
        N_("Settings"),
        N_("You can change your time zone in /settings; a city name is enough."),
    ),
    Topic.PAUSE: (
        "settings",
        N_("Settings"),
        N_("You can pause check-ins until a date, or skip holidays, in /settings."),
    ),
    Topic.DELETE: (
        "delete",
        N_("Delete my data"),
        N_("/delete erases everything I keep about you, after you confirm it."),
    ),
    Topic.EXPORT: (
        "export",
        N_("Export"),
        N_("/export sends you everything I keep about you, as two files."),
    ),
    Topic.JOURNAL: ("journal", N_("Journal"), N_("/journal shows your reflections and notes, newest first.")),
    Topic.STUDY: (
        "study",
        N_("Study"),
        N_(
            "/study sets an exam goal and tracks your hours. You can also just tell me, e.g. “studied 90 minutes”."
        ),
    ),
    Topic.SKILLS: (
        "skills",
        N_("Skills"),
        N_("/skills rates your skills against the role you want and ranks the gaps."),
    ),
    Topic.PROGRESS: (
        "progress",
        N_("Progress"),
        N_("/progress shows everything in one summary and a picture."),
    ),
    Topic.LINK: (
        "link",
        N_("Link accounts"),
        N_("/link joins your Telegram and Slack accounts with a one-time code."),
    ),
    Topic.PRIVACY: (
        "help",
        N_("Help"),
        N_(
            "What you write is kept for you alone; no other user can see it. /export gives you a copy and /delete erases it."
        ),
    ),
}


def question_reply(t: Translator, topic: Topic, commands: frozenset[str] | set[str]) -> Reply:
    """A short answer to a question about Encore, with a button to the command that does it (if present)."""
    command, label, answer = _ANSWERS[topic]
    choices = (Choice(t.gettext(label), actions.shortcut(command)),) if command in commands else ()
    return Reply(t.gettext(answer), choices=choices)
