"""Maps an event to the flow that handles it: commands start flows, buttons and free text continue them."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence

from coach import actions
from coach.context import FlowContext
from coach.flows.base import Flow
from coach.i18n import N_
from coach.messages import Choice, Reply

log = logging.getLogger(__name__)

FeatureHandler = Callable[[FlowContext, tuple[str, ...]], Awaitable[list[Reply]]]

MAX_SHOWN_ARGS = 40


def _shorten(text: str, limit: int = MAX_SHOWN_ARGS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class Router:
    """Dispatches to flows by command, by the flow named in a button, or by the active flow for text.

    ``flows`` are listed in the order ``/help`` shows their commands; ``features`` handle buttons whose
    action id starts with their prefix (see :mod:`coach.actions`).
    """

    def __init__(self, flows: Sequence[Flow], features: dict[str, FeatureHandler] | None = None) -> None:
        self.flows = {flow.name: flow for flow in flows}
        self.by_command = {command: flow for flow in flows for command in flow.commands}
        self.features = dict(features or {})

    def commands(self) -> list[tuple[str, str]]:
        """(command, untranslated description) in help order; ``cancel`` last."""
        listed = [
            (command, description)
            for flow in self.flows.values()
            for command, description in flow.commands.items()
        ]
        return listed + [("cancel", N_("Leave what we are doing (your saved answers stay)"))]

    async def dispatch(self, ctx: FlowContext) -> list[Reply]:
        inbound = ctx.inbound
        if inbound.command is not None:
            return await self.command(ctx, inbound.command, inbound.args)
        if inbound.action is not None:
            return await self.action(ctx, inbound.action)
        return await self.text(ctx, inbound.text or "")

    async def command(self, ctx: FlowContext, command: str, args: str) -> list[Reply]:
        _ = ctx._
        name = command.strip().lstrip("/").split("@", 1)[0].lower()
        if name == "cancel":
            return self.cancel(ctx)
        flow = self.by_command.get(name)
        if flow is None:
            return [
                Reply(_("I don't know the command /{command}.").format(command=_shorten(name, 24))),
                *await self.help(ctx),
            ]
        notes: list[Reply] = []
        takes_args = getattr(flow, "takes_args", False)
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
            return [self.expired(ctx)]
        if isinstance(action, actions.ShortcutAction):
            return await self.command(ctx, action.command, action.args)
        if isinstance(action, actions.FeatureAction):
            handler = self.features.get(action.feature)
            if handler is None:
                return [self.expired(ctx)]
            return await handler(ctx, action.parts)
        state = ctx.state
        flow = self.flows.get(action.flow)
        if (
            flow is None
            or state.flow != action.flow
            or state.step != action.step
            or state.revision != action.revision
        ):
            return [self.expired(ctx)]
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
        flow = self.flows.get(ctx.state.flow or "")
        if flow is not None:
            ctx.flow = flow.name
            return await flow.on_text(ctx, text)
        return [
            Reply(
                _(
                    "I'm not waiting for an answer right now, so I didn't save that. "
                    "Pick something to do, or send /help."
                ),
                choices=self.shortcuts(ctx),
            )
        ]

    def cancel(self, ctx: FlowContext) -> list[Reply]:
        _ = ctx._
        if ctx.state.flow is None:
            return [Reply(_("There is nothing to cancel. Send /help to see what I can do."))]
        ctx.finish()
        return [Reply(_("Stopped. Everything you had already saved is kept."), choices=self.shortcuts(ctx))]

    def expired(self, ctx: FlowContext) -> Reply:
        return Reply(ctx._("This button has expired, so nothing was changed."), ephemeral=True)

    def shortcuts(self, ctx: FlowContext) -> tuple[Choice, ...]:
        _ = ctx._
        wanted = [
            ("reflect", _("Reflect")),
            ("journal", _("Journal")),
            ("settings", _("Settings")),
            ("help", _("Help")),
        ]
        return tuple(
            Choice(label, actions.shortcut(command))
            for command, label in wanted
            if command in self.by_command
        )

    async def help(self, ctx: FlowContext) -> list[Reply]:
        _ = ctx._
        lines = [_("Here is what I can do:"), ""]
        lines += [f"/{command} — {_(description)}" for command, description in self.commands()]
        return [Reply("\n".join(lines))]
