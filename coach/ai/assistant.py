"""The AI coach as flows use it: who has agreed, what the model is told, and the answer still to come.

A deployment with a model hands an :class:`Assistant` to the coach as the ``"ai"`` service; without one,
every function here leaves the curated replies alone and says nothing about AI. The brief is built inside
the event (it reads this user's record); the model is called later, by the adapter, outside the
transaction (:class:`coach.messages.Later`).
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Awaitable, Callable
from contextlib import aclosing
from dataclasses import dataclass, replace
from typing import Literal

from coach import actions
from coach.ai.brief import Brief, Grounding, Moment, build_brief
from coach.ai.check import READ_LIMIT, checked, checked_part
from coach.ai.model import ChatModel, ModelError
from coach.context import FlowContext
from coach.i18n import N_
from coach.messages import Choice, Later, Reply, Show
from coach.study_report import goal_name, goal_pace, verdict_text
from storage import coaching, users

log = logging.getLogger(__name__)

SERVICE = "ai"
FEATURE = "ai"  # consent buttons: ai:yes, ai:no
Consent = Literal["ask", "implied"]

DRAFT_EVERY = 0.8  # seconds between two drafts of a model's answer after the first
_SENTENCE_END = re.compile(r"[.!?。！？\n]")

CONSENT_QUESTION = N_(
    "I can also answer what you write in my own words, using an AI model run by {provider}. Only your "
    "words and your own record in Encore would be sent to it, for this answer; Encore's checks still apply. "
    "Shall I?"
)
CONSENT_YES = N_("Yes, use the AI model")
CONSENT_NO = N_("No, Encore's own words only")


@dataclass
class Assistant:
    """The operator's model (``model``), how consent works (``consent``), who runs it (``provider``, named
    to users) and how long an answer may take (``seconds``)."""

    model: ChatModel
    consent: Consent = "ask"
    provider: str = ""
    seconds: float = 30.0


def assistant(ctx: FlowContext) -> Assistant | None:
    service = ctx.services.get(SERVICE)
    return service if isinstance(service, Assistant) else None


def agreed(ctx: FlowContext) -> bool:
    """This user's words may go to the model: a model is configured and they said yes (or, on an
    operator's private instance, did not say no)."""
    ai = assistant(ctx)
    if ai is None or ctx.user.ai_consent is False:
        return False
    return ctx.user.ai_consent is True or ai.consent == "implied"


async def with_model(
    ctx: FlowContext,
    reply: Reply,
    *,
    moment: Moment,
    words: str,
    frame: Callable[[str], str],
    theme: str | None = None,
    prompt: str | None = None,
    confidence: int | None = None,
    may_ask: bool = True,
) -> list[Reply]:
    """``reply`` (curated) with the model's answer to come when the user agreed: ``frame`` puts the
    model's checked words into the reply's full text. Not asked yet: the curated reply and, if ``may_ask``
    (not in a hard moment), the question."""
    ai = assistant(ctx)
    if ai is None:
        return [reply]
    if not agreed(ctx):
        return [reply, *(_ask_once(ctx, ai) if may_ask else [])]
    grounding = await ground(ctx)
    brief = build_brief(
        language=ctx.language,
        moment=moment,
        words=words,
        grounding=grounding,
        theme=theme,
        prompt=prompt,
        confidence=confidence,
    )
    return [replace(reply, later=Later(answer(ai.model, brief, frame), ai.seconds))]


def answer(
    model: ChatModel, brief: Brief, frame: Callable[[str], str]
) -> Callable[[Show], Awaitable[str | None]]:
    """The model's answer to ``brief``: drafts of its words shown as they pass the checks, the final text
    framed by the curated reply's own (``frame``), or
    ``None`` for the curated text. Runs in the adapter, after the event's transaction."""

    async def write(show: Show) -> str | None:
        try:
            text = await _read(model, brief, show)  # drafts: the model's words alone
        except ModelError as error:
            log.warning("the model could not answer: %s", error)
            return None
        final = checked(text, brief) if text is not None else None
        if final is None:
            log.info("the model's answer did not pass the checks; the curated reply is used")
            return None
        return frame(final)

    return write


async def _read(model: ChatModel, brief: Brief, show: Show) -> str | None:
    """The model's whole answer, drafts of it shown as it grows; ``None`` past the read limit.

    A draft costs the bot a platform call and the checks a pass over the text, so not every piece makes one:
    the first whole words are shown at once, then a draft when a sentence has ended and at least
    ``DRAFT_EVERY`` seconds have passed. The final message follows the last piece in any case."""
    text = ""
    shown = ""
    shown_at: float | None = None
    checked_to = 0  # the text up to here has been looked at for a draft
    async with aclosing(model.stream(brief.messages)) as pieces:
        async for piece in pieces:
            text += piece
            if len(text) > READ_LIMIT:
                log.warning("the model wrote past %d characters; the curated reply is used", READ_LIMIT)
                return None
            now = time.monotonic()
            if shown_at is not None and (
                now - shown_at < DRAFT_EVERY or not _SENTENCE_END.search(text, max(0, checked_to - 1))
            ):
                continue
            checked_to = len(text)
            part = checked_part(text, brief)
            if part and part != shown:
                shown, shown_at = part, now
                await show(part)
    return text


def _ask_once(ctx: FlowContext, ai: Assistant) -> list[Reply]:
    if ctx.user.ai_consent is not None or ctx.user.ai_consent_asked_at is not None:
        return []
    ctx.user.ai_consent_asked_at = ctx.now
    return [consent_question(ctx, ai)]


def consent_question(ctx: FlowContext, ai: Assistant) -> Reply:
    _ = ctx._
    return Reply(
        _(CONSENT_QUESTION).format(provider=ai.provider or "?"),
        choices=(
            Choice(_(CONSENT_YES), actions.feature_action(FEATURE, "yes")),
            Choice(_(CONSENT_NO), actions.feature_action(FEATURE, "no")),
        ),
    )


def set_consent(ctx: FlowContext, yes: bool) -> None:
    ctx.user.ai_consent = yes
    ctx.user.ai_consent_at = ctx.now
    if ctx.user.ai_consent_asked_at is None:
        ctx.user.ai_consent_asked_at = ctx.now


async def on_consent_button(ctx: FlowContext, parts: tuple[str, ...]) -> list[Reply]:
    """``ai:yes`` / ``ai:no``: the answer is stored; with no model configured the button has expired."""
    if assistant(ctx) is None or parts not in (("yes",), ("no",)):
        return [ctx.expired()]
    set_consent(ctx, parts == ("yes",))
    _ = ctx._
    if parts == ("yes",):
        text = _("Thank you. From your next message on, I answer in my own words; /settings turns it off.")
    else:
        text = _(
            "Understood: your words stay with Encore, and you get its own replies. /settings changes this."
        )
    return [Reply(text)]


# -- what the model may know -------------------------------------------------------------------------------
PLAN_LINE = {
    "en": "Study goal {goal}: {status}; {done} hours studied, {weekly} hours a week planned",
    "ko": "학습 목표 {goal}: {status}; 지금까지 {done}시간 공부, 주 {weekly}시간 계획",
}
EXAM_LINE = {"en": "exam on {date}", "ko": "시험일 {date}"}


async def ground(ctx: FlowContext) -> Grounding:
    """This user's profile, plan figures (from :mod:`coach.plan`) and catalog facts; nobody else's."""
    profile = await users.get_profile(ctx.session, ctx.user_id)
    lang = ctx.language if ctx.language in PLAN_LINE else "en"
    target = None
    catalog: list[str] = []
    if profile is not None and profile.target_role:
        role = ctx.content.roles.get(profile.target_role)
        target = role.name.get(ctx.language) if role else profile.target_role
        if role is not None:
            catalog.append(role.summary.get(ctx.language))
    elif profile is not None:
        target = profile.target_role_custom
    plan: list[str] = []
    for goal in await coaching.active_goals(ctx.session, ctx.user_id):
        pace = goal_pace(goal, (), ctx.content, ctx.user, ctx.now)
        line = PLAN_LINE[lang].format(
            goal=goal_name(goal, ctx.content),
            status=verdict_text(pace, ctx.t),
            done=f"{pace.hours_done:g}",
            weekly=f"{pace.weekly_hours:g}",
        )
        if pace.exam_date is not None:
            line += "; " + EXAM_LINE[lang].format(date=pace.exam_date.isoformat())
        plan.append(line)
    return Grounding(
        role=profile.current_role if profile else None,
        years=profile.years_experience if profile else None,
        target=target,
        horizon=profile.horizon_date.isoformat() if profile and profile.horizon_date else None,
        plan=tuple(plan),
        catalog=tuple(catalog),
    )
