"""Reply shapes the coach can produce, as Telegram shows them: long texts, pictures, files, and failures.

The flows here are small stand-ins for features built elsewhere (charts, export); the adapter under test
is the real one.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import pytest

from coach.actions import shortcut
from coach.adapter_text import FAILED
from coach.context import FlowContext
from coach.flows import help as help_flow
from coach.flows.base import Flow
from coach.i18n import translator
from coach.messages import Choice, Document, Image, Reply
from storage.db import Database
from tests.fakes.telegram_api import FakeTelegram
from tests.telegram_support import ChatUser, RunningBot, running_bot, texts

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PARAGRAPHS = [f"*Step {n}*\n" + "준비된 사람은 자기 자리를 냉정하게 봅니다. " * 12 for n in range(1, 31)]


class Essay(Flow):
    name = "essay"
    commands = {"essay": "A long answer"}

    async def begin(self, ctx: FlowContext, command: str, args: str) -> list[Reply]:
        return [Reply("\n\n".join(PARAGRAPHS), choices=(Choice("Thanks", shortcut("help")),))]


class Pictures(Flow):
    name = "pictures"
    commands = {"progress": "A chart and a file"}

    async def begin(self, ctx: FlowContext, command: str, args: str) -> list[Reply]:
        return [
            Reply(
                "Your skills this month.",
                image=Image(PNG, "Cloud skills: 3 of 10 at target level"),
                choices=(Choice("Details", shortcut("help")),),
            ),
            Reply("Here is everything you told me.", document=Document("encore.json", b'{"ok": true}')),
        ]


class LongLabel(Flow):
    name = "long_label"
    commands = {"bigfile": "A file with more to say than a caption holds"}

    async def begin(self, ctx: FlowContext, command: str, args: str) -> list[Reply]:
        return [Reply("*About this file*\n\n" + "Words. " * 200, document=Document("notes.md", b"# Notes"))]


class Broken(Flow):
    name = "broken"
    commands = {"boom": "Fails"}

    async def begin(self, ctx: FlowContext, command: str, args: str) -> list[Reply]:
        raise RuntimeError("the database went away")


@pytest.fixture
async def bot(database: Database) -> AsyncIterator[RunningBot]:
    flows = [Essay(), Pictures(), LongLabel(), Broken(), help_flow.flow]
    async with FakeTelegram() as fake, running_bot(fake, database, flows=flows) as running:
        yield running


async def test_a_long_answer_is_split_between_paragraphs_with_buttons_on_the_last_part(
    bot: RunningBot,
) -> None:
    alice = ChatUser(bot, 1001)
    replies = await alice.send("/essay")
    assert len(replies) > 1
    assert all(len(reply.text.encode("utf-16-le")) // 2 <= 4096 for reply in replies)
    assert all(reply.text.startswith("Step ") for reply in replies)  # each part starts a paragraph
    assert texts(replies) == "\n\n".join(p.replace("*", "") for p in PARAGRAPHS)
    assert [bool(reply.keyboard) for reply in replies] == [False] * (len(replies) - 1) + [True]
    assert all(reply.entities[0]["type"] == "bold" for reply in replies)


async def test_a_chart_is_a_captioned_photo_and_an_export_is_a_file(bot: RunningBot) -> None:
    alice = ChatUser(bot, 1001)
    photo, text, document = await alice.send("/progress")
    assert photo.kind == "photo" and photo.file == PNG
    assert photo.text == "Cloud skills: 3 of 10 at target level"
    assert text.text == "Your skills this month." and text.labels == ["Details"]
    assert not photo.keyboard
    assert document.kind == "document" and document.filename == "encore.json"
    assert document.text == "Here is everything you told me."  # the file's caption, not a message of its own
    assert document.file == b'{"ok": true}'


async def test_a_label_too_long_for_a_caption_goes_in_a_message_before_the_file(bot: RunningBot) -> None:
    text, document = await ChatUser(bot, 1001).send("/bigfile")
    assert text.kind == "text" and text.text.startswith("About this file") and len(text.text) > 1024
    assert text.entities[0]["type"] == "bold"
    assert document.kind == "document" and document.filename == "notes.md" and document.text == ""


async def test_a_failure_inside_the_coach_gets_an_apology_and_no_words_in_the_log(
    bot: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    minsu = ChatUser(bot, 2002, language_code="ko")
    with caplog.at_level(logging.INFO):
        replies = await minsu.send("/boom 회사에는 아직 말하지 않은 계획")
    assert [reply.text for reply in replies] == [translator("ko").gettext(FAILED)]
    assert "RuntimeError" in caplog.text  # the operator learns what broke
    assert "계획" not in caplog.text  # but not what the user wrote
    replies = await minsu.send("/help")  # and the bot carries on
    assert "/essay" in replies[0].text


async def test_a_skill_assessment_ends_with_its_chart_as_a_photo(database: Database) -> None:
    async with FakeTelegram() as fake, running_bot(fake, database) as bot:  # every real flow
        minsu = ChatUser(bot, 2002, language_code="ko")
        role = (await minsu.send("/skills"))[-1].labels[0]
        await minsu.press(role)
        questions = []
        while "3" in minsu.last.labels:
            questions.append(minsu.last)
            replies = await minsu.press("3")
    assert len(questions) > 3 and all(q.text.endswith("✔︎ 3") and not q.keyboard for q in questions)
    photo, closing = replies[-2:]
    assert photo.kind == "photo" and photo.file.startswith(b"\x89PNG")
    assert photo.text.startswith(role)  # the chart's text alternative is its caption
    assert closing.kind == "text" and len(closing.labels) == 3
