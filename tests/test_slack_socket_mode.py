"""Socket Mode: with an app-level token the app dials out over a WebSocket instead of serving HTTP.

The fake answers ``apps.connections.open`` with a ``ws://127.0.0.1`` URL and plays Slack's end of the
socket: it says hello, pushes an envelope and reads the app's acknowledgement.
"""

from __future__ import annotations

import asyncio
import json

from coach.core import Coach
from tests.fakes.slack_requests import running_slack

APP_TOKEN = "xapp-1-test"


async def test_socket_mode_connects_answers_a_command_and_closes(coach: Coach) -> None:
    async with running_slack(coach, slack_app_token=APP_TOKEN) as slack:
        assert slack.adapter.port is None  # no HTTP server in Socket Mode
        opened = slack.api.calls_to("apps.connections.open")
        assert [call.token for call in opened] == [APP_TOKEN]
        await asyncio.wait_for(slack.api.socket_connected.wait(), 5)

        await slack.api.socket_send(
            {
                "envelope_id": "env-1",
                "type": "slash_commands",
                "accepts_response_payload": True,
                "payload": {
                    "team_id": "T1",
                    "user_id": "U1",
                    "command": "/coach",
                    "text": "help",
                    "channel_id": "DU1",
                    "response_url": slack.api.response_url("socket"),
                    "trigger_id": "trigger-socket",
                },
            }
        )
        acknowledged = await asyncio.wait_for(slack.api.socket_messages.get(), 5)
        assert acknowledged["envelope_id"] == "env-1"
        await slack.api.wait_for("views.publish")
        assert "Here is what I can do" in slack.posted_text("DU1")
        # Bot calls use the bot token, not the app-level one.
        assert {call.token for call in slack.api.calls_to("chat.postMessage")} == {"xoxb-test-token"}


async def test_an_event_sent_again_over_the_socket_is_handled_once(coach: Coach) -> None:
    """Slack re-sends an event it thinks was missed (same event id): no gate in Socket Mode, same rule."""
    async with running_slack(coach, slack_app_token=APP_TOKEN) as slack:
        await asyncio.wait_for(slack.api.socket_connected.wait(), 5)
        event = json.loads(slack.event_body("T1", slack.dm_event("U1", "hello"), event_id="EvSocket1"))
        for attempt in range(1, 4):
            await slack.api.socket_send(
                {
                    "envelope_id": f"env-{attempt}",
                    "type": "events_api",
                    "retry_attempt": attempt,
                    "payload": event,
                }
            )
            acknowledged = await asyncio.wait_for(slack.api.socket_messages.get(), 5)
            assert acknowledged["envelope_id"] == f"env-{attempt}"
        await slack.api.wait_for("views.publish")
        await asyncio.sleep(0.3)  # room for a second handling to show up
        assert len(slack.api.calls_to("views.publish")) == 1
        assert slack.posted_text("DU1").count("I'm here. Pick something to do") == 1
