"""The snooze and skip buttons of a weekly check-in (``nudge:<slot>:snooze:1``, ``nudge:<slot>:skip``).

A button is honoured only for the user's own, current check-in: a slot id from someone else, from an
earlier week or made up gets the same "expired" answer and changes nothing.
"""

from __future__ import annotations

from datetime import timedelta

from coach.context import FlowContext
from coach.messages import Reply
from coach.nudges import parse_button, when_text
from coach.schedule import snooze_until
from storage import nudges as store
from storage.models import CheckinSlot

CURRENT_FOR = timedelta(days=7)


async def on_button(ctx: FlowContext, parts: tuple[str, ...]) -> list[Reply]:
    _ = ctx._
    button = parse_button(parts)
    slot = await store.slot_for_update(ctx.session, button.slot_id, ctx.user_id) if button else None
    if (
        button is None
        or slot is None
        or slot.status == "missed"
        or ctx.now - slot.slot_at > CURRENT_FOR
        or slot.slot_at != await store.latest_slot_at(ctx.session, ctx.user_id)
    ):
        return [Reply(_("That check-in is from an earlier week, so nothing was changed."), ephemeral=True)]
    if slot.status == "skipped":
        return [Reply(_("You have already skipped this week's check-in."), ephemeral=True)]
    _delivered(slot, ctx)
    timezone = ctx.user.timezone
    if button.verb == "skip":
        slot.status, slot.reason = "skipped", "user"
        slot.pending = slot.action_at = slot.snoozed_until = None
        text = _("Skipped for this week; your streak is safe.")
        if ctx.user.next_checkin_at is not None:
            text += " " + _("Next check-in: {when}.").format(
                when=when_text(ctx.user.next_checkin_at, ctx.now, timezone, ctx.t)
            )
        return [Reply(text)]
    until = snooze_until(button.snooze, ctx.now, ctx.user)
    slot.snoozed_until = slot.action_at = until
    slot.pending = store.REMINDER
    return [
        Reply(_("Fine, I'll bring it back {when}.").format(when=when_text(until, ctx.now, timezone, ctx.t)))
    ]


def _delivered(slot: CheckinSlot, ctx: FlowContext) -> None:
    """A button was pressed, so the check-in arrived, even if its sender has not recorded that yet.

    Clearing the claim keeps the sender's late record from undoing what the user chose here.
    """
    if slot.status in ("claimed", "failed"):
        slot.status, slot.reason = "sent", None
        slot.sent_at = slot.sent_at or ctx.now
        slot.last_sent_at = slot.last_sent_at or ctx.now
        slot.claimed_by = None
