"""App Home: the dashboard is shown when the tab opens, refreshed after each event, and its buttons work."""

from __future__ import annotations

from typing import Any

import aiohttp

from bot.slack import SlackAdapter
from coach.core import Coach
from storage import users
from storage.db import Database
from tests.fakes.slack_requests import SlackHarness, running_slack, slack_settings
from tests.support import FakeClock
from tests.test_slack_adapter import onboard, seoul_api


def _published(slack: SlackHarness, user: str) -> list[dict[str, Any]]:
    return [call.args for call in slack.api.calls_to("views.publish") if call.args.get("user_id") == user]


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
        # The welcome, the profile begun, the role typed: three views; the last open changed nothing.
        assert len(slack.api.calls_to("views.publish")) == 3


async def test_home_in_korean_for_a_korean_slack_locale(coach: Coach) -> None:
    async with running_slack(coach, seoul_api()) as slack:
        await slack.done(await slack.open_home("UKO"))
        text = slack.home_text("UKO")
        assert "프로필" in text and "Profile" not in text


async def test_home_is_published_only_when_what_it_shows_changed(coach: Coach) -> None:
    async with running_slack(coach, seoul_api()) as slack:
        await onboard(slack)
        onboarded = len(_published(slack, "U1"))
        for _ in range(4):
            await slack.done(await slack.open_home("U1"))
        assert len(_published(slack, "U1")) == onboarded  # four opens, nothing new to show

        await slack.done(await slack.press_home("U1", "Reflect"))  # a question in the DM: home unchanged
        await slack.done(await slack.dm("U1", "I want to teach what I learned."))
        assert len(_published(slack, "U1")) == onboarded
        await slack.done(await slack.press("U1", "5"))  # the entry is saved: the home shows it
        published = _published(slack, "U1")
        assert len(published) == onboarded + 1
        assert "1 entry in your journal" in slack.home_text("U1")
        for _ in range(4):
            await slack.done(await slack.open_home("U1"))
        assert len(_published(slack, "U1")) == onboarded + 1

        views_shown = [args["view"] for args in published]
        assert all(before != after for before, after in zip(views_shown, views_shown[1:], strict=False))
        # After the first, each publish names the view it replaces, with the hash Slack gave it.
        assert "hash" not in published[0] and all(args.get("hash") for args in published[1:])
        assert slack.adapter.handled > 2 * len(published)  # it used to publish after every event


async def test_another_replica_does_not_publish_an_unchanged_home_again(
    coach: Coach, database: Database, clock: FakeClock
) -> None:
    async with running_slack(coach, seoul_api()) as slack:
        await onboard(slack)
        published = len(slack.api.calls_to("views.publish"))
        other = SlackAdapter(slack_settings(slack.api), Coach(database, clock=clock))
        await other.start()
        try:
            async with aiohttp.ClientSession() as http:
                replica = SlackHarness(slack.api, other, http)
                await replica.done(await replica.open_home("U1"))
                assert len(slack.api.calls_to("views.publish")) == published
                await replica.done(await replica.command("U1", "help"))
                assert len(slack.api.calls_to("views.publish")) == published
        finally:
            await other.stop()


async def test_a_home_published_meanwhile_by_another_replica_is_replaced_with_the_current_one(
    coach: Coach,
) -> None:
    async with running_slack(coach, seoul_api()) as slack:
        await onboard(slack)
        slack.api.home_hashes["U1"] = "1700000000.elsewhere"  # another replica published since our look
        await slack.done(await slack.press_home("U1", "Reflect"))
        await slack.done(await slack.dm("U1", "I want to teach what I learned."))
        await slack.done(await slack.press("U1", "5"))
        refused, accepted = _published(slack, "U1")[-2:]
        assert refused["hash"] and "hash" not in accepted
        assert "1 entry in your journal" in slack.home_text("U1")
        assert slack.api.home_hashes["U1"] != "1700000000.elsewhere"


async def test_a_failed_publish_is_tried_again_at_the_next_event(coach: Coach) -> None:
    async with running_slack(coach, seoul_api()) as slack:
        await onboard(slack)
        slack.api.fail_method("views.publish", "internal_error")
        await slack.done(await slack.press_home("U1", "Reflect"))
        await slack.done(await slack.dm("U1", "I want to teach what I learned."))
        await slack.done(await slack.press("U1", "5"))  # the home changed, but its publish failed
        before = len(_published(slack, "U1"))
        await slack.done(await slack.open_home("U1"))
        assert len(_published(slack, "U1")) == before + 1
        assert "1 entry in your journal" in slack.home_text("U1")
