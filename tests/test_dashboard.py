"""The home-screen dashboard, platform-neutral: built by the coach, rendered by whichever adapter shows it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from coach.core import Coach
from coach.dashboard import Section
from coach.flows import default_flows
from coach.flows.base import Flow
from coach.i18n import N_, Translator
from storage import users
from storage.db import Database
from storage.models import User
from tests.support import FakeClock, Talker, person
from tests.test_onboarding import finish_onboarding


async def test_someone_new_gets_a_welcome_and_nothing_is_stored(coach: Coach, database: Database) -> None:
    board = await coach.dashboard(person("newcomer"))
    assert not board.known
    assert "Press *Profile* to begin" in board.sections[0].text
    assert [choice.label for choice in board.actions] == [
        "Profile",
        "Reflect",
        "Skills",
        "Study",
        "Progress",
        "Journal",
        "Settings",
        "Help",
    ]
    assert board.actions[0].action == "go:start"
    async with database.session() as session:
        assert await users.find_identity(session, "console", "", "newcomer") is None


async def test_after_onboarding_it_shows_profile_next_checkin_and_reflections(
    alice: Talker, coach: Coach
) -> None:
    await finish_onboarding(alice)
    board = await coach.dashboard(alice.identity)
    text = "\n\n".join(section.text for section in board.sections)
    assert board.known and board.language == "en"
    assert "Current role: IT infrastructure manager at a bank" in text
    # The clock says Wednesday 25 Nov 2026; the check-in is Tuesdays 09:00 in Seoul.
    assert "*Next check-in*\nTuesday, Dec 1, 2026 at 09:00" in text
    assert "No reflection yet" in text

    await alice.command("reflect")
    await alice.say("Teaching is what I enjoyed most.")
    await alice.press("4")
    text = "\n\n".join(section.text for section in (await coach.dashboard(alice.identity)).sections)
    assert "Last reflection: Nov 25, 2026" in text
    assert "1 entry in your journal" in text


async def test_paused_checkins_say_so(alice: Talker, coach: Coach) -> None:
    await finish_onboarding(alice)
    await alice.command("settings")
    await alice.press("Pause check-ins")
    await alice.press("Until I resume")
    text = "\n".join(section.text for section in (await coach.dashboard(alice.identity)).sections)
    assert "*Next check-in*\nTuesday at 09:00 (paused)" in text


async def test_korean_dashboard(minsu: Talker, coach: Coach) -> None:
    await finish_onboarding(minsu)
    board = await coach.dashboard(minsu.identity)
    text = "\n".join(section.text for section in board.sections)
    assert board.language == "ko"
    assert "*다음 체크인*" in text and "화요일" in text
    assert "Next check-in" not in text
    assert [choice.label for choice in board.actions][:2] == ["프로필", "성찰하기"]


async def test_the_language_chosen_in_settings_wins_over_the_platform_hint(
    alice: Talker, coach: Coach
) -> None:
    await alice.command("settings")
    await alice.press("Language")
    await alice.press("한국어")
    assert (await coach.dashboard(alice.identity)).language == "ko"


async def test_buttons_follow_the_flows_the_coach_has(database: Database, clock: FakeClock) -> None:
    class Study(Flow):
        name = "study"
        commands = {"study": N_("Study")}

    without_study = [flow for flow in default_flows() if flow.name not in ("skills", "study", "progress")]
    coach = Coach(database, clock=clock, flows=[*without_study, Study()])
    labels = [choice.label for choice in (await coach.dashboard(person("x"))).actions]
    assert labels == ["Profile", "Reflect", "Study", "Journal", "Settings", "Help"]


async def test_features_add_sections_through_the_hook(alice: Talker, coach: Coach) -> None:
    async def study_pace(session: AsyncSession, user: User, t: Translator, now: datetime) -> Section | None:
        return Section(f"*Study pace*\nOn track for user {user.id} on {now.date()}")

    coach.dashboard_sources.append(study_pace)
    await alice.command("start")
    board = await coach.dashboard(alice.identity)
    assert board.sections[-1].text.startswith("*Study pace*\nOn track for user ")
    assert "2026-11-25" in board.sections[-1].text


async def test_an_active_study_goal_shows_its_pace_on_the_home_screen(alice: Talker, coach: Coach) -> None:
    await finish_onboarding(alice)
    board = await coach.dashboard(alice.identity)
    assert not any("Study pace" in section.text for section in board.sections)
    await alice.command("study")
    await alice.press(alice.labels[0])  # the first suggested certification
    await alice.press("Not booked yet")
    await alice.say("5")
    board = await coach.dashboard(alice.identity)
    assert any("Study pace" in section.text for section in board.sections)
