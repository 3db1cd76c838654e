"""The dashboard app ("My second career", a Telegram Mini App) on Encore's own HTTP server.

``/app/`` is the page (HTML, script, style and the vendored chart library, served from memory with ETags),
``/app/api/me`` the signed-in person's own data, ``/app/api/journal?q=`` a search of their journal and
``/app/api/labels?lang=`` the page's words for an error screen. Every ``/app/api/`` request but the last
needs ``Authorization: tma <initData>`` signed for this bot (see :mod:`bot.webapp.init_data`); the person
is the Telegram user the init data names, and nothing in a request can name anyone else.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from aiohttp import web
from pydantic import TypeAdapter

from bot.webapp.init_data import InvalidInitData, WebAppUser, from_header, verify
from coach.core import Coach
from coach.i18n import normalize_language, translator
from coach.messages import Identity
from coach.webapp_text import labels
from coach.webapp_view import SearchView, WebAppView, search_view, webapp_view

log = logging.getLogger(__name__)

STATIC = Path(__file__).parent / "static"
# Telegram loads its Mini App script from telegram.org; the page works without it (tests, a plain browser).
TELEGRAM_SCRIPT = "https://telegram.org"
_TYPES = {".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".txt": "text/plain"}
_FILES = {
    "": "index.html",
    "app.js": "app.js",
    "app.css": "app.css",
    "vendor/uPlot.iife.min.js": "vendor/uPlot.iife.min.js",
    "vendor/uPlot.min.css": "vendor/uPlot.min.css",
    "vendor/uPlot.LICENSE.txt": "vendor/uPlot.LICENSE.txt",
}
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        f"default-src 'self'; script-src 'self' {TELEGRAM_SCRIPT}; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; base-uri 'none'; form-action 'none'; "
        "frame-ancestors https://web.telegram.org https://*.telegram.org"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
PRIVATE = {"Cache-Control": "no-store", **SECURITY_HEADERS}
# pydantic turns the views into JSON-ready values several times faster than dataclasses.asdict.
_VIEW = TypeAdapter(WebAppView)
_SEARCH = TypeAdapter(SearchView)
Handler = Callable[[web.Request, WebAppUser], Awaitable[web.StreamResponse]]


@dataclass(frozen=True, slots=True)
class _File:
    body: bytes
    content_type: str
    etag: str


def _load(name: str) -> _File:
    body = (STATIC / name).read_bytes()
    return _File(body, _TYPES[Path(name).suffix], '"' + hashlib.sha256(body).hexdigest()[:32] + '"')


class WebApp:
    """The page and its API for ``coach``'s people. ``bot_token`` checks the init data; ``chat_link``
    says where "back to the chat" goes (``https://t.me/<bot>``, or ``None`` before the bot is known)."""

    def __init__(self, coach: Coach, *, bot_token: str, chat_link: Callable[[], str | None]) -> None:
        self.coach = coach
        self._token = bot_token
        self._chat_link = chat_link
        self._files = {path: _load(name) for path, name in _FILES.items()}

    def install(self, app: web.Application) -> None:
        app.router.add_get("/app", self._to_app)
        app.router.add_get("/app/api/me", self._signed_in(self._me))
        app.router.add_get("/app/api/journal", self._signed_in(self._journal))
        app.router.add_get("/app/api/labels", self._labels)
        app.router.add_route("*", "/app/api/{rest:.*}", self._no_such_api)
        app.router.add_get("/app/{path:.*}", self._static)

    # -- the page ------------------------------------------------------------------------------------
    async def _to_app(self, request: web.Request) -> web.StreamResponse:
        raise web.HTTPPermanentRedirect("/app/")

    async def _static(self, request: web.Request) -> web.StreamResponse:
        found = self._files.get(request.match_info["path"])
        if found is None:
            raise web.HTTPNotFound()
        headers = {"ETag": found.etag, "Cache-Control": "no-cache", **SECURITY_HEADERS}
        if request.headers.get("If-None-Match") == found.etag:
            return web.Response(status=304, headers=headers)
        return web.Response(
            body=found.body, content_type=found.content_type, charset="utf-8", headers=headers
        )

    # -- the API -------------------------------------------------------------------------------------
    def _signed_in(self, handler: Handler) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
        async def checked(request: web.Request) -> web.StreamResponse:
            try:
                user = verify(
                    from_header(request.headers.get("Authorization")), self._token, self.coach.clock()
                )
            except InvalidInitData as refusal:
                log.info("mini app: refused a request (%s)", refusal)
                return web.json_response({"error": "unauthorized"}, status=401, headers=PRIVATE)
            return await handler(request, user)

        return checked

    async def _me(self, request: web.Request, user: WebAppUser) -> web.StreamResponse:
        async with self.coach.database.session() as session:
            view = await webapp_view(
                session, _identity(user), now=self.coach.clock(), content=self.coach.content
            )
        return _json({**_VIEW.dump_python(view, mode="json"), "chat_link": self._chat_link()})

    async def _journal(self, request: web.Request, user: WebAppUser) -> web.StreamResponse:
        words = request.query.get("q", "")
        async with self.coach.database.session() as session:
            found = await search_view(session, _identity(user), words, content=self.coach.content)
        return _json(_SEARCH.dump_python(found, mode="json"))

    async def _labels(self, request: web.Request) -> web.StreamResponse:
        t = translator(normalize_language(request.query.get("lang")))
        return _json({"language": t.language, "labels": labels(t)})

    async def _no_such_api(self, request: web.Request) -> web.StreamResponse:
        return web.json_response({"error": "not found"}, status=404, headers=PRIVATE)


def _identity(user: WebAppUser) -> Identity:
    return Identity("telegram", user_id=str(user.id), chat_id=str(user.id), language=user.language_code)


def _json(data: object) -> web.Response:
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return web.Response(text=body, content_type="application/json", headers=PRIVATE)
