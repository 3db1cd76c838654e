"""Slack's side of the conversation: signed requests POSTed to the running app, shaped like Slack's own.

:class:`SlackHarness` runs a :class:`FakeSlackApi` and a real :class:`SlackAdapter` on 127.0.0.1 and plays
the people of one or more workspaces: slash commands, DMs, button presses, modal submissions, App Home.
Requests are signed with ``slack_sdk.signature.SignatureVerifier`` and the app's signing secret.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import itertools
import json
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import aiohttp
from slack_sdk.http_retry.builtin_interval_calculators import FixedValueRetryIntervalCalculator
from slack_sdk.signature import SignatureVerifier

from bot.settings import Settings
from bot.slack import SlackAdapter
from coach.core import Coach
from tests.fakes.slack_api import Call, FakeSlackApi

SIGNING_SECRET = "test-signing-secret"
BOT_TOKEN = "xoxb-test-token"


@dataclass
class Sent:
    """What a POST to the app got back."""

    status: int
    body: str
    handled_before: int = 0


class SlackHarness:
    """The app under test (``adapter``), the fake Web API (``api``) and a way to play Slack's part."""

    def __init__(self, api: FakeSlackApi, adapter: SlackAdapter, http: aiohttp.ClientSession) -> None:
        self.api = api
        self.adapter = adapter
        self.http = http
        self.url = f"http://127.0.0.1:{adapter.port}/slack/events"
        self.signer = SignatureVerifier(SIGNING_SECRET)
        self._ids = itertools.count(1)

    # -- raw requests ------------------------------------------------------------------------------
    async def post(
        self,
        body: str,
        content_type: str,
        *,
        timestamp: int | None = None,
        signature: str | None = None,
        signed: bool = True,
    ) -> Sent:
        headers = {"Content-Type": content_type}
        if signed:
            headers |= self.signed_headers(body, timestamp=timestamp, signature=signature)
        return await self.post_raw(body.encode(), headers)

    def signed_headers(
        self, body: str | bytes, *, timestamp: int | None = None, signature: str | None = None
    ) -> dict[str, str]:
        """The headers Slack adds: the time, and the signature over it and ``body``."""
        stamp = str(int(time.time()) if timestamp is None else timestamp)
        raw = body.encode() if isinstance(body, str) else body  # any bytes, UTF-8 or not
        digest = hmac.new(SIGNING_SECRET.encode(), b"v0:" + stamp.encode() + b":" + raw, hashlib.sha256)
        return {
            "X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": signature or f"v0={digest.hexdigest()}",
        }

    async def post_raw(self, body: bytes, headers: dict[str, str], *, url: str | None = None) -> Sent:
        """POST exactly ``body`` with exactly ``headers`` (to another replica's ``url``, say)."""
        before = self.adapter.handled
        async with self.http.post(url or self.url, data=io.BytesIO(body), headers=headers) as response:
            return Sent(response.status, await response.text(), before)

    def command_body(self, user: str, text: str, *, team: str = "T1", channel: str | None = None) -> str:
        return urlencode(
            {
                "token": "legacy",
                "team_id": team,
                "team_domain": team.lower(),
                "channel_id": channel or f"D{user}",
                "channel_name": "directmessage" if channel is None else "general",
                "user_id": user,
                "user_name": user.lower(),
                "command": "/coach",
                "text": text,
                "api_app_id": "A1",
                "response_url": self.api.response_url(f"cmd{next(self._ids)}"),
                "trigger_id": f"trigger-{next(self._ids)}",
            }
        )

    async def _payload(self, payload: dict[str, Any]) -> Sent:
        return await self.post(
            urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded"
        )

    def event_body(self, team: str, event: dict[str, Any], *, event_id: str | None = None) -> str:
        """An Events API delivery of ``event`` (a new event id unless one is given)."""
        body = {
            "token": "legacy",
            "team_id": team,
            "api_app_id": "A1",
            "type": "event_callback",
            "event_id": event_id or f"Ev{next(self._ids):06d}",
            "event_time": int(time.time()),
            "event": event,
        }
        return json.dumps(body)

    async def _event(self, team: str, event: dict[str, Any]) -> Sent:
        return await self.post(self.event_body(team, event), "application/json")

    # -- what people do ----------------------------------------------------------------------------
    async def command(
        self, user: str, text: str = "", *, team: str = "T1", channel: str | None = None
    ) -> Sent:
        """``/coach <text>`` typed by ``user`` (in their DM with the app unless ``channel`` is given)."""
        return await self.post(
            self.command_body(user, text, team=team, channel=channel), "application/x-www-form-urlencoded"
        )

    async def dm(self, user: str, text: str, *, team: str = "T1", **extra: Any) -> Sent:
        """A message typed in the DM with the app."""
        return await self._event(team, self.dm_event(user, text, **extra))

    def dm_event(self, user: str, text: str, **extra: Any) -> dict[str, Any]:
        return {
            "type": "message",
            "channel": f"D{user}",
            "channel_type": "im",
            "user": user,
            "text": text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"),  # as Slack sends it
            "ts": f"{time.time():.6f}",
            **extra,
        }

    async def open_home(self, user: str, *, team: str = "T1") -> Sent:
        event = {
            "type": "app_home_opened",
            "user": user,
            "channel": f"D{user}",
            "tab": "home",
            "event_ts": "1",
        }
        return await self._event(team, event)

    def message_with(
        self, label: str, *, channel: str | None = None
    ) -> tuple[Call, dict[str, Any], dict[str, Any]]:
        """The latest posted message with a button labelled ``label``: (call, actions block, button)."""
        for call in reversed(self.api.calls):
            if call.method not in ("chat.postMessage", "chat.postEphemeral"):
                continue
            if channel is not None and call.args.get("channel") != channel:
                continue
            for block in call.args.get("blocks", []):
                for element in block.get("elements", []) if block.get("type") == "actions" else []:
                    if element.get("text", {}).get("text") == label:
                        return call, block, element
        raise AssertionError(f"no posted button {label!r}; buttons: {self.labels(channel)}")

    def labels(self, channel: str | None = None) -> list[str]:
        """Button labels of every message posted so far (to ``channel``), oldest first."""
        return [
            element["text"]["text"]
            for call in self.api.calls
            if call.method in ("chat.postMessage", "chat.postEphemeral")
            and (channel is None or call.args.get("channel") == channel)
            for block in call.args.get("blocks", [])
            if block.get("type") == "actions"
            for element in block.get("elements", [])
        ]

    async def press(
        self, user: str, label: str, *, team: str = "T1", owner_channel: str | None = None
    ) -> Sent:
        """``user`` presses the button ``label`` on the latest message that has it (in ``owner_channel``)."""
        call, block, button = self.message_with(label, channel=owner_channel)
        channel = call.args["channel"]
        ts = f"1700000000.{next(self._ids):06d}"
        payload = {
            "type": "block_actions",
            "team": {"id": team, "domain": team.lower()},
            "user": {"id": user, "team_id": team},
            "api_app_id": "A1",
            "trigger_id": f"trigger-{next(self._ids)}",
            "container": {"type": "message", "message_ts": ts, "channel_id": channel, "is_ephemeral": False},
            "channel": {"id": channel},
            "message": {
                "type": "message",
                "ts": ts,
                "text": call.args.get("text"),
                "blocks": call.args.get("blocks"),
            },
            "response_url": self.api.response_url(f"press{next(self._ids)}"),
            "actions": [
                {
                    "type": "button",
                    "action_id": button["action_id"],
                    "block_id": block["block_id"],
                    "value": button.get("value"),
                    "text": button["text"],
                    "action_ts": "1",
                }
            ],
        }
        return await self._payload(payload)

    async def press_home(self, user: str, label: str, *, team: str = "T1") -> Sent:
        """``user`` presses ``label`` on the App Home view last published for them."""
        view = self.home_view(user)
        for block in view["blocks"]:
            for element in block.get("elements", []) if block.get("type") == "actions" else []:
                if element["text"]["text"] == label:
                    payload = {
                        "type": "block_actions",
                        "team": {"id": team},
                        "user": {"id": user, "team_id": team},
                        "api_app_id": "A1",
                        "trigger_id": f"trigger-{next(self._ids)}",
                        "container": {"type": "view", "view_id": "VHOME"},
                        "view": {**view, "id": "VHOME", "team_id": team},
                        "actions": [
                            {
                                "type": "button",
                                "action_id": element["action_id"],
                                "block_id": block["block_id"],
                                "value": element.get("value"),
                                "text": element["text"],
                                "action_ts": "1",
                            }
                        ],
                    }
                    return await self._payload(payload)
        raise AssertionError(f"no App Home button {label!r}")

    def home_view(self, user: str) -> dict[str, Any]:
        calls = [call for call in self.api.calls_to("views.publish") if call.args.get("user_id") == user]
        assert calls, f"no App Home published for {user}"
        view: dict[str, Any] = calls[-1].args["view"]
        return view

    def home_text(self, user: str) -> str:
        return "\n".join(
            block["text"]["text"]
            for block in self.home_view(user)["blocks"]
            if block["type"] in ("section", "header")
        )

    async def submit(
        self, user: str, text: str, *, team: str = "T1", view: dict[str, Any] | None = None
    ) -> Sent:
        """``user`` writes ``text`` in the modal opened last and presses Save."""
        if view is None:
            view = (await self.api.wait_for("views.open"))[-1].args["view"]
        payload = {
            "type": "view_submission",
            "team": {"id": team},
            "user": {"id": user, "team_id": team},
            "api_app_id": "A1",
            "view": {
                **view,
                "id": "VMODAL",
                "team_id": team,
                "state": {"values": {"answer": {"text": {"type": "plain_text_input", "value": text}}}},
            },
        }
        return await self._payload(payload)

    # -- what the app said -------------------------------------------------------------------------
    async def done(self, sent: Sent) -> None:
        """Wait until the request ``sent`` was fully handled: its listener, and any other still running
        (a press by someone else, say), has finished, replies posted and App Home refreshed if it changed."""
        assert sent.status == 200, f"the app answered {sent.status}: {sent.body}"
        try:
            await self.adapter.wait_handled(sent.handled_before + 1, 5.0)
        except TimeoutError:
            seen = [call.method for call in self.api.calls]
            raise AssertionError(f"the app did not finish handling the request; calls: {seen}") from None

    def posted_text(self, channel: str | None = None) -> str:
        """Every message text posted so far (to ``channel``), in order."""
        return "\n\n".join(
            str(block["text"]["text"])
            for call in self.api.calls
            if call.method in ("chat.postMessage", "chat.postEphemeral")
            and (channel is None or call.args.get("channel") == channel)
            for block in call.args.get("blocks", [])
            if block.get("type") == "section"
        )

    def posts_since(self, start: int) -> list[Call]:
        return [c for c in self.api.calls[start:] if c.method in ("chat.postMessage", "chat.postEphemeral")]


def slack_settings(api: FakeSlackApi, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "slack_bot_token": BOT_TOKEN,
        "slack_signing_secret": SIGNING_SECRET,
        "slack_api_url": api.base_url,
        "slack_port": 0,
        "slack_listen": "127.0.0.1",
        **overrides,
    }
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@asynccontextmanager
async def running_slack(
    coach: Coach, api: FakeSlackApi | None = None, **settings: Any
) -> AsyncIterator[SlackHarness]:
    """The fake API and the adapter, both on 127.0.0.1 port 0, stopped afterwards."""
    async with (api or FakeSlackApi()).running() as fake:
        adapter = SlackAdapter(
            slack_settings(fake, **settings), coach, retry_interval=FixedValueRetryIntervalCalculator(0.01)
        )
        await adapter.start()
        try:
            async with aiohttp.ClientSession() as http:
                yield SlackHarness(fake, adapter, http)
        finally:
            await adapter.stop()
