"""A fake OpenAI-compatible server on loopback: ``POST /v1/chat/completions``, streamed or not.

The real ``openai`` client talks to it over HTTP. Every request is recorded (its JSON body), so a test can
show what a model was told — or that it was told nothing. What it answers is set per test: words (sent as
server-sent events in pieces, or as one JSON completion — also when asked to stream, as some servers do),
a delay before the first piece, an HTTP error, a stream that never ends, a wrong API key, a wrong label.
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

MODEL = "fake-coach-1"


@dataclass
class Behaviour:
    """How the next answers are made."""

    text: str = "That sounds like a real step. What would make the next one easier?"
    delay: float = 0.0  # seconds before the first piece (or the whole answer)
    piece_chars: int = 12  # streamed in pieces this long
    piece_delay: float = 0.0
    status: int = 200  # anything else: an error body with this status
    endless: bool = False  # stream pieces forever
    api_key: str | None = None  # when set, any other key gets 401
    whole: bool = False  # ignore ``stream: true``: one ordinary JSON completion, as some servers answer
    content_type: str | None = None  # a server that labels its answer wrongly (e.g. ``text/plain``)


@dataclass
class FakeOpenAI:
    behaviour: Behaviour = field(default_factory=Behaviour)
    requests: list[dict[str, Any]] = field(default_factory=list)
    port: int = 0
    _runner: web.AppRunner | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    async def start(self) -> FakeOpenAI:
        app = web.Application()
        app.router.add_post("/v1/chat/completions", self._complete)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]
        return self

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def __aenter__(self) -> FakeOpenAI:
        return await self.start()

    async def __aexit__(self, *_: object) -> None:
        await self.close()

    def told(self) -> str:
        """Everything the model was told, all requests together."""
        return "\n".join(m["content"] for r in self.requests for m in r.get("messages", []))

    async def _complete(self, request: web.Request) -> web.StreamResponse:
        body = await request.json()
        self.requests.append(body)
        b = self.behaviour
        if b.api_key is not None and request.headers.get("Authorization") != f"Bearer {b.api_key}":
            return _error(401, "Incorrect API key provided", "invalid_api_key")
        if b.status != 200:
            return _error(b.status, "The server had an error", "server_error")
        await asyncio.sleep(b.delay)
        if b.whole or not body.get("stream"):
            return web.json_response(_completion(b.text), content_type=b.content_type or "application/json")
        response = web.StreamResponse(headers={"Content-Type": b.content_type or "text/event-stream"})
        await response.prepare(request)
        pieces = [b.text[i : i + b.piece_chars] for i in range(0, len(b.text), b.piece_chars)] or [""]
        try:
            while True:
                for piece in pieces:
                    await response.write(f"data: {json.dumps(_chunk(piece))}\n\n".encode())
                    if b.piece_delay:
                        await asyncio.sleep(b.piece_delay)
                if not b.endless:
                    break
                await asyncio.sleep(0.01)
            await response.write(f"data: {json.dumps(_chunk('', finish='stop'))}\n\n".encode())
            await response.write(b"data: [DONE]\n\n")
        except (ConnectionResetError, asyncio.CancelledError):
            return response
        return response


def _error(status: int, message: str, code: str) -> web.Response:
    return web.json_response(
        {"error": {"message": message, "type": "error", "code": code, "param": None}}, status=status
    )


def _chunk(piece: str, finish: str | None = None) -> dict[str, Any]:
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": MODEL,
        "choices": [{"index": 0, "delta": {"content": piece} if piece else {}, "finish_reason": finish}],
    }


def _completion(text: str) -> dict[str, Any]:
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": MODEL,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }
