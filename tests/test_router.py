"""Commands, buttons and stray text: every event gets a clear, kind answer and nothing saved is lost."""

from __future__ import annotations

import pytest

from coach.actions import flow_action
from storage import users
from storage.db import Database
from tests.support import Talker


async def test_help_lists_every_command_in_the_users_language(alice: Talker, minsu: Talker) -> None:
    await alice.command("help")
    for command in ("/start", "/reflect", "/journal", "/settings", "/help", "/cancel"):
        assert command in alice.text
    await minsu.command("help")
    assert "제가 할 수 있는 일" in minsu.text


async def test_unknown_command_gets_help(alice: Talker) -> None:
    await alice.command("frobnicate")
    assert "I don't know the command /frobnicate" in alice.text
    assert "/reflect" in alice.text


async def test_command_with_junk_arguments_is_answered_and_still_works(alice: Talker) -> None:
    replies = await alice.command("start", "; DROP TABLE user; -- 🙂" * 20)
    assert "ignored" in replies[0].text
    assert len(replies[0].text) < 200  # the junk is shown shortened, not echoed in full
    assert "current role" in alice.text


async def test_a_greeting_outside_a_flow_gets_a_helpful_answer_and_is_not_kept(
    alice: Talker, database: Database
) -> None:
    await alice.say("hello?")
    assert "I'm here" in alice.text and "keep it in your journal" in alice.text
    assert {"Reflect", "Journal", "Settings", "Help"} <= set(alice.labels)
    await alice.command("journal")
    assert "Your journal is empty" in alice.text


async def test_empty_text_is_answered_and_changes_nothing(alice: Talker, database: Database) -> None:
    await alice.command("start")
    await alice.say("   ")
    assert "empty" in alice.text
    await alice.say("Securities branch manager")
    assert "How many years" in alice.text


async def test_sql_looking_emoji_and_korean_text_is_stored_as_written(
    alice: Talker, database: Database
) -> None:
    role = "Robert'); DROP TABLE profile;-- 🏦 은행 IT 부장"
    await alice.command("start")
    await alice.say(role)
    async with database.session() as session:
        profile = await users.get_profile(session, 1)
    assert profile is not None and profile.current_role == role


async def test_cancel_leaves_a_flow_and_keeps_saved_answers(alice: Talker, database: Database) -> None:
    await alice.command("start")
    await alice.say("Public servant, 20 years in tax administration")
    await alice.command("cancel")
    assert "kept" in alice.text
    await alice.say("22")  # no question is pending: kept as a note, not taken as the years asked before
    assert "Kept in your journal" in alice.text and "Delete this note" in alice.labels
    await alice.command("cancel")
    assert "nothing to cancel" in alice.text
    async with database.session() as session:
        profile = await users.get_profile(session, 1)
    assert profile is not None and profile.current_role == "Public servant, 20 years in tax administration"
    assert profile.years_experience is None


async def test_a_button_pressed_twice_is_expired_the_second_time(alice: Talker) -> None:
    await alice.command("start")
    await alice.say("Bank IT manager")
    await alice.say("20")
    first_role = alice.action(alice.labels[0])
    await alice.press_action(first_role)
    assert "By when" in alice.text
    five_years = alice.action("5 years")
    await alice.press_action(first_role)
    assert alice.last[0].ephemeral and "expired" in alice.text
    await alice.press_action(five_years)  # the current question still works
    assert "day of the week" in alice.text


async def test_a_button_from_a_finished_flow_is_expired(alice: Talker) -> None:
    await alice.command("reflect")
    another = alice.action("Another question")
    await alice.command("cancel")
    await alice.press_action(another)
    assert "expired" in alice.text


async def test_a_button_belonging_to_another_user_changes_nothing(alice: Talker, minsu: Talker) -> None:
    await alice.command("start")
    await alice.say("Bank IT manager")
    await alice.say("20")
    alices_button = alice.action(alice.labels[0])
    await minsu.command("start")
    await minsu.press_action(alices_button)
    assert "만료된 버튼" in minsu.text
    await alice.press_action(alices_button)
    assert "By when" in alice.text


@pytest.mark.parametrize(
    "forged",
    [
        "",
        "x" * 500,
        "onboarding:target:99999:cloud_architect",
        "nonexistent:step:1:v",
        "go:../../etc/passwd",
        "go:",
        "jr:notanumber",
        "온보딩:단계:1:값",
        "\x00\x01",
        "a:b:c:d:e:f:g",
    ],
)
async def test_forged_button_payloads_are_refused_kindly(alice: Talker, forged: str) -> None:
    await alice.command("start")
    before = alice.text
    await alice.press_action(forged)
    assert alice.last and all(r.text for r in alice.last)
    assert "expired" in alice.text or "don't know" in alice.text
    await alice.say("Still here: bank IT")
    assert "How many years" in alice.text
    assert before


def test_flow_action_ids_fit_telegram_callback_data() -> None:
    action = flow_action("onboarding", "timezone_pick", 123456, "5")
    assert len(action.encode()) <= 56
