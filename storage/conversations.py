"""Writing a user's conversation state: where they are in a flow and the draft answers kept there."""

from __future__ import annotations

from collections.abc import Mapping

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
