"""Reflection (/reflect): one honest prompt, a free-text answer, a confidence rating and a pointed follow-up.

Prompts rotate through the themes, least-visited theme first, and a prompt is not repeated until every
prompt of its theme has been answered. A long answer may arrive in several messages (Telegram splits at
4,096 characters): text sent while the rating is pending is added to the answer, never dropped.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from coach import actions
from coach.ai.assistant import with_model
from coach.content.schema import Prompt
from coach.context import FlowContext
from coach.draft import Draft
from coach.flows.base import On, StepFlow
from coach.i18n import N_
from coach.messages import Choice, Reply
from coach.prompts import pick_prompt
from coach.understanding import Understood, parse_rating
from storage import journal
from storage.models import JournalEntry

MAX_ANSWER_CHARS = 20_000
CONFIDENCE = range(1, 6)


async def choose_prompt(ctx: FlowContext, theme: str | None = None, skip: tuple[str, ...] = ()) -> Prompt:
    """The next prompt for this user: least-visited theme, then a prompt of it not yet answered."""
    answered = await journal.answered_prompt_keys(ctx.session, ctx.user_id)
    return pick_prompt(ctx.content, answered, theme, skip)


class Step(StrEnum):
    ANSWER = "answer"
    CONFIDENCE = "confidence"


class ReflectionDraft(Draft):
    prompt: str = ""  # the key of the prompt being answered
    answer: str = ""  # what the user wrote so far, possibly over several messages
    skipped: list[str] = []  # prompts passed over with "Another question"


class Reflection(StepFlow[Step, ReflectionDraft]):
    name = "reflection"
    commands = {"reflect": N_("Answer a reflection prompt for your journal")}
    takes_args = True
    steps = Step
    draft_type = ReflectionDraft

    def table(self) -> Mapping[Step, On]:
        # While the rating is pending, more text is added to the answer: long answers arrive in parts.
        return {
            Step.ANSWER: On(text=self.write, choice=self.another, writing=True),
            Step.CONFIDENCE: On(text=self.write_or_rate, choice=self.rate, writing=True),
        }

    def unsaved_writing(self, ctx: FlowContext) -> str:
        return self.draft(ctx).answer

    async def begin(self, ctx: FlowContext, command: str, args: str) -> list[Reply]:
        _ = ctx._
        ctx.finish()  # a new /reflect always starts a fresh prompt
        ctx.enter(self.name)
        notes: list[Reply] = []
        theme = self._theme_from(ctx, args)
        if args and theme is None:
            names = ", ".join(t.key for t in ctx.content.themes)
            notes.append(
                Reply(
                    _("I don't know that theme, so here is the next prompt. Themes: {names}").format(
                        names=names
                    )
                )
            )
        prompt = await choose_prompt(ctx, theme)
        return notes + [self._ask_prompt(ctx, prompt)]

    def _theme_from(self, ctx: FlowContext, args: str) -> str | None:
        wanted = args.strip().casefold()
        for theme in ctx.content.themes:
            if wanted in (theme.key, theme.title.en.casefold(), theme.title.ko.casefold()):
                return theme.key
        return None

    def _ask_prompt(self, ctx: FlowContext, prompt: Prompt) -> Reply:
        _ = ctx._
        theme = next(t for t in ctx.content.themes if t.key == prompt.theme)
        draft = self.draft(ctx)
        draft.prompt, draft.answer = prompt.key, ""
        text = f"*{theme.title.get(ctx.language)}*\n\n{prompt.text.get(ctx.language)}\n\n" + _(
            "Answer in your own words; a few honest sentences are enough."
        )
        return ctx.ask(Step.ANSWER, text, [(_("Another question"), "another")], ask="long")

    async def another(self, ctx: FlowContext, value: str) -> list[Reply]:
        if value != "another":
            return [ctx.choose_please()]
        draft = self.draft(ctx)
        draft.skipped = [*draft.skipped, draft.prompt]
        return [self._ask_prompt(ctx, await choose_prompt(ctx, skip=tuple(draft.skipped)))]

    async def rate(self, ctx: FlowContext, value: str) -> list[Reply]:
        if value.isdigit() and int(value) in CONFIDENCE:
            return await self._save(ctx, int(value))
        return [ctx.choose_please()]

    async def write_or_rate(self, ctx: FlowContext, text: str) -> list[Reply]:
        rating = parse_rating(text)  # "4", "4점", "4/5", "넷", "four"
        if isinstance(rating, Understood):
            return await self._save(ctx, rating.value)
        return await self.write(ctx, text)

    async def write(self, ctx: FlowContext, text: str) -> list[Reply]:
        _ = ctx._
        draft = self.draft(ctx)
        combined = f"{draft.answer}\n\n{text.strip()}" if draft.answer else text.strip()
        if len(combined) > MAX_ANSWER_CHARS:
            return [
                Reply(
                    _(
                        "That would make your answer {count} characters long, more than the {limit} one entry holds. "
                        "Nothing was cut: your answer so far is kept. Send a shorter part, or rate it and start "
                        "a new reflection for the rest."
                    ).format(count=len(combined), limit=MAX_ANSWER_CHARS),
                    ask="long",
                )
            ]
        adding = ctx.state.step == Step.CONFIDENCE
        draft.answer = combined
        intro = _("Added to your answer.") + " " if adding else ""
        return [
            ctx.ask(
                Step.CONFIDENCE,
                intro
                + _(
                    "How sure do you feel about what you wrote? 1 = not at all, 5 = very. (You can still add more text.)"
                ),
                [(str(n), str(n)) for n in CONFIDENCE],
                ask=None,
                columns=5,
            )
        ]

    async def _save(self, ctx: FlowContext, confidence: int) -> list[Reply]:
        _ = ctx._
        draft = self.draft(ctx)
        prompt = ctx.content.prompt(draft.prompt)
        answer = draft.answer
        await journal.add_entry(
            ctx.session,
            JournalEntry(
                user_id=ctx.user_id,
                prompt_key=prompt.key,
                theme=prompt.theme,
                prompt_text=prompt.text.get(ctx.language),
                answer=answer,
                confidence=confidence,
                language=ctx.language,
                created_at=ctx.now,
            ),
        )
        count = await journal.count_entries(ctx.session, ctx.user_id)
        ctx.finish()
        band = (
            prompt.follow_up.low
            if confidence <= 2
            else prompt.follow_up.steady
            if confidence == 3
            else prompt.follow_up.high
        )
        saved = ctx.ngettext(
            "Saved to your journal ({n} entry so far).", "Saved to your journal ({n} entries so far).", count
        ).format(n=count)
        curated = Reply(
            band.get(ctx.language) + "\n\n" + saved,
            choices=(
                Choice(_("Another reflection"), actions.shortcut("reflect")),
                Choice(_("Read my journal"), actions.shortcut("journal")),
            ),
        )
        return await with_model(
            ctx,
            curated,
            moment="reflection",
            words=answer,
            frame=lambda words: f"{words}\n\n{saved}",
            theme=ctx.content.theme(prompt.theme).title.get(ctx.language),
            prompt=prompt.text.get(ctx.language),
            confidence=confidence,
        )


flow = Reflection()
