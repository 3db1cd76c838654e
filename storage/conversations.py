"""Writing a user's conversation state: where they are in a flow and the draft answers kept there."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import flag_modified

from storage.models import ConversationState


def write_draft(state: ConversationState, data: Mapping[str, object]) -> None:
    """Replace the draft answers stored with ``state`` (a JSON column: the change is marked explicitly)."""
    state.data = dict(data)
    flag_modified(state, "data")


def end_conversation(state: ConversationState) -> None:
    """Leave the active flow: no step, an empty draft, and a new revision so its buttons expire."""
    state.flow = None
    state.step = None
    state.revision += 1
    write_draft(state, {})


def stamp_if_moved(session: AsyncSession, state: ConversationState, now: datetime) -> None:
    """Record when the conversation last moved; an event that changed nothing writes nothing."""
    if session.is_modified(state):
        state.updated_at = now
