"""Configuration from the environment or a ``.env`` file (see the table in DESIGN.md and the README)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, ValidationInfo, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url

from storage.crypto import EncryptionError, Keyring


class Settings(BaseSettings):
    """Every knob Encore has. Secrets are ``SecretStr`` so they never end up in logs or reprs."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    encore_database_url: str = "sqlite+aiosqlite:///./encore.db"
    encore_log_level: str = "INFO"
    encore_log_format: Literal["auto", "json", "text"] = "auto"  # auto: JSON unless stderr is a terminal

    # Encryption at rest of journal text; old keys (comma-separated) still decrypt during a rotation.
    encore_encryption_key: SecretStr | None = None
    encore_encryption_old_keys: SecretStr | None = None

    # /healthz and /metrics; unset: not served.
    encore_http_port: int | None = Field(default=None, ge=0, le=65535)
    encore_http_listen: str = "0.0.0.0"  # every interface, as a container needs; 127.0.0.1 keeps it local
    # When set, /metrics asks for "Authorization: Bearer <token>" (/healthz stays open).
    encore_metrics_token: SecretStr | None = None
    # The dashboard app (a Telegram Mini App): its public HTTPS URL, which the proxy forwards to /app/ on
    # ENCORE_HTTP_PORT. Unset: no app, no menu button.
    encore_webapp_url: str | None = None
    # Check-ins missed by less than this (downtime) are sent late with a note; older ones are recorded missed.
    encore_catchup_hours: float = Field(default=12.0, gt=0, le=24 * 7)
    # Where check-ins for console users go: JSON lines appended to this file (unset: console users get none).
    encore_console_outbox: Path | None = None

    telegram_bot_token: SecretStr | None = None
    telegram_api_url: str = "https://api.telegram.org/bot"
    telegram_webhook_url: str | None = None
    telegram_webhook_secret: SecretStr | None = Field(default=None, validate_default=True)
    telegram_webhook_listen: str = "0.0.0.0"
    telegram_webhook_port: int = Field(default=8443, ge=1, le=65535)
    # Messages per second for this bot token (Telegram allows 30). On PostgreSQL every message takes a turn
    # on one pace shared by all replicas, counted from when its request came back, so at most this many
    # arrive within any second; check-ins leave two of each second to replies. Alone (no shared pace),
    # check-ins keep two under it, replies being unpaced. 1000 (the most, a paid broadcast's) keeps none.
    telegram_messages_per_second: float = Field(default=30.0, gt=0, le=1000)
    # A lower pace for check-ins alone (unset: the bot's), leaving the rest of it to replies.
    encore_checkins_per_second: float | None = Field(default=None, gt=0, le=1000)
    # How long a Telegram update may stay claimed by a process before another one takes it over (the
    # claimer is presumed dead): how soon a replica finishes what a killed one had received.
    encore_inbox_lease_seconds: float = Field(default=30.0, gt=0, le=3600)
    # False: handle Telegram updates straight from Telegram, as before the inbox (a kill loses what was
    # received and not yet handled). For measuring what the inbox costs; keep it on.
    encore_telegram_inbox: bool = True

    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_api_url: str = "https://slack.com/api/"
    slack_port: int = Field(default=3000, ge=0, le=65535)  # 0: any free port (tests)
    slack_listen: str = "0.0.0.0"

    # An optional AI model behind an OpenAI-compatible endpoint (Ollama, vLLM, llama.cpp server, a hosted
    # API). Unset: no model, and nothing about AI appears anywhere.
    encore_llm_base_url: str | None = None
    encore_llm_model: str | None = None
    encore_llm_api_key: SecretStr | None = None
    encore_llm_timeout_s: float = Field(default=30.0, gt=0, le=600)
    # ask: each user is asked once before any of their words are sent; implied: an operator's private,
    # self-hosted instance, where the users have agreed already.
    encore_llm_consent: Literal["ask", "implied"] = "ask"
    encore_llm_provider_name: str | None = None  # who runs the model, named to users; default: the host

    @field_validator("encore_database_url")
    @classmethod
    def _async_driver(cls, url: str) -> str:
        if not (url.startswith("sqlite+aiosqlite://") or url.startswith("postgresql+asyncpg://")):
            raise ValueError(
                "use an async URL: sqlite+aiosqlite:///path/encore.db or postgresql+asyncpg://user@host/db"
            )
        return url

    @field_validator("encore_log_level")
    @classmethod
    def _level(cls, level: str) -> str:
        level = level.upper()
        if level not in ("DEBUG", "INFO", "WARNING", "ERROR"):
            raise ValueError("one of DEBUG, INFO, WARNING, ERROR")
        return level

    @field_validator("encore_encryption_key", "encore_encryption_old_keys")
    @classmethod
    def _fernet_keys(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value().strip():
            return None
        keys = _split_keys(value)
        try:
            Keyring(keys[0] if keys else "", keys[1:])
        except EncryptionError as error:
            raise ValueError(str(error)) from None
        return value

    def keyring(self) -> Keyring | None:
        """The keys that encrypt (the current one) and decrypt (it and the old ones); ``None``: no key."""
        if self.encore_encryption_key is None:
            return None
        old = _split_keys(self.encore_encryption_old_keys) if self.encore_encryption_old_keys else []
        return Keyring(self.encore_encryption_key.get_secret_value(), old)

    def secrets(self) -> dict[str, str]:
        """Every secret configured, as ``{mask: value}`` for the log filter: tokens, keys, the webhook
        secret, the metrics token, and the database password in ``ENCORE_DATABASE_URL``."""
        found: dict[str, str] = {}
        for name in type(self).model_fields:
            value = getattr(self, name)
            if isinstance(value, SecretStr):
                for n, part in enumerate(_split_keys(value)):
                    found[f"<{name.upper()}{'' if n == 0 else f'#{n + 1}'}>"] = part
        password = make_url(self.encore_database_url).password
        if password:
            found["<DATABASE_PASSWORD>"] = str(password)
        return found

    @field_validator("telegram_webhook_url")
    @classmethod
    def _webhook_url(cls, url: str | None) -> str | None:
        if not url:
            return None
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("a full URL such as https://bot.example.com/telegram")
        return url

    @field_validator("encore_llm_base_url")
    @classmethod
    def _llm_base_url(cls, url: str | None) -> str | None:
        if not url or not url.strip():
            return None
        parts = urlsplit(url.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("an OpenAI-compatible base URL such as http://127.0.0.1:11434/v1 (Ollama)")
        return url.strip().rstrip("/")

    @field_validator("encore_llm_model", "encore_llm_provider_name")
    @classmethod
    def _llm_words(cls, value: str | None) -> str | None:
        value = (value or "").strip()
        if len(value) > 200:
            raise ValueError("at most 200 characters")
        return value or None

    @model_validator(mode="after")
    def _llm_needs_url_and_model(self) -> Settings:
        if bool(self.encore_llm_base_url) != bool(self.encore_llm_model):
            raise ValueError(
                "ENCORE_LLM_BASE_URL and ENCORE_LLM_MODEL go together: set both to use a model, or neither"
            )
        return self

    @property
    def llm_enabled(self) -> bool:
        return bool(self.encore_llm_base_url and self.encore_llm_model)

    @property
    def llm_provider(self) -> str:
        """Who runs the model, as users are told: ``ENCORE_LLM_PROVIDER_NAME``, else the base URL's host."""
        return self.encore_llm_provider_name or urlsplit(self.encore_llm_base_url or "").hostname or ""

    @field_validator("encore_webapp_url")
    @classmethod
    def _webapp_url(cls, url: str | None) -> str | None:
        if not url or not url.strip():
            return None
        parts = urlsplit(url.strip())
        if parts.scheme != "https" or not parts.hostname:
            # Telegram opens Mini Apps over HTTPS only.
            raise ValueError("the public HTTPS address of the app, such as https://coach.example.org/app/")
        return url.strip()

    @model_validator(mode="after")
    def _webapp_needs_telegram_and_http(self) -> Settings:
        if self.encore_webapp_url and (not self.telegram_enabled or self.encore_http_port is None):
            raise ValueError(
                "ENCORE_WEBAPP_URL needs TELEGRAM_BOT_TOKEN (people sign in with Telegram) and "
                "ENCORE_HTTP_PORT (the app is served there, under /app/)"
            )
        return self

    @field_validator("telegram_webhook_secret")
    @classmethod
    def _webhook_secret(cls, secret: SecretStr | None, info: ValidationInfo) -> SecretStr | None:
        if secret is not None and not secret.get_secret_value():
            secret = None
        if secret is None:
            if info.data.get("telegram_webhook_url"):
                # Without it anyone who learns the URL could post updates in any user's name.
                raise ValueError("required with TELEGRAM_WEBHOOK_URL, so that only Telegram can post updates")
            return None
        if not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", secret.get_secret_value()):
            raise ValueError("Telegram allows 1 to 256 letters, digits, _ and - in a secret token")
        return secret

    @property
    def telegram_webhook_path(self) -> str:
        """The path PTB's webhook server answers on: the path of ``TELEGRAM_WEBHOOK_URL``."""
        return urlsplit(self.telegram_webhook_url or "").path or "/"

    @property
    def telegram_enabled(self) -> bool:
        return self.telegram_bot_token is not None and bool(self.telegram_bot_token.get_secret_value())

    @property
    def webapp_enabled(self) -> bool:
        """The dashboard app is served, and offered in Telegram (menu button, /progress)."""
        return bool(self.encore_webapp_url) and self.telegram_enabled

    @property
    def slack_enabled(self) -> bool:
        return _filled(self.slack_bot_token) and (
            _filled(self.slack_signing_secret) or _filled(self.slack_app_token)
        )

    @property
    def slack_socket_mode(self) -> bool:
        """An app-level token means Socket Mode: Slack is reached over a WebSocket, no public URL needed."""
        return _filled(self.slack_app_token)


def _filled(secret: SecretStr | None) -> bool:
    return secret is not None and bool(secret.get_secret_value().strip())


def _split_keys(value: SecretStr) -> list[str]:
    return [key.strip() for key in value.get_secret_value().split(",") if key.strip()]
