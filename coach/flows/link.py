"""/link: join the user's accounts on two apps (Telegram and Slack, say) into one Encore user.

``/link`` on one app gives a one-time code, valid for ten minutes; ``/link CODE`` on the other app joins
the two. Nothing is lost: journals, assessments and history of both accounts are kept (see
:mod:`storage.merge`), and both apps then show the same journal.
"""

from __future__ import annotations

import secrets
import unicodedata
from datetime import timedelta
from zoneinfo import ZoneInfo

from coach import actions
from coach.context import FlowContext
from coach.flows.base import Flow
from coach.i18n import N_
from coach.messages import Choice, Reply
from coach.platforms import platform_name
from storage import journal, link_codes, users
from storage.link_codes import Redeemed
from storage.merge import choose_survivor, merge_users

VALID_FOR = timedelta(minutes=10)
CODE_LENGTH = 8
# No 0/O, 1/I/L: a code is read on one screen and typed on another.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def shown(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


def normalize_code(text: str) -> str | None:
    """What the user typed as a code (any case, spaces, dashes, full-width letters), or ``None``."""
    folded = unicodedata.normalize("NFKC", text).upper()
    code = "".join(ch for ch in folded if ch not in " -_\t\n")
    if len(code) != CODE_LENGTH or any(ch not in ALPHABET for ch in code):
        return None
    return code


class Link(Flow):
    name = "link"
    commands = {"link": N_("Join your accounts on Telegram and Slack into one")}
    takes_args = True

    async def begin(self, ctx: FlowContext, command: str, args: str) -> list[Reply]:
        if not args:
            return await self._issue(ctx)
        code = normalize_code(args)
        if code is None:
            return [
                Reply(
                    ctx._(
                        "That doesn't look like a link code. A code has 8 letters and digits, like ABCD-2345. "
                        "Send /link on your other app to get one."
                    )
                )
            ]
        return await self._redeem(ctx, code)

    async def _issue(self, ctx: FlowContext) -> list[Reply]:
        _ = ctx._
        code = new_code()
        await link_codes.store_code(ctx.session, ctx.user_id, code, ctx.now, VALID_FOR)
        minutes = int(VALID_FOR.total_seconds() // 60)
        return [
            Reply(
                _("Your link code: *{code}*").format(code=shown(code))
                + "\n\n"
                + ctx.ngettext(
                    "On your other app, send “/link {code}” within {n} minute. On Slack, type “/coach link {code}”.",
                    "On your other app, send “/link {code}” within {n} minutes. On Slack, type “/coach link {code}”.",
                    minutes,
                ).format(code=shown(code), n=minutes)
                + "\n\n"
                + _(
                    "Both accounts then become one: everything from each is kept. The code works once. "
                    "Share it with no one: whoever enters it can read your journal."
                )
            )
        ]

    async def _redeem(self, ctx: FlowContext, code: str) -> list[Reply]:
        _ = ctx._
        redemption = await link_codes.redeem(ctx.session, code, ctx.user_id, ctx.now)
        if redemption.outcome is Redeemed.LIMITED and redemption.retry_at is not None:
            at = redemption.retry_at.astimezone(ZoneInfo(ctx.user.timezone))
            return [
                Reply(
                    _(
                        "Too many wrong codes in the last hour, so I did not check this one. "
                        "Please try again after {time}."
                    ).format(time=f"{at:%H:%M}")
                )
            ]
        if redemption.outcome is Redeemed.OWN:
            return [
                Reply(_("That code belongs to this account. Enter it on your other app to join the two."))
            ]
        if redemption.outcome is Redeemed.EXPIRED:
            return [Reply(_("That code has expired. Send /link on your other app for a new one."))]
        if redemption.outcome is Redeemed.USED:
            return [Reply(_("That code was already used. Send /link on your other app for a new one."))]
        if redemption.outcome is not Redeemed.OK or redemption.owner_id is None:
            return [
                Reply(
                    _(
                        "I don't know that code. Check it for typos, or send /link on your other app for a new one."
                    )
                )
            ]
        ctx.finish()
        keep, absorb = await choose_survivor(ctx.session, redemption.owner_id, ctx.user_id)
        await merge_users(ctx.session, keep, absorb)
        entries = await journal.count_entries(ctx.session, keep)
        apps = sorted({i.platform for i in await users.identities_of(ctx.session, keep)})
        names = ", ".join(platform_name(app, ctx.t) for app in apps)
        return [
            Reply(
                _("Linked. These apps now share one Encore account: {apps}.").format(apps=names)
                + "\n\n"
                + ctx.ngettext(
                    "Nothing was lost: your journal has {n} entry, the same on every app.",
                    "Nothing was lost: your journal has {n} entries, the same on every app.",
                    entries,
                ).format(n=entries),
                choices=(Choice(_("Read my journal"), actions.shortcut("journal")),),
            )
        ]


flow = Link()
