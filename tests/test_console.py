"""The console adapter: numbered choices, commands and free text, rendered as plain terminal text."""

from __future__ import annotations

import io

from bot.console import Console
from coach.core import Coach


async def test_numbers_pick_the_choices_shown_last(coach: Coach) -> None:
    out = io.StringIO()
    console = Console(coach, stdout=out, user="hana", language="en")
    await console.say("/start")
    await console.say("Securities analyst")
    await console.say("18")
    assert "  1. " in out.getvalue()
    await console.say("2")  # the second role in the catalog
    assert "By when" in out.getvalue()
    await console.say("99")  # not a shown number: it is text, and the flow asks again kindly
    assert "could not read that as a date" in out.getvalue()


async def test_console_session_in_korean_with_stars_removed(coach: Coach) -> None:
    out = io.StringIO()
    console = Console(coach, stdout=out, user="minji", language="ko")
    await console.say("/settings")
    text = out.getvalue()
    assert "설정" in text and "*" not in text


async def test_run_reads_lines_until_quit(coach: Coach) -> None:
    out = io.StringIO()
    console = Console(coach, stdin=io.StringIO("/help\n/quit\n"), stdout=out, user="kim")
    await console.run()
    assert "/reflect" in out.getvalue()


def test_markup_is_removed_but_underscores_inside_words_stay() -> None:
    from bot.console import plain

    assert plain("*Your journal*\n_What would you keep?_ my_file.txt 2*3*4") == (
        "Your journal\nWhat would you keep? my_file.txt 2*3*4"
    )


async def test_a_button_for_the_dashboard_app_is_not_offered_in_the_terminal(coach: Coach) -> None:
    out = io.StringIO()
    console = Console(coach, stdout=out, user="hana", language="en")
    replies = await console.say("/progress")
    assert any(choice.opens_app for reply in replies for choice in reply.choices)  # the coach offers it
    shown = out.getvalue()
    assert "Open my dashboard" not in shown
    numbered = [line.strip() for line in shown.splitlines() if line.startswith("  ")]
    assert numbered == [
        f"{n}. {label}" for n, label in enumerate(("Rate my skills", "Set a study goal", "Reflect"), 1)
    ]
    await console.say("3")  # the third shown: Reflect
    assert "Answer in your own words" in out.getvalue()
