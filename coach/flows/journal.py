"""The journal (/journal): past reflections, newest first, a page at a time."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from coach import actions
from coach.context import FlowContext
from coach.flows.base import Flow
from coach.i18n import N_
from coach.messages import Choice, Reply
from storage import journal

PAGE_SIZE = 3
PREVIEW_CHARS = 600
FEATURE = "jr"


class Journal(Flow):
    name = "journal"
    commands = {"journal": N_("Read your past reflections")}
    takes_args = True

    async def begin(self, ctx: FlowContext, command: str, args: str) -> list[Reply]:
        page = int(args) if args.isdecimal() and 0 < int(args) < 100_000 else 1
        notes = (
            []
            if not args or args.isdecimal()
            else [Reply(ctx._("/journal takes a page number; showing the newest page."))]
        )
        return notes + await show_page(ctx, page)


async def show_page(ctx: FlowContext, page: int) -> list[Reply]:
    _ = ctx._
    total = await journal.count_entries(ctx.session, ctx.user_id)
    if total == 0:
        return [
            Reply(
                _("Your journal is empty. Answer a first reflection prompt and it will appear here."),
                choices=(Choice(_("Start a reflection"), actions.shortcut("reflect")),),
            )
        ]
    pages = (total + PAGE_SIZE - 1) // PAGE_SIZE
    page = min(max(page, 1), pages)
    entries = await journal.page_of_entries(
        ctx.session, ctx.user_id, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE
    )
    zone = ZoneInfo(ctx.user.timezone)
    blocks = [_("*Your journal* — page {page} of {pages}").format(page=page, pages=pages)]
    for entry in entries:
        answer = entry.answer
        if len(answer) > PREVIEW_CHARS:
            answer = (
                answer[:PREVIEW_CHARS].rstrip()
                + "… "
                + _("({count} more characters; /export gives the full text)").format(
                    count=len(entry.answer) - PREVIEW_CHARS
                )
            )
        when = ctx.t.date(entry.created_at.astimezone(zone).date())
        heading = f"*{when}*"
        if entry.confidence:
            heading += " · " + _("confidence {n}/5").format(n=entry.confidence)
        blocks.append(f"{heading}\n_{entry.prompt_text}_\n{answer}")
    choices = []
    if page < pages:
        choices.append(Choice(_("Older"), actions.feature_action(FEATURE, str(page + 1))))
    if page > 1:
        choices.append(Choice(_("Newer"), actions.feature_action(FEATURE, str(page - 1))))
    return [Reply("\n\n".join(blocks), choices=tuple(choices))]


async def on_page_button(ctx: FlowContext, parts: tuple[str, ...]) -> list[Reply]:
    """A journal paging button: stateless, so it works on any journal message, however old."""
    if len(parts) != 1 or not parts[0].isdigit():
        return [ctx.expired()]
    return await show_page(ctx, int(parts[0]))


flow = Journal()
