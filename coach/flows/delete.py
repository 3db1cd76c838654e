"""/delete: after an explicit confirmation, erase the user and everything about them.

Erasing removes every identity too, so the coach forgets them completely: if they write again, they are
a new user.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from coach import actions
from coach.context import FlowContext
from coach.draft import Draft
from coach.flows.base import On, StepFlow
from coach.i18n import N_
from coach.messages import Choice, Reply
from coach.platforms import platform_name
from storage import journal, users
from storage.erase import erase_user


class Step(StrEnum):
    CONFIRM = "confirm"


class Delete(StepFlow[Step, Draft]):
    name = "delete"
    commands = {"delete": N_("Erase everything I keep about you")}
    steps = Step
    draft_type = Draft

    def table(self) -> Mapping[Step, On]:
        # Typing is never enough to erase: only the button is.
        return {Step.CONFIRM: On(text=self.typed, choice=self.confirmed)}

    async def begin(self, ctx: FlowContext, command: str, args: str) -> list[Reply]:
        _ = ctx._
        ctx.finish()
        ctx.enter(self.name)
        entries = await journal.count_entries(ctx.session, ctx.user_id)
        platforms = sorted({i.platform for i in await users.identities_of(ctx.session, ctx.user_id)})
        text = (
            _("*Erase everything?*")
            + "\n\n"
            + ctx.ngettext(
                "This erases your profile, your settings, your journal ({n} entry) and everything else I keep "
                "about you, on every app linked to this account. It cannot be undone.",
                "This erases your profile, your settings, your journal ({n} entries) and everything else I keep "
                "about you, on every app linked to this account. It cannot be undone.",
                entries,
            ).format(n=entries)
        )
        if len(platforms) > 1:
            text += "\n\n" + _("Linked apps: {apps}").format(
                apps=", ".join(platform_name(p, ctx.t) for p in platforms)
            )
        text += "\n\n" + _("If you want a copy first, use /export before you confirm.")
        return [
            ctx.ask(
                Step.CONFIRM,
                text,
                [(_("Yes, erase everything"), "erase"), (_("No, keep my data"), "keep")],
                ask=None,
                extra_choices=(Choice(_("Export first"), actions.shortcut("export")),),
            )
        ]

    async def confirmed(self, ctx: FlowContext, value: str) -> list[Reply]:
        _ = ctx._
        if value == "erase":
            ctx.finish()
            await erase_user(ctx.session, ctx.user_id)
            return [
                Reply(
                    _(
                        "Done. Everything I kept about you is erased, and I have forgotten you. "
                        "If you write to me again, we start from the beginning."
                    )
                )
            ]
        if value == "keep":
            ctx.finish()
            return [Reply(_("Nothing was erased. Your data is as it was."))]
        return [self._press_please(ctx)]

    async def typed(self, ctx: FlowContext, text: str) -> list[Reply]:
        return [self._press_please(ctx)]

    def _press_please(self, ctx: FlowContext) -> Reply:
        return Reply(
            ctx._(
                "To be safe, erasing needs the button “Yes, erase everything” above; typing is not enough. "
                "Send /cancel to keep everything."
            ),
            ephemeral=True,
        )


flow = Delete()
