"""Conversations stored by an earlier version of Encore continue after an upgrade.

Steps have been renamed and /study split into several flows; a person who was half-way through a
question when the new version started, or who presses a button sent by the old one, must not notice.
The rows below are written exactly as the earlier version wrote them.
"""

from __future__ import annotations

from datetime import UTC, datetime

from storage import coaching, users
from storage.db import Database
from storage.migrate import upgrade
from tests.support import Talker
from tests.test_onboarding import finish_onboarding
from tests.test_study import set_saa_goal, user_of

OLD_REVISION = 40


async def _store_old_state(
    database: Database, name: str, flow: str, step: str, data: dict[str, object]
) -> None:
    """Put the user's conversation where the earlier version left it, then upgrade the database."""
    user_id = await user_of(database, name)
    async with database.session() as session:
        state = await users.conversation_state(session, user_id, datetime.now(UTC))
        state.flow, state.step, state.revision, state.data = flow, step, OLD_REVISION, data
    await upgrade(database)


async def _old_study_checkin(alice: Talker, database: Database) -> int:
    """Alice has a goal and was asked, by the old version, how many hours she studied."""
    await finish_onboarding(alice)
    await set_saa_goal(alice)
    async with database.session() as session:
        (goal,) = await coaching.active_goals(session, await user_of(database, "alice"))
    assert goal.id is not None
    await _store_old_state(
        database, "alice", "study", "ci_hours", {"goals": [goal.id], "goal": goal.id, "checkin": None}
    )
    return goal.id


async def _checkins(database: Database) -> list[tuple[float, list[str]]]:
    async with database.session() as session:
        found = await coaching.checkins_of_user(session, await user_of(database, "alice"))
    return [(checkin.hours, list(checkin.domains or [])) for checkin in found]


async def test_an_old_check_in_question_is_answered_by_typing(alice: Talker, database: Database) -> None:
    await _old_study_checkin(alice, database)
    await alice.say("1h30")
    assert "Which exam domains did you study?" in alice.text
    assert await _checkins(database) == [(1.5, [])]
    await alice.press("Done")
    await alice.press("No practice exam")
    assert "Checked in. Here is your pace:" in alice.text


async def test_a_button_sent_by_the_old_version_still_works(alice: Talker, database: Database) -> None:
    await _old_study_checkin(alice, database)
    await alice.press_action(f"study:ci_hours:{OLD_REVISION}:h2")
    assert "Which exam domains did you study?" in alice.text
    assert await _checkins(database) == [(2.0, [])]
    # Pressed again, the same old button has expired like any other: nothing is counted twice.
    await alice.press_action(f"study:ci_hours:{OLD_REVISION}:h2")
    assert "expired" in alice.text
    assert await _checkins(database) == [(2.0, [])]


async def test_an_old_button_from_an_earlier_question_stays_expired(
    alice: Talker, database: Database
) -> None:
    await _old_study_checkin(alice, database)
    await alice.press_action(f"study:ci_hours:{OLD_REVISION - 1}:h2")
    assert "expired" in alice.text
    assert await _checkins(database) == []


async def test_an_old_exam_date_question_keeps_the_goal_being_set(alice: Talker, database: Database) -> None:
    await finish_onboarding(alice)
    await alice.command("study")
    await _store_old_state(
        database, "alice", "study", "exam_date", {"cert": "aws_saa_c03", "custom": None, "typical": None}
    )
    await alice.say("2027-03-01")
    assert "How many hours a week" in alice.text
    await alice.press_action(alice.action("5 h"))
    assert "Saved. Here is the plan:" in alice.text
    async with database.session() as session:
        (goal,) = await coaching.active_goals(session, await user_of(database, "alice"))
    assert (goal.cert_key, str(goal.exam_date), goal.weekly_hours) == ("aws_saa_c03", "2027-03-01", 5.0)


async def test_a_damaged_draft_is_not_a_crash(alice: Talker, database: Database) -> None:
    """A draft whose values do not fit (hand-edited, or from a broken version) is read as far as it can be."""
    await _old_study_checkin(alice, database)
    await _store_old_state(database, "alice", "study", "ci_hours", {"goal": "not a goal", "goals": "x"})
    await alice.say("2")
    assert "*Your study goals*" in alice.text  # the goal is unknown: back to the menu, nothing saved
    assert await _checkins(database) == []
    await alice.press("Check in")
    await alice.say("2")
    assert await _checkins(database) == [(2.0, [])]


async def test_an_old_time_zone_choice_in_onboarding_continues(alice: Talker, database: Database) -> None:
    """The old version asked "which of these zones" at its own step, keeping the zones as ``zones``."""
    await finish_onboarding(alice)
    zones = ["Asia/Kolkata", "Asia/Colombo"]
    await _store_old_state(
        database, "alice", "onboarding", "timezone_pick", {"editing": True, "zones": zones}
    )
    await alice.press_action(f"onboarding:timezone_pick:{OLD_REVISION}:1")
    assert "Saved." in alice.text and "Colombo" in alice.text  # back to the profile menu, as before
    async with database.session() as session:
        user = await users.get_user(session, await user_of(database, "alice"))
    assert user is not None and user.timezone == "Asia/Colombo"


async def test_an_old_time_zone_choice_in_settings_takes_a_typed_city(
    alice: Talker, database: Database
) -> None:
    await finish_onboarding(alice)
    await _store_old_state(
        database, "alice", "settings", "timezone_pick", {"zones": ["Asia/Kolkata", "Asia/Colombo"]}
    )
    await alice.say("London")
    assert "*Settings*" in alice.text and "London" in alice.text


async def test_an_old_certification_choice_reads_the_old_offer(alice: Talker, database: Database) -> None:
    await finish_onboarding(alice)
    await alice.command("study")
    offer = ["aws_saa_c03", "cka"]
    await _store_old_state(database, "alice", "study", "goal_pick", {"offer": offer})
    await alice.press_action(f"study:goal_pick:{OLD_REVISION}:k1")
    assert "Certified Kubernetes Administrator" in alice.text
    assert "When is the exam?" in alice.text
