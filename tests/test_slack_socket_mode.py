"""Socket Mode: with an app-level token the app dials out over a WebSocket instead of serving HTTP.

The fake answers ``apps.connections.open`` with a ``ws://127.0.0.1`` URL and plays Slack's end of the
socket: it says hello, pushes an envelope and reads the app's acknowledgement.
"""

from __future__ import annotations

import asyncio

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
