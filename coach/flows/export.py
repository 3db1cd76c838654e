"""/export: everything Encore keeps about the user, as a JSON file and a readable Markdown file."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from coach.context import FlowContext
from coach.export_files import json_document, markdown_document
from coach.flows.base import Flow
from coach.i18n import N_
from coach.messages import Reply
from storage import users
from storage.export import collect_user_data


class Export(Flow):
    name = "export"
    commands = {"export": N_("Get a copy of everything I keep about you")}

    async def begin(self, ctx: FlowContext, command: str, args: str) -> list[Reply]:
        _ = ctx._
        data = await collect_user_data(ctx.session, ctx.user_id)
        profile = await users.get_profile(ctx.session, ctx.user_id)
        day = ctx.now.astimezone(ZoneInfo(ctx.user.timezone)).date()
        entries = len(data.get("journalentry", []))
        intro = (
            _("Here is everything I keep about you, in two files:")
            + "\n"
            + _("• a JSON file, complete, for other tools")
            + "\n"
            + _("• a Markdown file to read, with your profile and journal")
            + "\n\n"
            + ctx.ngettext(
                "Your journal has {n} entry. Keep these files somewhere private.",
                "Your journal has {n} entries. Keep these files somewhere private.",
                entries,
            ).format(n=entries)
        )
        readable = markdown_document(
            data, user=ctx.user, profile=profile, content=ctx.content, t=ctx.t, now=ctx.now
        )
        return [
            Reply(intro),
            Reply(_("Your data (JSON)"), document=json_document(data, ctx.now, day)),
            Reply(_("Your data (Markdown)"), document=readable),
        ]


flow = Export()
