"""The dashboard app on a loopback port, and init data signed the way Telegram signs it.

:func:`signed_init_data` is written from Telegram's documentation on its own, apart from the server's
check, so a mistake in one does not hide in the other (a test vector made elsewhere checks both).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any
from urllib.parse import quote, urlencode

from bot.health import HealthServer
from bot.metrics import Metrics
from bot.webapp import WebApp
from coach.core import Coach
from tests.fakes.telegram_api import BOT_USER, TOKEN

CHAT_LINK = f"https://t.me/{BOT_USER['username']}"


def signed_init_data(
    user_id: int,
    signed_at: datetime,
    *,
    token: str = TOKEN,
    language: str | None = "en",
    first_name: str = "Alice",
    **extra: str,
) -> str:
    """``Telegram.WebApp.initData`` for ``user_id`` as a Telegram client receives it."""
    user: dict[str, Any] = {"id": user_id, "first_name": first_name, "allows_write_to_pm": True}
    if language:
        user["language_code"] = language
    fields = {
        "query_id": "AAHdF6IQAAAAAN0XohDhrOrc",
        "user": json.dumps(user, ensure_ascii=False, separators=(",", ":")),
        "auth_date": str(int(signed_at.timestamp())),
        # Telegram also adds an Ed25519 signature for third parties; it is one more signed field here.
        "signature": "pG1OjPjEyD-Y2vuZ3nAm3wIpq7PoCG8-lUtdlvEFRUx5Bd2dq5F0dg",
        **extra,
    }
    check_string = "\n".join(f"{key}={fields[key]}" for key in sorted(fields))
    secret = hmac.new(b"WebAppData", token.encode(), hashlib.sha256).digest()
    fields["hash"] = hmac.new(secret, check_string.encode(), hashlib.sha256).hexdigest()
    return urlencode(fields, quote_via=quote)


def bearer(init_data: str) -> dict[str, str]:
    return {"Authorization": f"tma {init_data}"}


@asynccontextmanager
async def running_webapp(coach: Coach) -> AsyncIterator[HealthServer]:
    """``/healthz``, ``/metrics`` and ``/app/`` on 127.0.0.1, as ``encore run`` serves them."""
    webapp = WebApp(coach, bot_token=TOKEN, chat_link=lambda: CHAT_LINK)
    server = HealthServer(coach.database, Metrics(), host="127.0.0.1", port=0, webapp=webapp)
    await server.start()
    try:
        yield server
    finally:
        await server.stop()
