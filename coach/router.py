"""Maps an event to the flow that handles it: commands start flows, buttons and free text continue them.

Every typed text is read first (:func:`coach.understanding.read_moment`): crisis language is met before
anything else, anger before a step takes it as an answer, and text outside any flow is acted on or kept
(:mod:`coach.flows.moments`).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence

from coach import actions
from coach.context import CommandMenu, FlowContext
from coach.flows import moments
from coach.flows.base import FeatureHandler, Flow
from coach.i18n import N_
from coach.messages import Reply
from coach.understanding import Crisis, QuitImpulse, is_crisis, read_moment

log = logging.getLogger(__name__)

MAX_SHOWN_ARGS = 40


def _shorten(text: str, limit: int = MAX_SHOWN_ARGS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class Router:
    """Dispatches to flows by command, by the flow named in a button, or by the active flow for text.

    ``flows`` are listed in the order ``/help`` shows their commands; ``features`` handle buttons whose
    action id starts with their prefix (see :mod:`coach.actions`).
    """

    def __init__(self, flows: Sequence[Flow], features: Mapping[str, FeatureHandler] | None = None) -> None:
        self.flows = {flow.name: flow for flow in flows}
        self.by_command = {command: flow for flow in flows for command in flow.commands}
        self.features = dict(features or {})
        self.menu = CommandMenu(tuple(self.commands()))
        # Steps renamed or moved to another flow: (old flow, old step) -> (flow, step) answering it now.
        self.renamed = {old: (flow.name, step) for flow in flows for old, step in flow.formerly.items()}

    def commands(self) -> list[tuple[str, str]]:
        """(command, untranslated description) in help order; ``cancel`` last."""
        listed = [
            (command, description)
            for flow in self.flows.values()
            for command, description in flow.commands.items()
        ]
        return listed + [("cancel", N_("Leave what we are doing (your saved answers stay)"))]

    async def dispatch(self, ctx: FlowContext) -> list[Reply]:
        self.upgrade(ctx)
        replies = await self._dispatch(ctx)
        ctx.save_draft()
        return replies

    async def _dispatch(self, ctx: FlowContext) -> list[Reply]:
        inbound = ctx.inbound
        if inbound.command is not None:
            return await self.command(ctx, inbound.command, inbound.args)
        if inbound.action is not None:
            return await self.action(ctx, inbound.action)
        return await self.text(ctx, inbound.text or "")

    def upgrade(self, ctx: FlowContext) -> None:
        """A conversation stored at a step that has since been renamed continues at its new name."""
        state = ctx.state
        renamed = self.renamed.get((state.flow or "", state.step or ""))
        if renamed is not None:
            log.debug("user %s continues %s:%s as %s:%s", ctx.user_id, state.flow, state.step, *renamed)
            state.flow, state.step = renamed

    async def command(self, ctx: FlowContext, command: str, args: str) -> list[Reply]:
        _ = ctx._
        if args.strip() and is_crisis(args):  # crisis language comes first, wherever it is written
            return await moments.crisis_replies(ctx, args, self.flows.get(ctx.state.flow or ""))
        name = command.strip().lstrip("/").split("@", 1)[0].lower()
        if name == "cancel":
            return self.cancel(ctx)
        flow = self.by_command.get(name)
        if flow is None:
            return [
                Reply(_("I don't know the command /{command}.").format(command=_shorten(name, 24))),
                *ctx.help(),
            ]
        notes: list[Reply] = []
        takes_args = flow.takes_args
        if args.strip() and not takes_args:
            notes.append(
                Reply(
                    _("/{command} needs nothing after it, so I ignored “{args}”.").format(
                        command=name, args=_shorten(args)
                    ),
                    ephemeral=False,
                )
            )
        ctx.flow = flow.name
        log.debug("user %s starts %s", ctx.user_id, flow.name)
        return notes + await flow.begin(ctx, name, args.strip() if takes_args else "")

    async def action(self, ctx: FlowContext, action_id: str) -> list[Reply]:
        try:
            action = actions.parse(action_id)
        except actions.ActionError:
            log.info("user %s sent a malformed action", ctx.user_id)
            return [ctx.expired()]
        if isinstance(action, actions.ShortcutAction):
            return await self.command(ctx, action.command, action.args)
        if isinstance(action, actions.FeatureAction):
            handler = self.features.get(action.feature)
            if handler is None:
                return [ctx.expired()]
            return await handler(ctx, action.parts)
        state = ctx.state
        # A button sent before a step was renamed names the step as it was then.
        flow_name, step = self.renamed.get((action.flow, action.step), (action.flow, action.step))
        flow = self.flows.get(flow_name)
        if flow is None or state.flow != flow_name or state.step != step or state.revision != action.revision:
            return [ctx.expired()]
        ctx.flow = flow.name
        return await flow.on_choice(ctx, action.value)

    async def text(self, ctx: FlowContext, text: str) -> list[Reply]:
        _ = ctx._
        if not text.strip():
            return [
                Reply(
                    _("That message was empty. Write a few words, or send /help to see what I can do."),
                    ephemeral=True,
                )
            ]
        moment = read_moment(text)
        flow = self.flows.get(ctx.state.flow or "")
        if isinstance(moment, Crisis):  # before any flow stores or answers anything
            return await moments.crisis_replies(ctx, text, flow)
        if flow is None:
            return await moments.free_text_replies(ctx, text, moment)
        ctx.flow = flow.name
        if not isinstance(moment, QuitImpulse):
            return await flow.on_text(ctx, text)
        # Anger: the user's own writing (a reflection) is kept as written, and the cooling-off comes with
        # it; at any other step it is not an answer, and the flow is set aside with its answers saved.
        if flow.takes_writing(ctx):
            return await flow.on_text(ctx, text) + await moments.anger_replies(ctx, text)
        return await moments.anger_replies(ctx, text) + [moments.set_aside(ctx, flow)]

    def cancel(self, ctx: FlowContext) -> list[Reply]:
        _ = ctx._
        if ctx.state.flow is None:
            return [Reply(_("There is nothing to cancel. Send /help to see what I can do."))]
        ctx.finish()
        return [Reply(_("Stopped. Everything you had already saved is kept."), choices=ctx.shortcuts())]
