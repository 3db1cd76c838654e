"""The dashboard app's own words (headings, hints, errors), translated like every other text of the coach.

The page carries no text of its own: it asks the server for these, in the person's language, with their
data (or alone, for an error page, from :func:`labels`).
"""

from __future__ import annotations

from coach.i18n import N_, Translator

_LABELS = {
    "title": N_("My second career"),
    "profile": N_("Your profile"),
    "current_role": N_("Current role"),
    "target_path": N_("Target path"),
    "ready_by": N_("Ready by"),
    "checkin": N_("Weekly check-in"),
    "timezone": N_("Time zone"),
    "not_set": N_("not set"),
    "plan": N_("Plan and pace"),
    "hours_per_week": N_("Hours studied per week"),
    "hours": N_("Hours"),
    "planned": N_("Planned"),
    "streak": N_("Weeks in a row"),
    "weeks_left": N_("Weeks to the exam"),
    "exam_date": N_("Exam date"),
    "not_booked": N_("not booked yet"),
    "needed": N_("Needed per week"),
    "next_step": N_("Next step"),
    "no_goal": N_("No study goal yet. Send /study in our chat to set one."),
    "skills": N_("Skills gap"),
    "you": N_("You"),
    "target": N_("Target"),
    "skipped": N_("skipped"),
    "not_assessed": N_("Not assessed yet. Send /skills in our chat to measure the gap."),
    "no_path": N_("No path chosen yet. Send /skills in our chat to pick one."),
    "journal": N_("Journal"),
    "search": N_("Search your journal"),
    "no_entries": N_("No reflection yet. Send /reflect in our chat for a first one."),
    "no_match": N_("No entry holds these words."),
    "matches": N_("Entries found: {n}"),
    "confidence": N_("confidence {n}/5"),
    "actions": N_("Continue in the chat"),
    "back": N_("Back to the chat"),
    "welcome": N_("Welcome! Send /start in our chat to set up your profile: it takes about three minutes."),
    "unauthorized": N_("Please open this page from Encore's chat in Telegram: it shows only your own data."),
    "failed": N_("Your data could not be loaded just now. Please try again in a moment."),
}

# Buttons that send the person back to the chat, with the command to send there.
ACTIONS = (
    ("reflect", N_("Write a reflection")),
    ("study", N_("Check in your study")),
    ("skills", N_("Rate your skills")),
)


def labels(t: Translator) -> dict[str, str]:
    """Every word of the page in ``t``'s language."""
    return {key: t.gettext(message) for key, message in _LABELS.items()}
