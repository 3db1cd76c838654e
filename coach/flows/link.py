"""/link: join the user's accounts on two apps (Telegram and Slack, say) into one Encore user.

``/link`` on one app gives a one-time code, valid for ten minutes; ``/link CODE`` on the other app joins
the two. Where the platform has deep links (Telegram), ``/link`` also gives one that carries the code:
opening it from another account sends ``/start CODE``, which onboarding hands to :meth:`Link.from_start`
to join the accounts just as ``/link CODE`` does (``/coach start CODE`` does the same on Slack). Nothing is
lost: journals, assessments and history of both accounts are kept (see :mod:`storage.merge`), and both
apps then show the same journal.
"""

from __future__ import annotations

import secrets
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import timedelta
from zoneinfo import ZoneInfo

from coach import actions
from coach.context import FlowContext
from coach.flows.base import Flow
from coach.i18n import N_, Translator
from coach.messages import Choice, Reply
from coach.platforms import platform_name
from storage import journal, link_codes, users
from storage.link_codes import Redeemed, Redemption
from storage.merge import choose_survivor, merge_users
from storage.models import Identity

VALID_FOR = timedelta(minutes=10)
CODE_LENGTH = 8
# No 0/O, 1/I/L: a code is read on one screen and typed on another. The code is also a deep link's
# payload, so it keeps within Telegram's start parameter (1-64 of A-Z, a-z, 0-9, _ and -).
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"

# Why a code (typed with /link) or a deep link (opened, arriving as /start) did not join anything.
CODE_REFUSALS: Mapping[Redeemed, str] = {
    Redeemed.OWN: N_("That code belongs to this account. Enter it on your other app to join the two."),
    Redeemed.EXPIRED: N_("That code has expired. Send /link on your other app for a new one."),
    Redeemed.USED: N_("That code was already used. Send /link on your other app for a new one."),
    Redeemed.UNKNOWN: N_(
        "I don't know that code. Check it for typos, or send /link on your other app for a new one."
    ),
}
LINK_REFUSALS: Mapping[Redeemed, str] = {
    Redeemed.OWN: N_(
        "That link was made by this account, so it has nothing to join here. Open it from your other "
        "account (forward it there), or enter its code on your other app."
    ),
    Redeemed.EXPIRED: N_(
        "That link to join your accounts has expired. Send /link on your other account for a new one."
    ),
    Redeemed.USED: N_(
        "That link to join your accounts was already used. Send /link on your other account for a new one."
    ),
    Redeemed.UNKNOWN: N_(
        "I don't know that link to join accounts: it may be cut short, or a newer /link replaced it. "
        "Send /link on your other account for a new one."
    ),
}
NOT_A_LINK = N_(
    "What came after /start is not a link I made, so I ignored it. "
    "To join two accounts, send /link on one of them."
)


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
        _outcome, replies = await self._redeem(ctx, code, CODE_REFUSALS)
        return replies

    async def from_start(self, ctx: FlowContext, payload: str) -> tuple[bool, list[Reply]]:
        """``/start <payload>`` from a deep link: join the accounts exactly as ``/link <payload>`` would.

        Says whether the replies answer the ``/start`` in full (the accounts were joined, or the link is
        this account's own); if not, they are a kind note to put before the usual ``/start``, for someone
        who may be new here. A wrong, expired or used payload counts against the account's attempts.
        """
        code = normalize_code(payload)
        if code is None:
            return False, [Reply(ctx._(NOT_A_LINK))]
        outcome, replies = await self._redeem(ctx, code, LINK_REFUSALS)
        answered = outcome in (Redeemed.OK, Redeemed.OWN)
        if answered:
            ctx.flow = self.name  # the event was /link's work, not onboarding's (for the metrics)
        return answered, replies

    async def _issue(self, ctx: FlowContext) -> list[Reply]:
        _ = ctx._
        code = new_code()
        await link_codes.store_code(ctx.session, ctx.user_id, code, ctx.now, VALID_FOR)
        minutes = int(VALID_FOR.total_seconds() // 60)
        link = ctx.start_link(code)
        paragraphs = [
            _("Your link code: *{code}*").format(code=shown(code)),
            ctx.ngettext(
                "On your other app, send “/link {code}” within {n} minute. On Slack, type “/coach link {code}”.",
                "On your other app, send “/link {code}” within {n} minutes. On Slack, type “/coach link {code}”.",
                minutes,
            ).format(code=shown(code), n=minutes),
        ]
        if link is None:
            paragraphs.append(
                _(
                    "Both accounts then become one: everything from each is kept. The code works once. "
                    "Share it with no one: whoever enters it can read your journal."
                )
            )
            return [Reply("\n\n".join(paragraphs))]
        app = platform_name(ctx.identity.platform, ctx.t)
        opening = _("From another {app} account, you can open this link instead: {link}")
        paragraphs += [
            opening.format(app=app, link=link),
            _(
                "Both accounts then become one: everything from each is kept. The code and the link work once. "
                "Share them with no one: whoever uses them can read your journal."
            ),
        ]
        opener = Choice(_("Open from my other account"), "", url=link)
        return [Reply("\n\n".join(paragraphs), choices=(opener,))]

    async def _redeem(
        self, ctx: FlowContext, code: str, refusals: Mapping[Redeemed, str]
    ) -> tuple[Redeemed, list[Reply]]:
        """Use ``code`` to join this account to its owner's: what became of it, and what to tell the user."""
        redemption = await link_codes.redeem(ctx.session, code, ctx.user_id, ctx.now)
        if redemption.outcome is Redeemed.OK:
            assert redemption.owner_id is not None, "a used code names its owner"
            return redemption.outcome, await self._join(ctx, redemption.owner_id)
        return redemption.outcome, [self._refusal(ctx, redemption, refusals)]

    def _refusal(self, ctx: FlowContext, redemption: Redemption, refusals: Mapping[Redeemed, str]) -> Reply:
        if redemption.outcome is Redeemed.LIMITED and redemption.retry_at is not None:
            at = redemption.retry_at.astimezone(ZoneInfo(ctx.user.timezone))
            return Reply(
                ctx._(
                    "Too many wrong codes in the last hour, so I did not check this one. "
                    "Please try again after {time}."
                ).format(time=f"{at:%H:%M}")
            )
        return Reply(ctx._(refusals.get(redemption.outcome, refusals[Redeemed.UNKNOWN])))

    async def _join(self, ctx: FlowContext, owner_id: int) -> list[Reply]:
        _ = ctx._
        ctx.finish()
        keep, absorb = await choose_survivor(ctx.session, owner_id, ctx.user_id)
        await merge_users(ctx.session, keep, absorb)
        entries = await journal.count_entries(ctx.session, keep)
        apps = apps_named(await users.identities_of(ctx.session, keep), ctx.t)
        return [
            Reply(
                _("Linked. These apps now share one Encore account: {apps}.").format(apps=apps)
                + "\n\n"
                + ctx.ngettext(
                    "Nothing was lost: your journal has {n} entry, the same on every app.",
                    "Nothing was lost: your journal has {n} entries, the same on every app.",
                    entries,
                ).format(n=entries),
                choices=(Choice(_("Read my journal"), actions.shortcut("journal")),),
            )
        ]


def apps_named(identities: Sequence[Identity], t: Translator) -> str:
    """The apps of an account in order, saying how many accounts there are on an app where it is several
    (two Telegram accounts joined by a deep link, say)."""
    names = []
    for app, n in sorted(Counter(identity.platform for identity in identities).items()):
        name = platform_name(app, t)
        plural = t.ngettext("{app} ({n} account)", "{app} ({n} accounts)", n)
        names.append(name if n == 1 else plural.format(app=name, n=n))
    return ", ".join(names)


flow = Link()
