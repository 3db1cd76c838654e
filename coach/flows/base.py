"""The shape every flow has: a name, the commands that start it, and handlers for text and buttons."""

from __future__ import annotations

from coach.context import FlowContext
from coach.messages import Reply


class Flow:
    """A small state machine over the stored conversation state.

    ``commands`` maps each command that starts the flow to its one-line description (marked with
    ``N_`` for translation). ``begin`` starts the flow; ``on_text`` and ``on_choice`` continue it at
    ``ctx.state.step``.
    """

    name: str = ""
    commands: dict[str, str] = {}

    async def begin(self, ctx: FlowContext, command: str, args: str) -> list[Reply]:
        raise NotImplementedError

    async def on_text(self, ctx: FlowContext, text: str) -> list[Reply]:
        return []

    async def on_choice(self, ctx: FlowContext, value: str) -> list[Reply]:
        return []

    def _choose_please(self, ctx: FlowContext) -> Reply:
        """The kind re-ask when a step waits for a button and gets something else."""
        return Reply(ctx._("Please use one of the buttons above, or /cancel to stop."), ephemeral=True)
