"""Slack users as the coach sees them: DM channel kept, users.info remembered for a while, failures harmless."""

from __future__ import annotations

from slack_sdk.web.async_client import AsyncWebClient

from bot.slack.people import People
from bot.slack.render import Owner
from tests.fakes.slack_api import FakeSlackApi, SlackUser


class Ticks:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_profile_hints_are_cached_for_a_while_then_asked_again() -> None:
    api = FakeSlackApi(users={"U1": SlackUser(tz="Asia/Seoul", locale="ko-KR", real_name="민수")})
    async with api.running():
        ticks = Ticks()
        people = People(AsyncWebClient(token="xoxb-t", base_url=api.base_url), ttl=600, clock=ticks)
        owner = Owner("T1", "U1")
        identity = await people.identity(owner)
        assert (identity.workspace, identity.user_id, identity.chat_id) == ("T1", "U1", "DU1")
        assert (identity.timezone, identity.language, identity.display_name) == (
            "Asia/Seoul",
            "ko-KR",
            "민수",
        )
        ticks.now += 599
        await people.identity(owner)
        assert len(api.calls_to("users.info")) == 1 and len(api.calls_to("conversations.open")) == 1
        api.users["U1"] = SlackUser(tz="Europe/Berlin", locale="en-GB")
        ticks.now += 2
        assert (await people.identity(owner)).timezone == "Europe/Berlin"
        assert len(api.calls_to("users.info")) == 2 and len(api.calls_to("conversations.open")) == 1


async def test_the_same_user_id_in_another_team_is_looked_up_separately() -> None:
    async with FakeSlackApi().running() as api:
        people = People(AsyncWebClient(token="xoxb-t", base_url=api.base_url))
        await people.identity(Owner("T1", "U1"))
        await people.identity(Owner("T2", "U1"))
        assert len(api.calls_to("users.info")) == 2


async def test_a_failed_lookup_only_means_no_hints() -> None:
    async with FakeSlackApi().running() as api:
        api.fail_method("users.info", "missing_scope")
        people = People(AsyncWebClient(token="xoxb-t", base_url=api.base_url))
        identity = await people.identity(Owner("T1", "U1"))
        assert identity.chat_id == "DU1"
        assert (identity.timezone, identity.language) == (None, None)


async def test_a_channel_seen_in_an_event_saves_opening_the_dm() -> None:
    async with FakeSlackApi().running() as api:
        people = People(AsyncWebClient(token="xoxb-t", base_url=api.base_url))
        people.remember_channel(Owner("T1", "U1"), "D777")
        people.remember_channel(Owner("T1", "U1"), "C123")  # not a DM: ignored
        assert await people.dm_channel(Owner("T1", "U1")) == "D777"
        assert api.calls_to("conversations.open") == []
