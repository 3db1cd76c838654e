"""``deploy/slack-manifest.yml`` creates the app the adapter expects: command, URLs, events, scopes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from bot.slack.adapter import EVENTS_PATH, SUBCOMMANDS
from bot.slack.render import SLASH_COMMAND
from coach.core import Coach
from coach.delivery import Recipient
from coach.messages import Image, Reply
from tests.fakes.slack_requests import running_slack
from tests.test_slack_adapter import onboard, seoul_api

MANIFEST = Path(__file__).resolve().parents[1] / "deploy" / "slack-manifest.yml"

# The bot scope each Web API method needs (Slack's method reference); None: no scope needed. A method the
# adapter starts calling must be added here, with its scope added to the manifest.
METHOD_SCOPES: dict[str, str | None] = {
    "auth.test": None,
    "chat.postMessage": "chat:write",
    "chat.postEphemeral": "chat:write",
    "chat.update": "chat:write",
    "conversations.open": "im:write",
    "users.info": "users:read",
    "views.open": None,
    "views.publish": None,
    "files.getUploadURLExternal": "files:write",
    "files.completeUploadExternal": "files:write",
}
NOT_WEB_API = {"upload", "response_url"}  # the upload URL and response_url need no scope


def manifest() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    return data


def test_slash_command_urls_and_app_home_match_the_adapter() -> None:
    data = manifest()
    [command] = data["features"]["slash_commands"]
    assert command["command"] == SLASH_COMMAND
    assert command["url"].endswith(EVENTS_PATH)
    assert all(name in command["usage_hint"] for name in SUBCOMMANDS if name != "cancel")
    settings = data["settings"]
    assert settings["interactivity"]["is_enabled"] is True
    assert settings["interactivity"]["request_url"].endswith(EVENTS_PATH)
    assert settings["event_subscriptions"]["request_url"].endswith(EVENTS_PATH)
    # The adapter listens for exactly these: App Home opened, and messages in the DM.
    assert sorted(settings["event_subscriptions"]["bot_events"]) == ["app_home_opened", "message.im"]
    home = data["features"]["app_home"]
    assert home["home_tab_enabled"] and home["messages_tab_enabled"]
    assert not home["messages_tab_read_only_enabled"]  # people answer in the Messages tab


async def test_every_web_api_method_the_adapter_uses_has_its_scope(coach: Coach) -> None:
    async with running_slack(coach, seoul_api()) as slack:
        await onboard(slack)
        await slack.done(await slack.command("U1", "reflect"))
        await slack.press("U1", "Write your answer")
        await slack.api.wait_for("views.open")
        await slack.done(await slack.open_home("U1"))
        recipient = Recipient(1, 1, "slack", "T1", "U1", "DU1")
        await slack.adapter.sender.deliver(recipient, [Reply("Chart", image=Image(b"png", "A chart"))])
        used = {call.method for call in slack.api.calls} - NOT_WEB_API

    assert used <= METHOD_SCOPES.keys(), f"add these methods' scopes: {used - METHOD_SCOPES.keys()}"
    needed = {METHOD_SCOPES[method] for method in used} - {None}
    needed |= {"commands", "im:history"}  # the slash command; message.im events
    scopes = set(manifest()["oauth_config"]["scopes"]["bot"])
    assert needed <= scopes, f"missing scopes: {needed - scopes}"
