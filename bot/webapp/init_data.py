"""Telegram Mini App init data, checked exactly as Telegram documents it ("Validating data received via
the Mini App").

The page sends ``Telegram.WebApp.initData`` unchanged in ``Authorization: tma <initData>``. It is a query
string signed by Telegram: every field but ``hash``, URL-decoded, sorted by key and joined as
``key=value`` lines, is HMAC-SHA256-signed with a secret that is itself HMAC-SHA256 of the bot token keyed
with ``"WebAppData"``. Only Telegram and this bot know the token, so a valid signature proves the ``user``
field; ``auth_date`` older than a day is refused, so a leaked init data string does not open the app for
long. Nothing here logs or keeps the data: a refusal says why in a few words, never with the data.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl

MAX_AGE = timedelta(hours=24)
FUTURE_SKEW = timedelta(minutes=5)  # a client clock slightly ahead is not an attack
# Telegram's init data is a few hundred bytes (a user with a long name and photo URL stays under 2 KB).
MAX_CHARS = 4096
MAX_FIELDS = 32
SCHEME = "tma"


class InvalidInitData(ValueError):
    """The init data is not Telegram's, or too old. The message is safe to log (it never quotes the data)."""


@dataclass(frozen=True, slots=True)
class WebAppUser:
    """The Telegram user the init data was signed for."""

    id: int
    language_code: str | None
    signed_at: datetime


def secret_key(bot_token: str) -> bytes:
    return hmac.new(b"WebAppData", bot_token.encode("utf-8"), hashlib.sha256).digest()


def from_header(value: str | None) -> str:
    """The init data of an ``Authorization: tma <initData>`` header."""
    scheme, _, credentials = (value or "").strip().partition(" ")
    if scheme.lower() != SCHEME or not credentials.strip():
        raise InvalidInitData("no tma credentials")
    return credentials.strip()


def verify(init_data: str, bot_token: str, now: datetime, *, max_age: timedelta = MAX_AGE) -> WebAppUser:
    """The user of ``init_data`` if Telegram signed it for this bot within ``max_age``; else raises
    :class:`InvalidInitData`."""
    if len(init_data) > MAX_CHARS:
        raise InvalidInitData("too long")
    fields = _fields(init_data)
    received = fields.pop("hash", "")
    check_string = "\n".join(f"{key}={value}" for key, value in sorted(fields.items()))
    expected = hmac.new(secret_key(bot_token), check_string.encode("utf-8"), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected.encode("ascii"), received.encode("utf-8")):
        raise InvalidInitData("bad signature")
    signed_at = _signed_at(fields.get("auth_date", ""))
    if now - signed_at > max_age:
        raise InvalidInitData("expired")
    if signed_at - now > FUTURE_SKEW:
        raise InvalidInitData("signed in the future")
    return _user(fields.get("user", ""), signed_at)


def _fields(init_data: str) -> dict[str, str]:
    try:
        pairs = parse_qsl(init_data, keep_blank_values=True, strict_parsing=True, max_num_fields=MAX_FIELDS)
    except ValueError:
        raise InvalidInitData("malformed") from None
    fields = dict(pairs)
    if len(fields) != len(pairs):
        raise InvalidInitData("a field given twice")
    if not fields.get("hash"):
        raise InvalidInitData("no hash")
    return fields


def _signed_at(auth_date: str) -> datetime:
    if not auth_date.isdecimal() or len(auth_date) > 12:
        raise InvalidInitData("no auth_date")
    return datetime.fromtimestamp(int(auth_date), UTC)


def _user(raw: str, signed_at: datetime) -> WebAppUser:
    try:
        user = json.loads(raw)
    except ValueError:
        raise InvalidInitData("no user") from None
    user_id = user.get("id") if isinstance(user, dict) else None
    if not isinstance(user_id, int) or isinstance(user_id, bool) or user_id <= 0:
        raise InvalidInitData("no user")
    language = user.get("language_code")
    return WebAppUser(user_id, language if isinstance(language, str) else None, signed_at)
