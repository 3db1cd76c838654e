"""A fake Slack Web API on 127.0.0.1: enough of Slack for the real slack_sdk / slack-bolt code to talk to.

It records every call (method and arguments), answers like Slack does, serves the files upload v2 flow
(including the upload URL on loopback), the ``response_url`` endpoint and a Socket Mode WebSocket, and
can fail the next N calls with a 429 (``Retry-After``) or a 5xx, or a method with a Slack error code.
"""

from __future__ import annotations

import asyncio
import itertools
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import WSMsgType, web

BOT_USER = "UBOT"
JSON_FIELDS = ("blocks", "view", "files", "attachments")


@dataclass
class Call:
    """One request the app made: the Web API method (or ``upload`` / ``response_url``) and its arguments."""

    method: str
    args: dict[str, Any]
    token: str = ""


@dataclass
class _Failure:
    status: int
    error: str
    retry_after: int | None = None


@dataclass
class SlackUser:
    """What ``users.info`` says about someone."""

    tz: str | None = "UTC"
    locale: str | None = "en-US"
    real_name: str = "Test User"
    deleted: bool = False


@dataclass
class FakeSlackApi:
    """Start with ``async with FakeSlackApi().running() as api``; ``api.base_url`` is the SLACK_API_URL."""

    team_id: str = "T1"
    users: dict[str, SlackUser] = field(default_factory=dict)
    calls: list[Call] = field(default_factory=list)
    uploads: dict[str, bytes] = field(default_factory=dict)
    home_hashes: dict[str, str] = field(default_factory=dict)  # the hash of the App Home each user sees

    def __post_init__(self) -> None:
        self._failures: list[_Failure] = []
        self._method_errors: dict[str, list[str]] = {}
        self._changed = asyncio.Condition()
        self._counter = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self.port = 0
        self.socket_messages: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self._sockets: list[web.WebSocketResponse] = []
        self.socket_connected = asyncio.Event()

    # -- control -----------------------------------------------------------------------------------
    @property
    def root(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        return f"{self.root}/api/"

    def response_url(self, name: str = "r") -> str:
        return f"{self.root}/respond/{name}"

    def fail_next(self, count: int, *, status: int = 429, retry_after: int | None = 1) -> None:
        """The next ``count`` Web API calls get ``status`` (429 with ``Retry-After``, or a 5xx)."""
        error = "ratelimited" if status == 429 else "internal_error"
        self._failures.extend(
            _Failure(status, error, retry_after if status == 429 else None) for _ in range(count)
        )

    def fail_method(self, method: str, error: str, times: int = 1) -> None:
        """``method`` answers ``{"ok": false, "error": error}`` (HTTP 200, as Slack does) ``times`` times."""
        self._method_errors.setdefault(method, []).extend([error] * times)

    def calls_to(self, method: str) -> list[Call]:
        return [call for call in self.calls if call.method == method]

    async def wait_for(self, method: str, count: int = 1, timeout: float = 5.0) -> list[Call]:
        """Wait until ``method`` was called ``count`` times in all; returns those calls."""

        async def enough() -> list[Call]:
            async with self._changed:
                await self._changed.wait_for(lambda: len(self.calls_to(method)) >= count)
            return self.calls_to(method)

        try:
            return await asyncio.wait_for(enough(), timeout)
        except TimeoutError:
            seen = [call.method for call in self.calls]
            raise AssertionError(
                f"{method} called {len(self.calls_to(method))} times, not {count}: {seen}"
            ) from None

    async def socket_send(self, envelope: dict[str, Any]) -> None:
        """Push a Socket Mode envelope to the connected app."""
        await self.socket_connected.wait()
        await self._sockets[-1].send_str(json.dumps(envelope))

    # -- server ------------------------------------------------------------------------------------
    @asynccontextmanager
    async def running(self) -> AsyncIterator[FakeSlackApi]:
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_post("/upload/{file_id}", self._upload)
        app.router.add_post("/respond/{name}", self._respond)
        app.router.add_get("/socket", self._socket)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]
        try:
            yield self
        finally:
            for socket in self._sockets:
                await socket.close()
            await self._runner.cleanup()

    async def _record(self, call: Call) -> None:
        async with self._changed:
            self.calls.append(call)
            self._changed.notify_all()

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        args = await _arguments(request)
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        await self._record(Call(method, args, token))
        if method != "apps.connections.open" and self._failures:
            failure = self._failures.pop(0)
            headers = {"Retry-After": str(failure.retry_after)} if failure.retry_after is not None else {}
            return web.json_response(
                {"ok": False, "error": failure.error}, status=failure.status, headers=headers
            )
        errors = self._method_errors.get(method)
        if errors:
            return web.json_response({"ok": False, "error": errors.pop(0)})
        if not token:
            return web.json_response({"ok": False, "error": "not_authed"})
        return web.json_response(self._answer(method, args))

    def _answer(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        number = next(self._counter)
        ts = f"1700000000.{number:06d}"
        if method == "auth.test":
            return {
                "ok": True,
                "team_id": self.team_id,
                "user_id": BOT_USER,
                "bot_id": "BBOT",
                "team": "Fake",
            }
        if method == "conversations.open":
            return {"ok": True, "channel": {"id": f"D{args.get('users', '')}"}}
        if method == "chat.postMessage":
            message = {
                "type": "message",
                "ts": ts,
                "text": args.get("text"),
                "blocks": args.get("blocks", []),
            }
            return {"ok": True, "channel": args.get("channel"), "ts": ts, "message": message}
        if method == "chat.update":
            return {"ok": True, "channel": args.get("channel"), "ts": args.get("ts")}
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": ts}
        if method == "views.open":
            return {"ok": True, "view": {**args.get("view", {}), "id": f"V{number}"}}
        if method == "views.publish":
            return self._publish(args, number)
        if method == "users.info":
            user_id = str(args.get("user", ""))
            user = self.users.get(user_id, SlackUser())
            info: dict[str, Any] = {"id": user_id, "real_name": user.real_name, "deleted": user.deleted}
            info["profile"] = {"display_name": user.real_name}
            if user.tz:
                info["tz"] = user.tz
            if user.locale and args.get("include_locale") in (True, "true", "1", 1):
                info["locale"] = user.locale
            return {"ok": True, "user": info}
        if method == "files.getUploadURLExternal":
            file_id = f"F{number}"
            return {"ok": True, "file_id": file_id, "upload_url": f"{self.root}/upload/{file_id}"}
        if method == "files.completeUploadExternal":
            return {
                "ok": True,
                "files": [{"id": f["id"], "title": f.get("title")} for f in args.get("files", [])],
            }
        if method == "apps.connections.open":
            return {"ok": True, "url": f"ws://127.0.0.1:{self.port}/socket"}
        return {"ok": False, "error": "unknown_method"}

    def _publish(self, args: dict[str, Any], number: int) -> dict[str, Any]:
        """``views.publish`` as Slack checks it: a ``hash`` given must be the one of the view shown now."""
        user_id = str(args.get("user_id") or "")
        view = args.get("view")
        if not user_id or not isinstance(view, dict) or view.get("type") != "home":
            return {"ok": False, "error": "invalid_arguments"}
        given = args.get("hash")
        if given is not None and given != self.home_hashes.get(user_id):
            return {"ok": False, "error": "hash_conflict"}
        view_hash = f"1700000000.{number:08x}"
        self.home_hashes[user_id] = view_hash
        return {"ok": True, "view": {**view, "id": f"V{number}", "hash": view_hash}}

    async def _upload(self, request: web.Request) -> web.Response:
        file_id = request.match_info["file_id"]
        self.uploads[file_id] = await request.read()
        await self._record(Call("upload", {"file_id": file_id, "size": len(self.uploads[file_id])}))
        return web.Response(text=f"OK - {len(self.uploads[file_id])}")

    async def _respond(self, request: web.Request) -> web.Response:
        await self._record(Call("response_url", await request.json()))
        return web.Response(text="ok")

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        self._sockets.append(socket)
        await socket.send_str(json.dumps({"type": "hello", "num_connections": 1}))
        self.socket_connected.set()
        async for message in socket:
            if message.type == WSMsgType.TEXT:
                await self.socket_messages.put(json.loads(message.data))
        return socket


async def _arguments(request: web.Request) -> dict[str, Any]:
    """Arguments as Slack reads them: query string, then a form or JSON body; JSON-in-a-field decoded."""
    args: dict[str, Any] = dict(request.query)
    raw = await request.read()
    if raw:
        if request.content_type == "application/json":
            args.update(json.loads(raw))
        else:
            args.update(parse_qsl(raw.decode()))
    for name in JSON_FIELDS:
        if isinstance(args.get(name), str):
            try:
                args[name] = json.loads(args[name])
            except ValueError:
                pass
    return args
