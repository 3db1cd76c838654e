"""The Slack app end to end: real slack-bolt and slack_sdk, signed requests over HTTP, a fake Web API.

Each test runs the adapter on 127.0.0.1 and plays Slack: ``/coach`` commands, DMs, button presses and
modal submissions; it then checks what Slack was asked to show and what the database holds.
"""

from __future__ import annotations

import json
import time

import aiohttp
import pytest

from bot.runner import build_adapters
from bot.settings import Settings
from bot.slack import SlackAdapter
from coach.context import FlowContext
from coach.core import Coach
from coach.flows import default_flows
from coach.flows.base import Flow
from coach.i18n import N_
from coach.messages import Reply
from storage import journal, users
from storage.db import Database
from tests.fakes.slack_api import FakeSlackApi, SlackUser
from tests.fakes.slack_requests import SlackHarness, running_slack
from tests.support import FakeClock


def seoul_api() -> FakeSlackApi:
    return FakeSlackApi(
        users={
            "U1": SlackUser(tz="Asia/Seoul", locale="en-US", real_name="Jisoo"),
            "U2": SlackUser(tz="Europe/London", locale="en-GB", real_name="Sam"),
            "UKO": SlackUser(tz="Asia/Seoul", locale="ko-KR", real_name="민수"),
        }
    )


async def onboard(
    slack: SlackHarness, user: str = "U1", *, team: str = "T1", role: str = "IT manager"
) -> None:
    """``/coach start`` in the DM, every question answered by typing or pressing."""
    channel = f"D{user}"
    await slack.done(await slack.command(user, "start", team=team))
    await slack.done(await slack.dm(user, role, team=team))
    await slack.done(await slack.dm(user, "22", team=team))
    target = slack.labels(channel)[0]
    await slack.done(await slack.press(user, target, team=team, owner_channel=channel))
    await slack.done(await slack.press(user, "3 years", team=team, owner_channel=channel))
    await slack.done(await slack.press(user, "Tuesday", team=team, owner_channel=channel))
    await slack.done(await slack.press(user, "09:00", team=team, owner_channel=channel))
    await slack.done(await slack.dm(user, "Seoul", team=team))


async def test_onboarding_through_coach_start_in_the_dm(coach: Coach, database: Database) -> None:
    async with running_slack(coach, seoul_api()) as slack:
        started = time.monotonic()
        sent = await slack.command("U1", "start")
        assert sent.status == 200 and time.monotonic() - started < 3  # acknowledged within Slack's 3 s
        await slack.done(sent)
        assert "second career" in slack.posted_text("DU1")
        assert "current role" in slack.posted_text("DU1")
        await onboard(slack)

        text = slack.posted_text("DU1")
        assert "All set" in text
        assert "Tuesday at 09:00" in text
        # The pressed question shows the choice made, without its buttons.
        updates = slack.api.calls_to("chat.update")
        assert any("✔ *3 years*" in json.dumps(call.args["blocks"], ensure_ascii=False) for call in updates)
        assert all(block["type"] != "actions" for call in updates for block in call.args["blocks"])

    async with database.session() as session:
        identity = await users.find_identity(session, "slack", "T1", "U1")
        assert identity is not None and identity.chat_id == "DU1"
        user = await users.get_user(session, identity.user_id)
        profile = await users.get_profile(session, identity.user_id)
    assert profile is not None and profile.current_role == "IT manager" and profile.years_experience == 22
    assert user is not None and user.timezone == "Asia/Seoul" and user.next_checkin_at is not None


async def test_slack_profile_gives_time_zone_and_language(coach: Coach, database: Database) -> None:
    async with running_slack(coach, seoul_api()) as slack:
        await slack.done(await slack.command("UKO", "start"))
        text = slack.posted_text("DUKO")
        assert "Encore" in text and any("\uac00" <= ch <= "\ud7a3" for ch in text)
        assert "/coach export" in text  # the coach's "/export" as typed in Slack
        # App Home in Korean too.
        assert "프로필" in slack.home_text("UKO")
        # users.info is asked once, then remembered.
        await slack.done(await slack.dm("UKO", "은행 IT 인프라 관리자"))
        assert len(slack.api.calls_to("users.info")) == 1
    async with database.session() as session:
        identity = await users.find_identity(session, "slack", "T1", "UKO")
        assert identity is not None and identity.language_code == "ko-KR"
        user = await users.get_user(session, identity.user_id)
    assert user is not None and user.timezone == "Asia/Seoul"


async def test_a_reflection_written_in_the_modal_is_saved(coach: Coach, database: Database) -> None:
    async with running_slack(coach, seoul_api()) as slack:
        await slack.done(await slack.command("U1", "reflect"))
        assert "Write your answer" in slack.labels("DU1")
        pressed = await slack.press("U1", "Write your answer")
        assert pressed.status == 200
        opened = await slack.api.wait_for("views.open")
        view = opened[-1].args["view"]
        assert opened[-1].args["trigger_id"].startswith("trigger-")
        assert view["type"] == "modal" and view["callback_id"] == "encore.answer"
        # The question is shown again above the box.
        prompt, _, _ = slack.message_with("Write your answer")
        asked = [block["text"]["text"] for block in prompt.args["blocks"] if block["type"] == "section"]
        assert view["blocks"][0]["text"]["text"] == "\n\n".join(asked)
        box = next(block for block in view["blocks"] if block["type"] == "input")
        assert box["element"]["multiline"] is True

        # An empty answer keeps the modal open with a note, and saves nothing.
        empty = await slack.submit("U1", "   \n ", view=view)
        assert empty.status == 200
        assert json.loads(empty.body) == {
            "response_action": "errors",
            "errors": {"answer": "Please write a few words first."},
        }

        answer = "I led the migration of 300 servers.\n\nIt taught me to plan for people, not only machines."
        await slack.done(await slack.submit("U1", answer, view=view))
        assert "How sure do you feel" in slack.posted_text("DU1")
        await slack.done(await slack.press("U1", "4"))
        assert "Saved to your journal" in slack.posted_text("DU1")

    async with database.session() as session:
        identity = await users.find_identity(session, "slack", "T1", "U1")
        assert identity is not None
        entries = await journal.page_of_entries(session, identity.user_id, offset=0, limit=5)
    assert [(entry.answer, entry.confidence) for entry in entries] == [(answer, 4)]


async def test_plain_dm_messages_are_answers_and_bot_messages_and_edits_are_not(
    coach: Coach, database: Database
) -> None:
    async with running_slack(coach, seoul_api()) as slack:
        await slack.done(await slack.command("U1", "start"))
        posts = len(slack.api.calls_to("chat.postMessage"))
        assert (await slack.dm("U1", "a bot said this", bot_id="B9")).status == 200
        assert (await slack.dm("U1", "edited", subtype="message_changed")).status == 200
        assert (await slack.dm("U1", "edited too", edited={"user": "U1", "ts": "1"})).status == 200
        await slack.done(await slack.dm("U1", "R&D <lead> at a bank"))
        assert len(slack.api.calls_to("chat.postMessage")) == posts + 1  # only the real answer got a reply
        assert "How many years" in slack.posted_text("DU1")
    async with database.session() as session:
        identity = await users.find_identity(session, "slack", "T1", "U1")
        assert identity is not None
        profile = await users.get_profile(session, identity.user_id)
    assert profile is not None and profile.current_role == "R&D <lead> at a bank"  # Slack's escaping undone


async def test_markup_is_escaped_for_mrkdwn(coach: Coach) -> None:
    async with running_slack(coach, seoul_api()) as slack:
        await onboard(slack, role="R&D <lead>")
        assert "R&amp;D &lt;lead&gt;" in slack.posted_text("DU1")
        assert "*Your profile*" in slack.posted_text("DU1")


async def test_bare_and_unknown_subcommands_get_help(coach: Coach) -> None:
    async with running_slack(coach) as slack:
        await slack.done(await slack.command("U1", ""))
        help_text = slack.posted_text("DU1")
        assert "Here is what I can do" in help_text
        assert "/coach reflect" in help_text and "/coach start" in help_text
        before = len(slack.api.calls)
        await slack.done(await slack.command("U1", "fly me to the moon"))
        hint = "\n".join(
            block["text"]["text"]
            for call in slack.posts_since(before)
            for block in call.args["blocks"]
            if block["type"] == "section"
        )
        assert "I don't know the command /coach fly." in hint
        assert "Here is what I can do" in hint


async def test_a_command_typed_in_a_channel_is_answered_in_the_dm(coach: Coach) -> None:
    async with running_slack(coach) as slack:
        await slack.done(await slack.command("U1", "help", channel="C123"))
        assert "Here is what I can do" in slack.posted_text("DU1")
        assert not [call for call in slack.api.calls_to("chat.postMessage") if call.args["channel"] == "C123"]
        notes = await slack.api.wait_for("response_url")
        assert notes[-1].args["response_type"] == "ephemeral"
        assert "direct messages" in notes[-1].args["text"]


async def test_an_expired_button_changes_nothing_and_says_so(coach: Coach) -> None:
    async with running_slack(coach, seoul_api()) as slack:
        await slack.done(await slack.command("U1", "start"))
        await slack.done(await slack.dm("U1", "IT manager"))
        await slack.done(await slack.dm("U1", "22"))
        target = slack.labels("DU1")[0]
        await slack.done(await slack.press("U1", target))
        updates = len(slack.api.calls_to("chat.update"))
        await slack.done(await slack.press("U1", target))  # the same, older button again
        ephemeral = slack.api.calls_to("chat.postEphemeral")
        assert ephemeral and "expired" in ephemeral[-1].args["text"]
        assert len(slack.api.calls_to("chat.update")) == updates  # the old message is left as it was


async def test_encore_run_builds_the_slack_adapter_from_the_environment(
    coach: Coach, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-env")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "env-secret")
    monkeypatch.setenv("SLACK_PORT", "0")
    monkeypatch.setenv("SLACK_LISTEN", "127.0.0.1")
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.slack_enabled and not settings.slack_socket_mode
    [adapter] = build_adapters(settings, coach)
    assert isinstance(adapter, SlackAdapter) and adapter.sender.platform == "slack"
    await adapter.start()
    try:
        assert adapter.port
        async with aiohttp.ClientSession() as http:
            url = f"http://127.0.0.1:{adapter.port}/slack/events"
            async with http.post(url, data=b"command=%2Fcoach") as response:
                assert response.status == 401  # listening, and verifying signatures
    finally:
        await adapter.stop()
    monkeypatch.setenv("SLACK_SIGNING_SECRET", " ")
    assert not Settings(_env_file=None).slack_enabled  # type: ignore[call-arg]
    monkeypatch.setenv("SLACK_APP_TOKEN", "xapp-env")
    assert Settings(_env_file=None).slack_socket_mode  # type: ignore[call-arg]


async def test_odd_subcommands_get_help_kindly_in_the_persons_language(coach: Coach) -> None:
    async with running_slack(coach, seoul_api()) as slack:
        await slack.done(await slack.command("UKO", "시작하기"))
        text = slack.posted_text("DUKO")
        assert "/coach 시작하기는 제가 모르는 명령이에요." in text
        assert "제가 할 수 있는 일이에요" in text and "/coach reflect" in text
        await slack.done(await slack.command("U1", "🚀 to the moon"))
        assert "I don't know the command /coach 🚀." in slack.posted_text("DU1")
        await slack.done(await slack.command("U1", "x" * 5000))
        last = slack.api.calls_to("chat.postMessage")[-2].args
        assert "I don't know the command" in last["text"] and len(last["text"]) < 200


async def test_a_forged_button_value_changes_nothing(coach: Coach, database: Database) -> None:
    async with running_slack(coach, seoul_api()) as slack:
        await slack.done(await slack.command("U1", "start"))
        await slack.done(await slack.dm("U1", "IT manager"))
        await slack.done(await slack.dm("U1", "22"))
        call, block, button = slack.message_with(slack.labels("DU1")[0])
        button["action_id"] = button["value"] = "onboarding:target:999:cloud_architect"
        await slack.done(await slack.press("U1", button["text"]["text"]))
        assert "expired" in slack.api.calls_to("chat.postEphemeral")[-1].args["text"]
    async with database.session() as session:
        identity = await users.find_identity(session, "slack", "T1", "U1")
        assert identity is not None
        profile = await users.get_profile(session, identity.user_id)
    assert profile is not None and profile.target_role is None and profile.years_experience == 22


async def test_when_the_coach_fails_the_person_is_told_and_the_app_keeps_working(
    database: Database, clock: FakeClock
) -> None:
    class Broken(Flow):
        name = "broken"
        commands = {"broken": N_("Fails on purpose")}

        async def begin(self, ctx: FlowContext, command: str, args: str) -> list[Reply]:
            raise RuntimeError("a bug")

    coach = Coach(database, clock=clock, flows=[*default_flows(), Broken()])
    async with running_slack(coach) as slack:
        await slack.done(await slack.command("U1", "broken"))
        notice = slack.api.calls_to("chat.postEphemeral")[-1].args
        assert notice["user"] == "U1" and "something went wrong on my side" in notice["text"]
        await slack.done(await slack.command("U1", "help"))
        assert "Here is what I can do" in slack.posted_text("DU1")


async def test_when_the_dm_cannot_be_opened_the_person_is_told_where_they_typed(coach: Coach) -> None:
    async with running_slack(coach) as slack:
        slack.api.fail_method("conversations.open", "channel_not_found")
        assert (await slack.command("U1", "start", channel="C9")).status == 200
        notes = await slack.api.wait_for("response_url")
        assert notes[-1].args["response_type"] == "ephemeral"
        assert "something went wrong on my side" in notes[-1].args["text"]
        assert not slack.api.calls_to("chat.postMessage")


async def test_stopping_lets_acknowledged_events_finish_their_replies(coach: Coach) -> None:
    async with running_slack(coach, seoul_api()) as slack:
        assert (await slack.command("U1", "help")).status == 200
        assert (await slack.dm("U2", "hello")).status == 200
        await slack.adapter.stop()  # e.g. SIGTERM right after Slack got its acknowledgements
        assert {call.args["channel"] for call in slack.api.calls_to("chat.postMessage")} == {"DU1", "DU2"}
        assert "Here is what I can do" in slack.posted_text("DU1")
