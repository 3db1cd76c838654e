"""A small Telegram Bot API on 127.0.0.1, so the real python-telegram-bot runs over real HTTP in tests.

It answers the methods Encore uses the way api.telegram.org does (request and response shapes as PTB 22
sends and parses them), keeps each chat as the user would see it (messages, edits, keyboards), records
every call, hands updates out by long polling or posts them to a webhook with the secret header, and can be
told to fail the next calls of a method (429 with ``retry_after``, 403, 5xx, 401) or to hold its answers.

It is strict where Telegram is: HTML must be well formed with ``<``, ``>`` and ``&`` escaped, a message
holds at most 4,096 characters (UTF-16 units, after markup), a caption 1,024, a button's ``callback_data``
at most 64 bytes, a button has exactly one action, a ``web_app`` button opens an HTTPS URL and only in a
private chat, and a callback query can be answered once. The bot's own profile (command lists per scope
and language, descriptions, the menu button) is kept and checked the same way.
"""

from __future__ import annotations

import asyncio
import html
import itertools
import json
import re
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import web

TOKEN = "7391642058:AAF-fake-token-that-must-never-be-logged"
BOT_USER = {
    "id": 7391642058,
    "is_bot": True,
    "first_name": "Encore",
    "username": "encore_test_bot",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"

_NUMBERS = {"chat_id", "message_id", "offset", "limit", "timeout", "cache_time", "max_connections"}
_JSON = {
    "reply_markup",
    "commands",
    "scope",
    "allowed_updates",
    "reply_parameters",
    "link_preview_options",
    "entities",
    "caption_entities",
    "menu_button",
}
_BOOLEANS = {"show_alert", "drop_pending_updates", "disable_notification", "protect_content"}
_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "s": "strikethrough",
    "code": "code",
    "pre": "pre",
}
_TAG = re.compile(r"<(/?)([a-z-]+)\s*>")
_ENTITY = re.compile(r"&(lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);")
_COMMAND = re.compile(r"^/[A-Za-z0-9_]+(@[A-Za-z0-9_]+)?")


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


class ApiError(Exception):
    def __init__(self, status: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after


def parse_html(source: str) -> tuple[str, list[dict[str, Any]]]:
    """Telegram's HTML parse mode: plain text and entities (UTF-16 offsets), or a 400 like Telegram's."""
    text: list[str] = []
    entities: list[dict[str, Any]] = []
    open_tags: list[tuple[str, int]] = []
    position = 0
    index = 0
    while index < len(source):
        char = source[index]
        if char == "<":
            match = _TAG.match(source, index)
            if match is None or match.group(2) not in _TAGS:
                raise ApiError(
                    400, f"Bad Request: can't parse entities: unsupported start tag at byte offset {index}"
                )
            closing, name = match.group(1) == "/", match.group(2)
            if closing:
                if not open_tags or open_tags[-1][0] != name:
                    raise ApiError(400, f'Bad Request: can\'t parse entities: unmatched end tag "{name}"')
                _, start = open_tags.pop()
                if position > start:
                    entities.append({"type": _TAGS[name], "offset": start, "length": position - start})
            else:
                open_tags.append((name, position))
            index = match.end()
            continue
        if char == "&":
            match = _ENTITY.match(source, index)
            if match is None:
                raise ApiError(400, "Bad Request: can't parse entities: unescaped & in text")
            char = html.unescape(match.group(0))
            index = match.end()
        elif char == ">":
            raise ApiError(400, "Bad Request: can't parse entities: unescaped > in text")
        else:
            index += 1
        text.append(char)
        position += utf16_len(char)
    if open_tags:
        raise ApiError(
            400, f"Bad Request: can't parse entities: can't find end tag for \"{open_tags[-1][0]}\""
        )
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(text), entities


@dataclass
class Call:
    """One request the bot made; ``status`` is filled in when it is answered."""

    method: str
    params: dict[str, Any]
    files: dict[str, bytes] = field(default_factory=dict)
    status: int | None = None


@dataclass
class Sent:
    """A message the bot put in a chat, as the chat shows it now (edits applied)."""

    chat: dict[str, Any]
    message_id: int
    date: int
    kind: str = "text"  # text | photo | document
    text: str = ""  # for a photo or document: the caption
    entities: list[dict[str, Any]] = field(default_factory=list)
    keyboard: list[list[dict[str, Any]]] | None = None
    file: bytes = b""
    filename: str | None = None
    edits: int = 0

    @property
    def chat_id(self) -> int:
        return int(self.chat["id"])

    @property
    def labels(self) -> list[str]:
        return [button["text"] for row in self.keyboard or [] for button in row]

    def button(self, label: str) -> dict[str, Any]:
        for row in self.keyboard or []:
            for button in row:
                if button["text"] == label:
                    return button
        raise AssertionError(f"no button {label!r} on this message; it has {self.labels}")

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "message_id": self.message_id,
            "date": self.date,
            "chat": self.chat,
            "from": BOT_USER,
        }
        text_key, entities_key = (
            ("text", "entities") if self.kind == "text" else ("caption", "caption_entities")
        )
        if self.text:
            data[text_key] = self.text
        if self.entities:
            data[entities_key] = self.entities
        if self.kind == "photo":
            data["photo"] = [
                {
                    "file_id": f"photo{self.message_id}",
                    "file_unique_id": f"p{self.message_id}",
                    "width": 640,
                    "height": 480,
                }
            ]
        if self.kind == "document":
            data["document"] = {
                "file_id": f"doc{self.message_id}",
                "file_unique_id": f"d{self.message_id}",
                "file_name": self.filename,
            }
        if self.keyboard:
            data["reply_markup"] = {"inline_keyboard": self.keyboard}
        return data


@dataclass
class _Failure:
    status: int
    description: str
    retry_after: int | None = None


class FakeTelegram:
    """The Bot API for one bot (``token``). Start it, point PTB's ``base_url`` at :attr:`base_url`."""

    def __init__(self, token: str = TOKEN, *, now: int = 1_795_000_000, first_update_id: int = 1) -> None:
        self.token = token
        self.now = now
        self.calls: list[Call] = []
        self.chats: dict[int, dict[str, Any]] = {}
        self.sent: dict[int, list[Sent]] = defaultdict(list)
        self.blocked: set[int] = set()
        self.commands: dict[tuple[str, str], list[dict[str, str]]] = {}
        # (description | short_description, language code or "") -> text
        self.descriptions: dict[tuple[str, str], str] = {}
        self.menu_buttons: dict[int | None, dict[str, Any]] = {}  # None: the default for private chats
        self.answers: dict[str, dict[str, Any]] = {}
        self.webhook: dict[str, Any] | None = None
        self.webhook_rejections: list[int] = []
        self._failures: dict[str, deque[_Failure]] = defaultdict(deque)
        self._delays: dict[str, float] = {}
        self._stalls: dict[str, Callable[[dict[str, Any]], bool]] = {}
        self._limits: tuple[float, float] | None = None  # messages a second for the bot, for one chat
        self._recent: deque[float] = deque()  # when the bot's recent messages were taken
        self._chat_tokens: dict[int, tuple[float, float]] = {}  # chat -> (tokens, as of)
        self.too_many = 0  # messages refused with 429 for going over a limit
        self.refusals: list[str] = []  # which limit each refusal was for: "bot" or "chat <id>"
        self._unstalled = asyncio.Event()
        self._pending: deque[dict[str, Any]] = deque()
        self._handed_over = 0
        self._poll = 0  # the newest getUpdates request: an older one still waiting is ended with a 409
        self.conflicts = 0  # getUpdates requests ended that way (two bot instances polling at once)
        self._update_ids = itertools.count(first_update_id)  # Telegram's go on from where they were
        self._message_ids: dict[int, itertools.count[int]] = defaultdict(lambda: itertools.count(1))
        self._callback_ids = itertools.count(1)
        self._open_callbacks: set[str] = set()
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self._delivery: asyncio.Task[None] | None = None
        self._client: aiohttp.ClientSession | None = None
        self._closing = False
        self.base_url = ""

    # -- lifecycle -----------------------------------------------------------------------------------
    async def start(self) -> FakeTelegram:
        app = web.Application(client_max_size=60 * 1024 * 1024)
        app.router.add_post("/bot{token}/{method}", self._serve)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.base_url = f"http://127.0.0.1:{port}/bot"
        return self

    async def close(self) -> None:
        self._closing = True  # ends long polls now rather than at their timeout
        self._unstalled.set()
        await self._notify()
        if self._delivery is not None:
            self._delivery.cancel()
            await asyncio.gather(self._delivery, return_exceptions=True)
        if self._client is not None:
            await self._client.close()
        if self._runner is not None:
            await self._runner.cleanup()

    async def __aenter__(self) -> FakeTelegram:
        return await self.start()

    async def __aexit__(self, *_: object) -> None:
        await self.close()

    # -- what a test tells it ------------------------------------------------------------------------
    def fail_next(
        self,
        method: str,
        times: int = 1,
        *,
        status: int,
        retry_after: int | None = None,
        description: str | None = None,
    ) -> None:
        """Answer the next ``times`` calls of ``method`` with an error, as Telegram words them."""
        default = {
            401: "Unauthorized",
            403: "Forbidden: bot was blocked by the user",
            429: f"Too Many Requests: retry after {retry_after}",
            500: "Internal Server Error",
            502: "Bad Gateway",
        }.get(status, "Error")
        for _ in range(times):
            self._failures[method].append(_Failure(status, description or default, retry_after))

    def hold(self, method: str, seconds: float) -> None:
        """Answer calls of ``method`` only after ``seconds`` (the call is recorded when it arrives)."""
        self._delays[method] = seconds

    def stall(self, method: str, when: Callable[[dict[str, Any]], bool]) -> None:
        """Carry out the calls of ``method`` whose parameters satisfy ``when``, but never answer them (until
        the fake closes): Telegram has the message, the bot hears nothing, as when a request times out."""
        self._stalls[method] = when

    def limit(self, per_second: float = 30.0, per_chat: float = 1.0) -> None:
        """Refuse messages (429, retry after 1 s) beyond ``per_second`` in any second for the bot, and
        beyond ``per_chat`` a second in one chat (a burst of three allowed, as Telegram tolerates)."""
        self._limits = (per_second, per_chat)

    def _over_the_limit(self, method: str, params: dict[str, Any]) -> bool:
        if self._limits is None or not method.startswith("send") or method == "sendChatAction":
            return False
        per_second, per_chat = self._limits
        now = asyncio.get_running_loop().time()
        while self._recent and self._recent[0] <= now - 1.0:
            self._recent.popleft()
        chat = params.get("chat_id")
        tokens, as_of = self._chat_tokens.get(chat, (3.0, now)) if isinstance(chat, int) else (3.0, now)
        tokens = min(3.0, tokens + (now - as_of) * per_chat)
        if len(self._recent) >= per_second or tokens < 1.0:
            self.too_many += 1
            self.refusals.append("bot" if len(self._recent) >= per_second else f"chat {chat}")
            return True
        self._recent.append(now)
        if isinstance(chat, int):
            self._chat_tokens[chat] = (tokens - 1.0, now)
        return False

    def add_update(self, update: dict[str, Any]) -> int:
        """Queue an update for the bot (by polling, or posted to its webhook); returns its ``update_id``."""
        update_id = next(self._update_ids)
        self._pending.append({"update_id": update_id, **update})
        for part in update.values():
            chat = part.get("chat") or (part.get("message") or {}).get("chat")
            if chat:
                self.chats.setdefault(int(chat["id"]), chat)
        asyncio.get_running_loop().create_task(self._notify())
        return update_id

    # -- updates a user makes ------------------------------------------------------------------------
    def message(
        self, user: dict[str, Any], chat: dict[str, Any], text: str | None, **extra: Any
    ) -> dict[str, Any]:
        """A ``message`` update; a leading ``/command`` gets its ``bot_command`` entity, as clients add."""
        message: dict[str, Any] = {
            "message_id": next(self._message_ids[int(chat["id"])]),
            "date": self.now,
            "chat": chat,
            "from": user,
            **extra,
        }
        if text is not None:
            message["text"] = text
            command = _COMMAND.match(text)
            if command:
                message["entities"] = [
                    {"type": "bot_command", "offset": 0, "length": utf16_len(command.group(0))}
                ]
        return {"message": message}

    def callback(self, user: dict[str, Any], sent: Sent, data: str) -> tuple[dict[str, Any], str]:
        """A ``callback_query`` update for a press on ``sent``; returns it with the query id."""
        query_id = str(9_000_000 + next(self._callback_ids))
        self._open_callbacks.add(query_id)
        query = {
            "id": query_id,
            "from": user,
            "chat_instance": f"ci{sent.chat_id}",
            "data": data,
            "message": sent.to_json(),
        }
        return {"callback_query": query}, query_id

    # -- what a test reads ---------------------------------------------------------------------------
    def calls_to(self, method: str) -> list[Call]:
        return [call for call in self.calls if call.method == method]

    def messages(self, chat_id: int) -> list[Sent]:
        return list(self.sent[chat_id])

    async def wait_for(self, condition: Any, timeout: float = 10.0) -> None:
        """Wait until ``condition()`` holds (checked whenever a call arrives or is answered)."""

        async def until() -> None:
            async with self._changed:
                await self._changed.wait_for(condition)

        await asyncio.wait_for(until(), timeout)

    async def handed_over(self, update_id: int, timeout: float = 10.0) -> None:
        """Wait until the bot has taken ``update_id`` (confirmed by offset, or answered 200 on its webhook)."""
        await self.wait_for(lambda: self._handed_over >= update_id, timeout)

    # -- the API -------------------------------------------------------------------------------------
    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    async def _serve(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params, files = await _read_params(request)
        call = Call(method, params, files)
        self.calls.append(call)
        await self._notify()
        if method in self._delays:
            await asyncio.sleep(self._delays[method])
        try:
            if request.match_info["token"] != self.token:
                raise ApiError(401, "Unauthorized")
            if self._failures[method]:
                failure = self._failures[method].popleft()
                raise ApiError(failure.status, failure.description, failure.retry_after)
            if self._over_the_limit(method, params):
                raise ApiError(429, "Too Many Requests: retry after 1", 1)
            handler = getattr(self, f"_api_{method}", None)
            if handler is None:
                raise ApiError(404, "Not Found")
            result = await handler(params, files)
            stalled = self._stalls.get(method)
            if stalled is not None and stalled(params):
                await self._notify()
                await self._unstalled.wait()
            call.status = 200
            body: dict[str, Any] = {"ok": True, "result": result}
        except ApiError as error:
            call.status = error.status
            body = {"ok": False, "error_code": error.status, "description": error.description}
            if error.retry_after is not None:
                body["parameters"] = {"retry_after": error.retry_after}
        await self._notify()
        return web.json_response(body, status=call.status)

    async def _api_getMe(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        return BOT_USER

    async def _api_deleteWebhook(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        self.webhook = None
        if params.get("drop_pending_updates"):
            self._pending.clear()
        return True

    async def _api_setWebhook(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        if not str(params.get("url", "")).startswith(("http://", "https://")):
            raise ApiError(400, "Bad Request: bad webhook: an HTTPS URL must be provided for webhook")
        self.webhook = params
        if self._delivery is None or self._delivery.done():
            self._delivery = asyncio.get_running_loop().create_task(self._deliver_to_webhook())
        return True

    async def _api_getUpdates(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        if self.webhook is not None:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
            )
        self._poll += 1
        mine = self._poll
        offset = int(params.get("offset") or 0)
        if offset:
            while self._pending and self._pending[0]["update_id"] < offset:
                self._pending.popleft()
            self._handed_over = max(self._handed_over, offset - 1)
        await self._notify()  # also wakes an older request, which Telegram ends with a 409
        if not self._pending:
            wait = min(float(params.get("timeout") or 0), 60.0)
            try:
                await self.wait_for(
                    lambda: (
                        bool(self._pending) or self.webhook is not None or self._closing or self._poll != mine
                    ),
                    wait,
                )
            except TimeoutError:
                pass
        if self._poll != mine:
            self.conflicts += 1
            raise ApiError(
                409,
                "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
            )
        limit = int(params.get("limit") or 100)
        return list(itertools.islice(self._pending, limit))

    async def _api_sendMessage(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        chat = self._chat_for(params)
        text, entities = _formatted(params.get("text", ""), params.get("parse_mode"))
        if not text.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        if utf16_len(text) > 4096:
            raise ApiError(400, "Bad Request: message is too long")
        return self._post(Sent(chat, 0, self.now, "text", text, entities, _keyboard(params, chat))).to_json()

    async def _api_sendChatAction(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        self._chat_for(params)
        if params.get("action") not in ("typing", "upload_photo", "upload_document", "choose_sticker"):
            raise ApiError(400, "Bad Request: wrong parameter action in request")
        return True

    async def _api_sendMessageDraft(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        """Bot API 9.x: a partial message shown while it is being written; it leaves nothing in the chat."""
        self._chat_for(params)
        if not int(params.get("draft_id") or 0):
            raise ApiError(400, "Bad Request: draft_id must be non-zero")
        text, _entities = _formatted(params.get("text", ""), params.get("parse_mode"))
        if not text.strip() or utf16_len(text) > 4096:
            raise ApiError(400, "Bad Request: text must be 1-4096 characters")
        return True

    async def _api_sendPhoto(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        chat = self._chat_for(params)
        if not files.get("photo"):
            raise ApiError(400, "Bad Request: there is no photo in the request")
        caption, entities = _formatted(params.get("caption", ""), params.get("parse_mode"))
        if utf16_len(caption) > 1024:
            raise ApiError(400, "Bad Request: message caption is too long")
        sent = Sent(chat, 0, self.now, "photo", caption, entities, _keyboard(params, chat), files["photo"])
        return self._post(sent).to_json()

    async def _api_sendDocument(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        chat = self._chat_for(params)
        if not files.get("document"):
            raise ApiError(400, "Bad Request: there is no document in the request")
        caption, entities = _formatted(params.get("caption", ""), params.get("parse_mode"))
        if utf16_len(caption) > 1024:
            raise ApiError(400, "Bad Request: message caption is too long")
        sent = Sent(
            chat, 0, self.now, "document", caption, entities, _keyboard(params, chat), files["document"]
        )
        sent.filename = params.get("document")
        return self._post(sent).to_json()

    async def _api_editMessageText(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        sent = self._find(params)
        if sent.kind != "text":
            raise ApiError(400, "Bad Request: there is no text in the message to edit")
        text, entities = _formatted(params.get("text", ""), params.get("parse_mode"))
        if utf16_len(text) > 4096:
            raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        keyboard = _keyboard(
            params, sent.chat
        )  # Telegram drops the inline keyboard unless an edit repeats it
        if (text, entities, keyboard) == (sent.text, sent.entities, sent.keyboard):
            raise ApiError(
                400,
                "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message",
            )
        sent.text, sent.entities, sent.keyboard = text, entities, keyboard
        sent.edits += 1
        return sent.to_json()

    async def _api_editMessageReplyMarkup(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        sent = self._find(params)
        keyboard = _keyboard(params, sent.chat)
        if keyboard == sent.keyboard:
            raise ApiError(400, "Bad Request: message is not modified")
        sent.keyboard = keyboard
        sent.edits += 1
        return sent.to_json()

    async def _api_answerCallbackQuery(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        query_id = str(params.get("callback_query_id"))
        if query_id not in self._open_callbacks:
            raise ApiError(
                400, "Bad Request: query is too old and response timeout expired or query ID is invalid"
            )
        text = params.get("text") or ""
        if utf16_len(text) > 200:
            raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        self._open_callbacks.discard(query_id)
        self.answers[query_id] = {"text": text, "show_alert": bool(params.get("show_alert"))}
        return True

    async def _api_setMyCommands(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        commands = params.get("commands") or []
        if len(commands) > 100:
            raise ApiError(400, "Bad Request: too many commands")
        for command in commands:
            if not re.fullmatch(r"[a-z0-9_]{1,32}", command.get("command", "")):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(command.get("description", "")) <= 256:
                raise ApiError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
        self.commands[_command_key(params)] = commands
        return True

    async def _api_getMyCommands(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        return self.commands.get(_command_key(params), [])

    async def _api_deleteMyCommands(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        self.commands.pop(_command_key(params), None)
        return True

    async def _api_setMyDescription(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        return self._set_description("description", params, 512)

    async def _api_getMyDescription(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        return {"description": self.descriptions.get(("description", _language(params)), "")}

    async def _api_setMyShortDescription(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        return self._set_description("short_description", params, 120)

    async def _api_getMyShortDescription(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        return {"short_description": self.descriptions.get(("short_description", _language(params)), "")}

    async def _api_setChatMenuButton(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        chat_id = params.get("chat_id")
        if chat_id is not None:
            chat = self._chat_for(params)
            if chat.get("type") != "private":
                raise ApiError(400, "Bad Request: chat must be private")
        button = params.get("menu_button") or {"type": "default"}
        kind = button.get("type")
        if kind not in ("commands", "web_app", "default"):
            raise ApiError(400, "Bad Request: unsupported menu button type")
        if kind == "web_app":
            if not 1 <= len(button.get("text") or "") <= 64:
                raise ApiError(400, "Bad Request: menu button text must be non-empty")
            _web_app_url(button.get("web_app"))
        self.menu_buttons[chat_id] = button
        return True

    async def _api_getChatMenuButton(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        chat_id = params.get("chat_id")
        return self.menu_buttons.get(chat_id) or self.menu_buttons.get(None) or {"type": "default"}

    # -- helpers -------------------------------------------------------------------------------------
    def _set_description(self, kind: str, params: dict[str, Any], limit: int) -> bool:
        text = params.get(kind) or ""
        if utf16_len(text) > limit:
            raise ApiError(400, f"Bad Request: {kind.upper()}_INVALID")
        language = _language(params)
        if text:
            self.descriptions[(kind, language)] = text
        else:  # an empty text removes the description for that language
            self.descriptions.pop((kind, language), None)
        return True

    def _chat_for(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = params.get("chat_id")
        if not isinstance(chat_id, int) or chat_id not in self.chats:
            raise ApiError(400, "Bad Request: chat not found")
        if chat_id in self.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        return self.chats[chat_id]

    def _post(self, sent: Sent) -> Sent:
        sent.message_id = next(self._message_ids[sent.chat_id])
        self.sent[sent.chat_id].append(sent)
        return sent

    def _find(self, params: dict[str, Any]) -> Sent:
        chat = self._chat_for(params)
        for sent in self.sent[int(chat["id"])]:
            if sent.message_id == params.get("message_id"):
                return sent
        raise ApiError(400, "Bad Request: message to edit not found")

    async def _deliver_to_webhook(self) -> None:
        """Post pending updates to the webhook one at a time, as Telegram does, retrying until taken."""
        self._client = self._client or aiohttp.ClientSession()
        while True:
            await self.wait_for(lambda: bool(self._pending) and self.webhook is not None, timeout=3600)
            webhook = self.webhook
            assert webhook is not None
            update = self._pending[0]
            headers = {"Content-Type": "application/json"}
            if webhook.get("secret_token"):
                headers[SECRET_HEADER] = webhook["secret_token"]
            try:
                async with self._client.post(
                    webhook["url"], data=json.dumps(update), headers=headers
                ) as response:
                    status = response.status
            except aiohttp.ClientError:
                status = 0  # not listening yet: PTB sets the webhook before its server starts
            if status == 200:
                if self._pending and self._pending[0] is update:
                    self._pending.popleft()
                self._handed_over = max(self._handed_over, update["update_id"])
                await self._notify()
            else:
                self.webhook_rejections.append(status)
                await asyncio.sleep(0.02)


async def _read_params(request: web.Request) -> tuple[dict[str, Any], dict[str, bytes]]:
    """PTB posts form fields (JSON-encoded when not strings), or multipart when a file is attached."""
    form = await request.post()
    params: dict[str, Any] = {}
    files: dict[str, bytes] = {}
    for key, value in form.items():
        if isinstance(value, web.FileField):
            files[key] = value.file.read()
            params[key] = value.filename
            continue
        raw = str(value)
        if key in _JSON:
            params[key] = json.loads(raw)
        elif key in _NUMBERS and re.fullmatch(r"-?\d+", raw):
            params[key] = int(raw)
        elif key in _BOOLEANS:
            params[key] = raw == "true"
        else:
            params[key] = raw
    return params, files


def _formatted(text: str, parse_mode: str | None) -> tuple[str, list[dict[str, Any]]]:
    if parse_mode is None:
        return text, []
    if parse_mode.upper() != "HTML":
        raise ApiError(400, f"Bad Request: unsupported parse_mode {parse_mode}")
    return parse_html(text)


def _keyboard(params: dict[str, Any], chat: dict[str, Any]) -> list[list[dict[str, Any]]] | None:
    markup = params.get("reply_markup")
    if not markup:
        return None
    rows = markup.get("inline_keyboard")
    if rows is None:
        raise ApiError(400, "Bad Request: only inline keyboards are expected here")
    for row in rows:
        for button in row:
            _check_button(button, chat)
    return rows or None


_BUTTON_KINDS = ("callback_data", "url", "web_app", "switch_inline_query", "login_url", "copy_text", "pay")


def _check_button(button: dict[str, Any], chat: dict[str, Any]) -> None:
    if not button.get("text"):
        raise ApiError(400, "Bad Request: text buttons are unallowed in the inline keyboard")
    kinds = [kind for kind in _BUTTON_KINDS if kind in button]
    if len(kinds) != 1:
        raise ApiError(400, "Bad Request: can't parse inline keyboard button: exactly one action is needed")
    data = button.get("callback_data")
    if data is not None and not 1 <= len(data.encode()) <= 64:
        raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
    if "url" in button and not re.fullmatch(r"(https?|tg)://[^\s]+", str(button["url"])):
        raise ApiError(400, "Bad Request: BUTTON_URL_INVALID")
    if "web_app" in button:
        if chat.get("type") != "private":  # Mini App buttons work in private chats only
            raise ApiError(400, "Bad Request: BUTTON_TYPE_INVALID")
        _web_app_url(button["web_app"])


def _web_app_url(web_app: Any) -> str:
    url = web_app.get("url") if isinstance(web_app, dict) else None
    if not isinstance(url, str) or not url.startswith("https://") or len(url) <= len("https://"):
        raise ApiError(400, f"Bad Request: Web App URL '{url}' is invalid: Only HTTPS links are allowed")
    return url


def _language(params: dict[str, Any]) -> str:
    language = params.get("language_code") or ""
    if language and not re.fullmatch(r"[a-z]{2}", language):
        raise ApiError(400, "Bad Request: invalid language code specified")
    return str(language)


_SCOPES = {
    "default",
    "all_private_chats",
    "all_group_chats",
    "all_chat_administrators",
    "chat",
    "chat_administrators",
    "chat_member",
}


def _command_key(params: dict[str, Any]) -> tuple[str, str]:
    scope = params.get("scope") or {"type": "default"}
    kind = scope.get("type", "default")
    if kind not in _SCOPES:
        raise ApiError(400, "Bad Request: unsupported bot command scope type")
    if kind.startswith("chat") and "chat_id" not in scope:
        raise ApiError(400, "Bad Request: chat_id is required for this scope")
    return kind, _language(params)


def user(user_id: int, first_name: str = "Alice", language_code: str | None = "en") -> dict[str, Any]:
    """A Telegram user as updates carry it."""
    data: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name}
    if language_code:
        data["language_code"] = language_code
    return data


def private_chat(person: dict[str, Any]) -> dict[str, Any]:
    return {"id": person["id"], "type": "private", "first_name": person["first_name"]}


def group_chat(chat_id: int, title: str = "Career changers") -> dict[str, Any]:
    return {"id": chat_id, "type": "group", "title": title}
