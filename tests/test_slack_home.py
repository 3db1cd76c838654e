"""App Home: the dashboard is shown when the tab opens, refreshed after each event, and its buttons work."""

from __future__ import annotations

from coach.core import Coach
from storage import users
from storage.db import Database
from tests.fakes.slack_requests import running_slack
from tests.test_slack_adapter import onboard, seoul_api


async def test_home_for_someone_new_welcomes_without_storing_anything(
    coach: Coach, database: Database
) -> None:
    async with running_slack(coach, seoul_api()) as slack:
        await slack.done(await slack.open_home("U1"))
        view = slack.home_view("U1")
        assert view["type"] == "home"
        assert "Press *Profile* to begin" in slack.home_text("U1")
        buttons = [e["text"]["text"] for b in view["blocks"] if b["type"] == "actions" for e in b["elements"]]
        assert buttons == ["Profile", "Reflect", "Skills", "Study", "Progress", "Journal", "Settings", "Help"]
        assert not slack.api.calls_to("chat.postMessage")  # opening the tab sends no message
    async with database.session() as session:
        assert await users.find_identity(session, "slack", "T1", "U1") is None


async def test_home_shows_the_profile_and_is_refreshed_after_each_event(coach: Coach) -> None:
    async with running_slack(coach, seoul_api()) as slack:
        await onboard(slack)
        home = slack.home_text("U1")
        assert "Current role: IT manager" in home
        assert "*Next check-in*" in home and "Tuesday" in home and "09:00" in home
        assert "No reflection yet" in home

        await slack.done(await slack.press_home("U1", "Reflect"))
        assert "Write your answer" in slack.labels("DU1")  # the flow continues in the DM
        await slack.done(await slack.dm("U1", "I want to teach what I learned."))
        await slack.done(await slack.press("U1", "5"))
        home = slack.home_text("U1")
        assert "Last reflection: Nov 25, 2026" in home
        assert "1 entry in your journal" in home


async def test_opening_home_again_shows_it_as_it_is_now(coach: Coach) -> None:
    async with running_slack(coach, seoul_api()) as slack:
        await slack.done(await slack.open_home("U1"))
        await slack.done(await slack.command("U1", "start"))
        await slack.done(await slack.dm("U1", "Bank branch manager"))
        await slack.done(await slack.open_home("U1"))
        assert "Current role: Bank branch manager" in slack.home_text("U1")
        assert len(slack.api.calls_to("views.publish")) == 4


async def test_home_in_korean_for_a_korean_slack_locale(coach: Coach) -> None:
    async with running_slack(coach, seoul_api()) as slack:
        await slack.done(await slack.open_home("UKO"))
        text = slack.home_text("UKO")
        assert "프로필" in text and "Profile" not in text
