"""How coach text becomes Telegram messages: escaping, the tiny markup, 4,096-character pieces, buttons."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.telegram import callback_data, render
from coach.actions import flow_action, shortcut
from coach.messages import Choice
from tests.fakes.telegram_api import parse_html


def test_markup_becomes_bold_and_italic_and_everything_else_is_escaped() -> None:
    html = render.to_html("*Your journal* — _page 1_\nR&D <lead> said 2*3*4 = 24 in my_file_name")
    assert html == (
        "<b>Your journal</b> — <i>page 1</i>\nR&amp;D &lt;lead&gt; said 2*3*4 = 24 in my_file_name"
    )
    text, entities = parse_html(html)
    assert text == "Your journal — page 1\nR&D <lead> said 2*3*4 = 24 in my_file_name"
    assert [e["type"] for e in entities] == ["bold", "italic"]


def test_korean_and_emoji_markup_keeps_utf16_offsets_right() -> None:
    text, entities = parse_html(render.to_html("🌱 *다음 단계* 준비"))
    assert text == "🌱 다음 단계 준비"
    assert entities == [{"type": "bold", "offset": 3, "length": 5}]


@given(st.text(alphabet=st.sampled_from("ab *_<>&\n가🌱"), max_size=60))
def test_any_text_renders_to_html_telegram_accepts_with_only_markers_removed(markup: str) -> None:
    text, _ = parse_html(render.to_html(markup))  # raises like Telegram on malformed HTML
    assert text == render.to_plain(markup)
    assert text.replace("*", "").replace("_", "") == markup.replace("*", "").replace("_", "")


def test_short_text_is_one_message() -> None:
    assert render.split_text("Hello.\n\nTwo paragraphs.") == ["Hello.\n\nTwo paragraphs."]


def test_long_text_splits_between_paragraphs_and_nothing_is_lost() -> None:
    paragraphs = [f"Paragraph {n}. " + "word " * 150 for n in range(20)]
    text = "\n\n".join(p.strip() for p in paragraphs)
    pieces = render.split_text(text)
    assert len(pieces) > 1
    assert all(render.utf16_len(piece) <= render.MAX_MESSAGE_CHARS for piece in pieces)
    assert all(piece.startswith("Paragraph") for piece in pieces)
    assert "\n\n".join(pieces) == text


def test_a_paragraph_longer_than_a_message_splits_between_lines_then_words() -> None:
    lines = "\n".join(f"line {n} " + "가나다 " * 60 for n in range(30))
    pieces = render.split_text(lines)
    assert all(render.utf16_len(piece) <= render.MAX_MESSAGE_CHARS for piece in pieces)
    assert "\n".join(pieces) == lines
    words = "🌱" * 3000 + " tail"
    pieces = render.split_text(words, limit=4096)
    assert all(render.utf16_len(piece) <= 4096 for piece in pieces)
    assert "".join(pieces).replace(" ", "") == words.replace(" ", "")


def test_clip_marks_what_was_cut() -> None:
    assert render.clip("short", 10) == "short"
    clipped = render.clip("a" * 300, 200)
    assert render.utf16_len(clipped) == 200 and clipped.endswith("…")


def test_buttons_are_laid_out_in_rows_with_versioned_callback_data() -> None:
    choices = [Choice(str(n), flow_action("reflection", "confidence", 7, str(n))) for n in range(1, 6)]
    markup = render.keyboard(choices, columns=2)
    assert markup is not None
    rows = markup.inline_keyboard
    assert [[b.text for b in row] for row in rows] == [["1", "2"], ["3", "4"], ["5"]]
    assert rows[0][0].callback_data == "1|reflection:confidence:7:1"
    assert render.keyboard([]) is None


def test_callback_data_round_trips_and_rejects_anything_else() -> None:
    for action in (shortcut("reflect"), flow_action("onboarding", "timezone_pick", 12345, "3")):
        data = callback_data.encode(action)
        assert len(data.encode()) <= callback_data.MAX_CALLBACK_BYTES
        assert callback_data.decode(data) == action
    for forged in (
        None,
        "",
        "go:help",  # no version tag
        "0|go:help",  # an older or unknown version
        "1|",
        "1|go:help; DROP TABLE user",
        "1|설정:언어",
        "1|" + "a" * 70,
        b"1|go:help",
    ):
        assert callback_data.decode(forged) is None
    with pytest.raises(callback_data.CallbackDataError):
        callback_data.encode("x" * 60)


def test_the_chosen_answer_is_shown_under_the_question() -> None:
    assert render.chosen("<b>Pick one</b>", "R&D") == "<b>Pick one</b>\n\n✔︎ <b>R&amp;D</b>"
    assert render.chosen("a" * 4090, "Tuesday") is None


def test_a_choice_that_opens_the_app_is_a_web_app_button_or_nothing() -> None:
    choices = [Choice("Reflect", "go:reflect"), Choice("Open my dashboard", "go:progress", opens_app=True)]
    markup = render.keyboard(choices, webapp_url="https://coach.example.org/app/")
    assert markup is not None
    reflect, app = (row[0].to_dict() for row in markup.inline_keyboard)
    assert "callback_data" in reflect and "web_app" not in reflect
    assert app == {"text": "Open my dashboard", "web_app": {"url": "https://coach.example.org/app/"}}
    without = render.keyboard(choices)  # no app configured: the button is left out
    assert without is not None and [row[0].text for row in without.inline_keyboard] == ["Reflect"]
    assert render.keyboard(choices[1:]) is None
