"""Coach replies and dashboards as Slack Block Kit, built with the typed ``slack_sdk.models`` classes.

Slack's limits, kept here: a section holds 3,000 characters, a message 50 blocks, a view 100, an actions
block 25 buttons, a button label 75 characters, a modal title 24. The coach's markup (``*bold*``,
``_italic_``) is Slack's mrkdwn already; only ``&``, ``<`` and ``>`` need escaping. Commands the coach
names as ``/reflect`` are typed as ``/coach reflect`` in Slack, so they are shown that way.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    InputBlock,
    MarkdownTextObject,
    PlainTextInputElement,
    PlainTextObject,
    SectionBlock,
)
from slack_sdk.models.views import View

from bot import splitting
from coach import adapter_text
from coach.dashboard import Dashboard
from coach.i18n import translator
from coach.messages import Choice, Reply, sendable

SLASH_COMMAND = "/coach"
WRITE_ACTION = "encore.write"
ANSWER_CALLBACK = "encore.answer"
ANSWER_BLOCK = "answer"
ANSWER_INPUT = "text"

SECTION_CHARS = 3000
MESSAGE_BLOCKS = 50
VIEW_BLOCKS = 100
BUTTONS_PER_BLOCK = 25
BUTTON_CHARS = 75
HEADER_CHARS = 150
TITLE_CHARS = 24
INPUT_CHARS = 3000
_BLOCK_PREFIX = "encore"


@dataclass(frozen=True, slots=True)
class Owner:
    """The person a message or view was made for: Slack user ids are unique only within a team."""

    team: str
    user: str

    def block_id(self, kind: str, index: int) -> str:
        return f"{_BLOCK_PREFIX}|{kind}|{self.team}|{self.user}|{index}"

    @classmethod
    def from_block_id(cls, block_id: str | None) -> Owner | None:
        parts = (block_id or "").split("|")
        if len(parts) != 5 or parts[0] != _BLOCK_PREFIX:
            return None
        return cls(parts[2], parts[3])

    def metadata(self, **extra: str) -> str:
        return json.dumps({"team": self.team, "user": self.user, **extra})

    @classmethod
    def from_metadata(cls, metadata: str | None) -> tuple[Owner, dict[str, Any]] | None:
        try:
            data = json.loads(metadata or "")
        except ValueError:
            return None
        if not isinstance(data, dict) or not isinstance(data.get("team"), str):
            return None
        if not isinstance(data.get("user"), str):
            return None
        return cls(data["team"], data["user"]), data


@dataclass(frozen=True, slots=True)
class Words:
    """The adapter's own words (see :mod:`coach.adapter_text`) in one language."""

    write_answer: str
    answer_title: str
    answer_label: str
    save: str
    cancel: str
    empty_answer: str
    not_yours: str
    answered_in_dm: str
    failed: str


@cache
def words(language: str) -> Words:
    _ = translator(language).gettext
    return Words(
        write_answer=_(adapter_text.WRITE_ANSWER),
        answer_title=_(adapter_text.ANSWER_TITLE),
        answer_label=_(adapter_text.ANSWER_LABEL),
        save=_(adapter_text.SAVE),
        cancel=_(adapter_text.CANCEL),
        empty_answer=_(adapter_text.EMPTY_ANSWER),
        not_yours=_(adapter_text.NOT_YOURS),
        answered_in_dm=_(adapter_text.ANSWERED_IN_DM),
        failed=_(adapter_text.FAILED),
    )


@dataclass(frozen=True, slots=True)
class Message:
    """One ``chat.postMessage``: ``text`` is the notification fallback, ``blocks`` what is shown."""

    text: str
    blocks: list[Block]


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def unescape(text: str) -> str:
    """Slack escapes these three in message text it sends us; the coach wants what the user typed."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def to_mrkdwn(text: str, commands: Collection[str] = ()) -> str:
    """The coach's markup as mrkdwn, with ``/command`` shown as Slack users type it."""
    escaped = escape(text)
    if not commands:
        return escaped
    names = "|".join(re.escape(name) for name in sorted(commands, key=len, reverse=True))
    # Korean particles follow a command directly ("/export로"), so only ASCII may not follow the name.
    return re.sub(rf"(?<![\w/])/({names})(?![A-Za-z0-9_-])", rf"{SLASH_COMMAND} \1", escaped)


def split_text(text: str, limit: int = SECTION_CHARS) -> list[str]:
    """``text`` in pieces of at most ``limit`` characters, cut at paragraphs, then lines, then words."""
    return splitting.split_text(text, limit, hard_cut=_hard_cut)


def _hard_cut(text: str, limit: int) -> list[str]:
    """A word longer than a section: cut it, never inside an ``&amp;``-style entity."""
    pieces = []
    while len(text) > limit:
        cut = limit
        ampersand = text.rfind("&", cut - 5, cut)
        if ampersand != -1 and ";" not in text[ampersand:cut]:
            cut = ampersand
        pieces.append(text[:cut])
        text = text[cut:]
    return pieces + [text] if text else pieces


def _label(text: str) -> str:
    return text if len(text) <= BUTTON_CHARS else text[: BUTTON_CHARS - 1] + "…"


def _button(choice: Choice) -> ButtonElement:
    return ButtonElement(text=_label(choice.label), action_id=choice.action, value=choice.action)


def reply_messages(reply: Reply, owner: Owner, words: Words, commands: Collection[str] = ()) -> list[Message]:
    """The chat messages showing ``reply``'s text and buttons (its picture or file is sent apart)."""
    text = to_mrkdwn(reply.text, commands) if reply.text.strip() else ""
    blocks: list[Block] = [
        SectionBlock(text=MarkdownTextObject(text=chunk)) for chunk in split_text(text) if chunk
    ]
    choices = sendable(reply.choices)  # Slack has no dashboard app to open
    buttons = [_button(choice) for choice in choices]
    if reply.ask == "long":
        write = ButtonElement(
            text=words.write_answer, action_id=WRITE_ACTION, value=WRITE_ACTION, style="primary"
        )
        buttons.insert(0, write)
    for index, start in enumerate(range(0, len(buttons), BUTTONS_PER_BLOCK)):
        elements = buttons[start : start + BUTTONS_PER_BLOCK]
        blocks.append(ActionsBlock(elements=elements, block_id=owner.block_id("c", index)))
    if not blocks:
        return []
    fallback = text[:SECTION_CHARS] or " · ".join(choice.label for choice in choices) or words.write_answer
    return [
        Message(fallback, blocks[start : start + MESSAGE_BLOCKS])
        for start in range(0, len(blocks), MESSAGE_BLOCKS)
    ]


def answered(blocks: Sequence[dict[str, Any]], label: str) -> list[dict[str, Any]]:
    """A message whose button was pressed: its text stays, the buttons give way to the choice made."""
    kept = [block for block in blocks if block.get("type") != "actions"]
    choice = ContextBlock(elements=[MarkdownTextObject(text=f"✔ *{escape(label)}*")])
    return kept + [choice.to_dict()]


def message_text(blocks: Sequence[dict[str, Any]]) -> str:
    """The mrkdwn of a message's sections (to show a question again above the answer box)."""
    texts = [
        block["text"]["text"]
        for block in blocks
        if block.get("type") == "section" and isinstance(block.get("text"), dict)
    ]
    return "\n\n".join(texts)


def answer_modal(owner: Owner, question: str, words: Words) -> View:
    """The box for a longer answer; submitting it is the same as sending the text in the DM."""
    blocks: list[Block] = []
    if question.strip():
        blocks.append(SectionBlock(text=MarkdownTextObject(text=split_text(question)[0])))
    blocks.append(
        InputBlock(
            block_id=ANSWER_BLOCK,
            label=words.answer_label,
            element=PlainTextInputElement(action_id=ANSWER_INPUT, multiline=True, max_length=INPUT_CHARS),
        )
    )
    return View(
        type="modal",
        callback_id=ANSWER_CALLBACK,
        title=PlainTextObject(text=words.answer_title[:TITLE_CHARS]),
        submit=PlainTextObject(text=words.save[:TITLE_CHARS]),
        close=PlainTextObject(text=words.cancel[:TITLE_CHARS]),
        blocks=blocks,
        private_metadata=owner.metadata(),
    )


def home_view(dashboard: Dashboard, owner: Owner, commands: Collection[str] = ()) -> View:
    """The App Home tab: the dashboard's sections, then a button for each flow."""
    blocks: list[Block] = [HeaderBlock(text=_shorten(dashboard.title, HEADER_CHARS))]
    for section in dashboard.sections:
        blocks.append(DividerBlock())
        for chunk in split_text(to_mrkdwn(section.text, commands)):
            blocks.append(SectionBlock(text=MarkdownTextObject(text=chunk)))
    buttons = [_button(choice) for choice in dashboard.actions]
    rows: list[Block] = [DividerBlock()] if buttons else []
    for index, start in enumerate(range(0, len(buttons), BUTTONS_PER_BLOCK)):
        elements = buttons[start : start + BUTTONS_PER_BLOCK]
        rows.append(ActionsBlock(elements=elements, block_id=owner.block_id("home", index)))
    blocks = blocks[: VIEW_BLOCKS - len(rows)] + rows  # overflowing text gives way; the buttons stay
    return View(type="home", blocks=blocks, private_metadata=owner.metadata())


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
