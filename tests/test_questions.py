"""Shared questions: one object asked by several flows, whose way of reading text can be swapped.

The flow below is written the way a new flow is (one module, registered with the coach): it asks the
shared check-in time question. Its usual parser (coach/understanding) reads "밤 9시" and asks about "9시";
handed another parser, the same question reads text that way instead, and a parser that finds two meanings
makes the question ask which one, with buttons.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import time
from enum import StrEnum

from coach.context import FlowContext
from coach.core import Coach
from coach.draft import Draft
from coach.flows import default_flows
from coach.flows.base import On, StepFlow
from coach.flows.questions.base import Ambiguous, Hints, Question, Reading, Understood
from coach.flows.questions.schedule import CHECKIN_TIME, read_clock
from coach.messages import Reply
from storage.db import Database
from tests.support import FakeClock, Talker, person


class Step(StrEnum):
    TIME = "time"


class ReadingTime(StepFlow[Step, Draft]):
    """/readingtime: when shall I remind you to read? (The check-in time, asked by another flow.)"""

    name = "readingtime"
    commands = {"readingtime": "When do you read?"}
    steps = Step
    draft_type = Draft

    def __init__(self, question: Question[time]) -> None:
        self.question = question
        super().__init__()

    def table(self) -> Mapping[Step, On]:
        return {Step.TIME: self.question.at(Step.TIME, then=self.kept)}

    async def begin(self, ctx: FlowContext, command: str, args: str) -> list[Reply]:
        ctx.finish()
        ctx.enter(self.name)
        return [await self.enter(ctx, Step.TIME)]

    async def kept(self, ctx: FlowContext, note: str | None) -> list[Reply]:
        ctx.finish()
        return [Reply(f"Kept: {ctx.user.checkin_hour:02d}:{ctx.user.checkin_minute:02d}")]


def nights_and_mornings(text: str, hints: Hints) -> Reading[time]:
    """A stand-in for another parser: a bare "9" could be either; "9" with "!" means 9 in the morning."""
    if text.strip() == "9":
        return Ambiguous((time(9), time(21)), "Morning or evening?")
    if text.strip() == "9!":
        return Understood(time(9))
    return read_clock(text, hints)


def talker(database: Database, question: Question[time]) -> Talker:
    coach = Coach(database, clock=FakeClock(), flows=[*default_flows(), ReadingTime(question)])
    return Talker(coach, person("reader"))


async def test_the_usual_parser_reads_natural_times_and_asks_again_for_words_it_does_not_know(
    database: Database,
) -> None:
    reader = talker(database, CHECKIN_TIME)
    await reader.command("readingtime")
    assert "At what time?" in reader.text and "21:00" in reader.labels
    await reader.say("a quarter to nine")
    assert "Please type a time of day" in reader.text
    await reader.say("9시")  # morning or evening? Never silently 09:00
    assert reader.text == "Which time do you mean?" and reader.labels == ["09:00", "21:00"]
    await reader.say("밤 9시 반")
    assert reader.text == "Kept: 21:30"


async def test_a_swapped_parser_reads_text_its_own_way(database: Database) -> None:
    reader = talker(database, CHECKIN_TIME.with_parser(nights_and_mornings))
    await reader.command("readingtime")
    await reader.say("9!")
    assert reader.text == "Kept: 09:00"
    assert CHECKIN_TIME.parse is read_clock  # the shared question itself is unchanged


async def test_an_ambiguous_answer_is_asked_about_with_buttons(database: Database) -> None:
    reader = talker(database, CHECKIN_TIME.with_parser(nights_and_mornings))
    await reader.command("readingtime")
    first_question = reader.action("09:00")
    await reader.say("9")
    assert reader.text == "Morning or evening?"
    assert reader.labels == ["09:00", "21:00"]
    await reader.press("21:00")
    assert reader.text == "Kept: 21:00"
    await reader.press_action(first_question)  # the question before it has expired
    assert "expired" in reader.text


async def test_a_buttons_only_question_refuses_typing_kindly(alice: Talker) -> None:
    await alice.command("settings")
    await alice.press("Language")
    korean = alice.action("한국어")
    await alice.say("Korean please")
    assert "Please use one of the buttons above" in alice.text
    await alice.press_action(korean)  # the question is still open
    assert "언어: 한국어" in alice.text
