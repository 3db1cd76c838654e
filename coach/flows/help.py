"""/help: every command, in the user's language."""

from __future__ import annotations

from coach.context import FlowContext
from coach.flows.base import Flow
from coach.i18n import N_
from coach.messages import Reply


class Help(Flow):
    name = "help"
    commands = {"help": N_("List what I can do")}

    async def begin(self, ctx: FlowContext, command: str, args: str) -> list[Reply]:
        return ctx.help()


flow = Help()
