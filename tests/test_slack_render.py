"""Replies as Block Kit within Slack's limits: long text split at paragraphs, escaping, buttons, owners."""

from __future__ import annotations

from bot.slack.render import (
    SECTION_CHARS,
    Owner,
    answered,
    escape,
    home_view,
    reply_messages,
    split_text,
    to_mrkdwn,
    unescape,
    words,
)
from coach.dashboard import Dashboard, Section
from coach.messages import Choice, Reply

OWNER = Owner("T1", "U1")
EN = words("en")


def paragraph(n: int, size: int = 900) -> str:
    return f"Paragraph {n}. " + "word " * ((size - 14) // 5)


def test_long_text_is_split_on_paragraph_boundaries_under_the_section_limit() -> None:
    text = "\n\n".join(paragraph(n) for n in range(12))  # about 10,800 characters
    chunks = split_text(text)
    assert all(len(chunk) <= SECTION_CHARS for chunk in chunks)
    assert len(chunks) == 4
    assert all(chunk.startswith("Paragraph") for chunk in chunks)  # every cut is between paragraphs
    assert "\n\n".join(chunks) == text  # nothing lost or reordered


def test_a_huge_paragraph_is_cut_at_lines_then_words_then_anywhere() -> None:
    lines = "\n".join("line " + "x" * 995 for _ in range(7))
    assert all(len(chunk) <= SECTION_CHARS for chunk in split_text(lines))
    assert "\n".join(split_text(lines)) == lines
    one_word = "가" * 7000  # Korean, no spaces at all
    assert [len(chunk) for chunk in split_text(one_word)] == [3000, 3000, 1000]
    entities = escape("&" * 2000)  # never cut inside "&amp;"
    assert all(chunk.endswith("&amp;") for chunk in split_text(entities)[:-1])


def test_markup_maps_to_mrkdwn_with_slack_control_characters_escaped() -> None:
    assert to_mrkdwn("*Bold* and _italic_ for R&D <team> -> done") == (
        "*Bold* and _italic_ for R&amp;D &lt;team&gt; -&gt; done"
    )
    assert to_mrkdwn("<!channel> <@U2>") == "&lt;!channel&gt; &lt;@U2&gt;"  # no mentions smuggled in
    assert unescape("R&amp;D &lt;team&gt;") == "R&D <team>"


def test_commands_are_shown_as_slack_users_type_them() -> None:
    commands = {"reflect", "start", "export"}
    shown = to_mrkdwn(
        "Send /reflect, or /start. Not and/or, not https://x.io/start, not /reflection.", commands
    )
    assert shown == (
        "Send /coach reflect, or /coach start. Not and/or, not https://x.io/start, not /reflection."
    )
    assert to_mrkdwn("언제든 /export로 받아 가세요", commands) == "언제든 /coach export로 받아 가세요"


def test_a_reply_with_long_text_and_many_buttons_stays_within_slack_limits() -> None:
    text = "\n\n".join(paragraph(n, 2900) for n in range(60))
    choices = tuple(Choice(f"Option {n} " + "x" * 80, f"flow:step:1:{n}") for n in range(30))
    messages = reply_messages(Reply(text, choices=choices, ask="long"), OWNER, EN)
    assert len(messages) == 2  # 60 sections + 2 actions blocks do not fit in one message of 50 blocks
    blocks = [block.to_dict() for message in messages for block in message.blocks]
    sections = [block for block in blocks if block["type"] == "section"]
    assert len(sections) == 60 and all(len(block["text"]["text"]) <= SECTION_CHARS for block in sections)
    actions = [block for block in blocks if block["type"] == "actions"]
    assert [len(block["elements"]) for block in actions] == [25, 6]
    assert [block.to_dict() for block in messages[-1].blocks[-2:]] == actions  # buttons come last
    first = actions[0]["elements"][0]
    assert first["text"]["text"] == "Write your answer" and first["action_id"] == "encore.write"
    labels = [element["text"]["text"] for block in actions for element in block["elements"]]
    assert all(len(label) <= 75 for label in labels)
    assert {Owner.from_block_id(block["block_id"]) for block in actions} == {OWNER}
    assert all(len(message.text) <= SECTION_CHARS for message in messages)


def test_buttons_carry_the_coach_action_as_id_and_value() -> None:
    [message] = reply_messages(
        Reply("Pick one", choices=(Choice("3 years", "onboarding:horizon:4:3"),)), OWNER, EN
    )
    button = message.blocks[-1].to_dict()["elements"][0]
    assert (button["action_id"], button["value"]) == ("onboarding:horizon:4:3", "onboarding:horizon:4:3")


def test_a_pressed_message_keeps_its_text_and_shows_the_choice() -> None:
    [message] = reply_messages(Reply("How long?", choices=(Choice("<3 years>", "a:b:1:c"),)), OWNER, EN)
    updated = answered([block.to_dict() for block in message.blocks], "<3 years>")
    assert [block["type"] for block in updated] == ["section", "context"]
    assert updated[-1]["elements"][0]["text"] == "✔ *&lt;3 years&gt;*"


def test_owner_is_read_back_only_from_our_own_block_ids() -> None:
    assert Owner.from_block_id(OWNER.block_id("c", 0)) == OWNER
    assert Owner.from_block_id("something|else") is None
    assert Owner.from_block_id(None) is None
    assert Owner.from_metadata('{"team": "T1", "user": "U1", "channel": "D1"}') == (
        OWNER,
        {"team": "T1", "user": "U1", "channel": "D1"},
    )
    assert Owner.from_metadata("not json") is None
    assert Owner.from_metadata('{"team": 1, "user": "U1"}') is None


def test_home_view_keeps_its_buttons_when_the_text_overflows() -> None:
    sections = tuple(Section(paragraph(n, 2900)) for n in range(120))
    dashboard = Dashboard("en", "Encore", sections, (Choice("Reflect", "go:reflect"),), known=True)
    view = home_view(dashboard, OWNER).to_dict()
    assert len(view["blocks"]) == 100
    assert view["blocks"][-1]["type"] == "actions"


def test_a_button_that_opens_the_dashboard_app_is_left_out_on_slack() -> None:
    reply = Reply(
        "Your progress",
        choices=(Choice("Reflect", "go:reflect"), Choice("Open my dashboard", "go:progress", opens_app=True)),
    )
    [message] = reply_messages(reply, OWNER, EN)
    labels = [
        e["text"]["text"] for b in message.blocks if b.type == "actions" for e in b.to_dict()["elements"]
    ]
    assert labels == ["Reflect"]
