"""The console adapter: numbered choices for choice-only questions, letters where a typed answer is welcome
too, the terminal's language, the offer to switch to Korean, and check-ins that arrived while it was closed."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from pathlib import Path

from bot.console import Console, Shown, language_from_environment
from bot.console_outbox import ConsoleOutbox, read_unseen
from coach.core import Coach
from coach.delivery import Recipient
from coach.messages import Choice, Reply


def _console(
    coach: Coach, user: str, *, language: str | None = None, environ: dict[str, str] | None = None
) -> tuple[Console, io.StringIO]:
    out = io.StringIO()
    console = Console(
        coach, stdin=io.StringIO(), stdout=out, user=user, language=language, environ=environ or {}
    )
    return console, out


async def _onboard(console: Console) -> None:
    for line in ("/start", "Bank IT manager", "22", "a", "b", "b", "c", "Seoul"):
        await console.say(line)


async def test_choices_that_also_take_a_typed_answer_get_letters(coach: Coach) -> None:
    console, out = _console(coach, "hana", language="en")
    await console.say("/start")
    await console.say("Securities analyst")
    await console.say("18")
    assert "  a. Cloud architect" in out.getvalue() and "  1. " not in out.getvalue()
    await console.say("b")  # the second role in the catalog
    assert "By when" in out.getvalue()
    await console.say("99")  # a number is text here: the flow asks again kindly
    assert "could not read that as a date" in out.getvalue()


async def test_a_choice_only_question_takes_numbers(coach: Coach) -> None:
    console, out = _console(coach, "jun", language="en")
    await _onboard(console)
    await console.say("/settings")
    assert "  2. Time zone" in out.getvalue()  # the settings menu takes only a choice
    await console.say("2")
    assert "Which time zone are you in?" in out.getvalue()


async def test_the_weekday_question_takes_a_day_and_time_typed_together(coach: Coach) -> None:
    console, out = _console(coach, "jun", language="en")
    for line in ("/start", "Bank IT manager", "22", "a", "b"):
        await console.say(line)
    assert "  b. Tuesday" in out.getvalue()  # a typed answer is welcome too, so letters
    start = len(out.getvalue())
    await console.say("Thursdays at 9pm")
    assert "At what time?" not in out.getvalue()[start:]  # both answered at once
    assert "Which time zone" in out.getvalue()[start:]


async def test_a_typed_number_is_an_answer_not_the_choice_with_that_number(coach: Coach) -> None:
    console, out = _console(coach, "mina", language="en")
    await _onboard(console)
    for line in ("/study", "SAA-C03", "2027-03-01", "6", "1"):  # goal, exam date, weekly hours, Check in now
        await console.say(line)
    assert "  c. 2 h" in out.getvalue()
    start = len(out.getvalue())
    await console.say("3")  # three hours, not the third choice ("2 h")
    await console.say("5")  # "Done" with the domains: a choice-only question, so a number
    await console.say("a")  # no practice exam
    assert "Hours studied: 3 of the typical" in out.getvalue()[start:]


async def test_typing_a_choice_label_picks_it_either_way() -> None:
    shown = Shown(["act:1", "act:3"], ["1", "3"], lettered=True)
    assert shown.pick("3") == "act:3" and shown.pick("b") == "act:3" and shown.pick("c") is None
    numbered = Shown(["x", "y"], ["Later", "Start a reflection"], lettered=False)
    assert (
        numbered.pick("start a reflection") == "y"
        and numbered.pick("2") == "y"
        and numbered.pick("3") is None
    )
    assert numbered.pick("¹") is None and numbered.pick("9" * 40) is None


def test_the_terminal_locale_chooses_the_language() -> None:
    assert language_from_environment({"LANG": "ko_KR.UTF-8"}) == "ko"
    assert language_from_environment({"LANG": "en_US.UTF-8", "LC_ALL": "ko_KR.UTF-8"}) == "ko"
    assert language_from_environment({"LANG": "C.UTF-8"}) == "en"
    assert language_from_environment({}) is None


async def test_a_korean_terminal_starts_in_korean(coach: Coach) -> None:
    out = io.StringIO()
    console = Console(
        coach, stdin=io.StringIO("/start\n/quit\n"), stdout=out, user="minji", environ={"LANG": "ko_KR.UTF-8"}
    )
    await console.run()
    assert "Encore 콘솔이에요" in out.getvalue()
    assert "안녕하세요" in out.getvalue() and "Hello" not in out.getvalue()


async def test_the_first_korean_line_offers_to_switch_and_is_then_answered(coach: Coach) -> None:
    console, out = _console(coach, "sora", environ={"LANG": "en_US.UTF-8"})
    await console.say("/start")
    assert "Hello, I'm Encore" in out.getvalue()
    start = len(out.getvalue())
    await console.say("은행 IT 인프라 팀장")  # held back while the console asks
    offer = out.getvalue()[start:]
    assert "한국어로 이야기할까요?" in offer and "  1. 네, 한국어로" in offer
    await console.say("1")
    after = out.getvalue()[start + len(offer) :]
    assert "이제부터 한국어로 이야기할게요" in after
    assert (
        "지금까지 몇 년" in after or "경력" in after
    )  # the held answer was taken, and the next question is Korean
    start = len(out.getvalue())
    await console.say("다시 한국어")  # offered once only
    assert "한국어로 이야기할까요?" not in out.getvalue()[start:]


async def test_declining_the_switch_keeps_english_and_loses_no_line(coach: Coach) -> None:
    console, out = _console(coach, "ken", language="en")
    await console.say("/start")
    await console.say("은행 IT 팀장")
    await console.say("No")
    assert "How many years" in out.getvalue()
    console2, out2 = _console(coach, "ken2", language="en")
    await console2.say("/start")
    await console2.say("은행 IT 팀장")
    await console2.say("22")  # not an answer to the offer: it is the next answer in the flow
    assert "How many years" in out2.getvalue() and "Which second career" in out2.getvalue()


async def test_run_reads_lines_until_quit(coach: Coach) -> None:
    out = io.StringIO()
    console = Console(coach, stdin=io.StringIO("/help\n/quit\n"), stdout=out, user="kim", environ={})
    await console.run()
    assert "/reflect" in out.getvalue()


async def test_checkins_sent_while_the_console_was_closed_are_offered_when_it_opens(
    coach: Coach, tmp_path: Path
) -> None:
    path = tmp_path / "outbox.jsonl"
    sender = ConsoleOutbox(path, clock=lambda: datetime(2026, 12, 1, tzinfo=UTC))
    checkin = Reply("*Your weekly check-in*", choices=(Choice("Start now", "go:reflect"),))
    await sender.deliver(Recipient(1, 1, "console", "", "kim", "kim"), [checkin])
    await sender.deliver(Recipient(2, 2, "console", "", "lee", "lee"), [Reply("Lee's check-in")])
    with path.open("a") as handle:
        handle.write("not json\n")
        handle.write(json.dumps({"user": "kim", "text": 5}) + "\n")
    out = io.StringIO()
    console = Console(coach, stdin=io.StringIO("1\n/quit\n"), stdout=out, user="kim", outbox=path, environ={})
    await console.run()
    text = out.getvalue()
    assert "While the console was closed, I sent you this:" in text
    assert "Your weekly check-in\n  1. Start now" in text and "Lee's check-in" not in text
    assert "Answer in your own words" in text  # "1" pressed "Start now": a reflection began
    # Offered once: the next start shows nothing old.
    assert read_unseen(path, "kim") == []
    assert [reply.text for reply in read_unseen(path, "lee")] == ["Lee's check-in"]


def test_an_unreadable_or_replaced_outbox_loses_nothing(tmp_path: Path) -> None:
    path = tmp_path / "outbox.jsonl"
    assert read_unseen(path, "kim") == []  # no file yet
    path.write_text(json.dumps({"user": "kim", "text": "one", "choices": [["A", "go:help"], "bad"]}) + "\n")
    (tmp_path / "outbox.jsonl.seen").write_text("[not an object]")
    [reply] = read_unseen(path, "kim")
    assert reply.choices == (Choice("A", "go:help"),)
    path.write_text(json.dumps({"user": "kim", "text": "two"}) + "\n" + '{"user": "kim", "te')  # half a line
    assert [reply.text for reply in read_unseen(path, "kim")] == ["two"]
    with path.open("a") as handle:
        handle.write('xt": "three"}\n')
    assert [reply.text for reply in read_unseen(path, "kim")] == ["three"]


async def test_console_session_in_korean_with_stars_removed(coach: Coach) -> None:
    console, out = _console(coach, "minji", language="ko")
    await console.say("/settings")
    text = out.getvalue()
    assert "설정" in text and "*" not in text


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
