"""What logs never hold: a failing statement's parameters (users' words), on any engine; and, even at
DEBUG, the bot token, the webhook secret, Slack's secrets, the metrics token or the encryption key."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import signal
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from urllib.parse import urlencode

import aiohttp
import pytest
from sqlalchemy import text

from bot import logs
from coach.core import Coach
from storage import crypto
from storage.db import Database
from tests.fakes.slack_api import FakeSlackApi
from tests.fakes.telegram_api import TOKEN, FakeTelegram, private_chat, user
from tests.support import Talker, person
from tests.telegram_support import WEBHOOK_SECRET, ChatUser, free_port, running_bot
from tests.test_telegram_run import encore_env, start_encore

PHRASE = "my manager does not know I am leaving in March"
MARKER = "leaving in March"
SLACK_TOKEN = "xoxb-1111-2222-do-not-log-me"
SIGNING_SECRET = "slack-signing-secret-do-not-log"
METRICS_TOKEN = "metrics-token-do-not-log"
KEY = crypto.generate_key()


@pytest.fixture
def captured() -> Iterator[io.StringIO]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    stream = io.StringIO()
    yield stream
    root.handlers[:], root.level = handlers, level


@pytest.fixture
async def refuse_the_phrase(database: Database) -> AsyncIterator[None]:
    """Make the database itself refuse a journal answer holding :data:`MARKER`, as a failing statement."""
    if database.is_sqlite:
        create = [
            "CREATE TRIGGER refuse_marker BEFORE INSERT ON journalentry "
            f"WHEN NEW.answer LIKE '%{MARKER}%' BEGIN SELECT RAISE(ABORT, 'refused by a test trigger'); END"
        ]
        drop = ["DROP TRIGGER refuse_marker"]
    else:
        create = [
            "CREATE FUNCTION refuse_marker() RETURNS trigger AS $$ BEGIN "
            f"IF NEW.answer LIKE '%{MARKER}%' THEN RAISE EXCEPTION 'refused by a test trigger'; END IF; "
            "RETURN NEW; END $$ LANGUAGE plpgsql",
            "CREATE TRIGGER refuse_marker BEFORE INSERT ON journalentry "
            "FOR EACH ROW EXECUTE FUNCTION refuse_marker()",
        ]
        drop = ["DROP TRIGGER refuse_marker ON journalentry", "DROP FUNCTION refuse_marker()"]
    async with database.engine.begin() as connection:
        for statement in create:
            await connection.execute(text(statement))
    yield
    async with database.engine.begin() as connection:
        for statement in drop:
            await connection.execute(text(statement))


@pytest.mark.parametrize("level", ["DEBUG", "INFO"])
async def test_a_failing_statement_never_quotes_what_the_user_wrote(
    level: str, coach: Coach, captured: io.StringIO, refuse_the_phrase: None
) -> None:
    logs.configure(level, "json", stream=captured)
    talker = Talker(coach, person("writer"))
    await talker.command("reflect")
    await talker.say(PHRASE)
    with pytest.raises(Exception) as failure:
        await talker.press("4")  # saving the entry is refused by the database
    logging.getLogger("bot.telegram.handlers").error("could not handle an update", exc_info=failure.value)
    assert "refused by a test trigger" in str(failure.value)
    assert "parameters hidden" in str(failure.value)
    assert MARKER not in str(failure.value)
    written = captured.getvalue()
    assert "refused by a test trigger" in written and MARKER not in written


async def test_through_telegram_a_failing_statement_logs_the_error_not_the_words(
    database: Database, captured: io.StringIO, refuse_the_phrase: None
) -> None:
    logs.configure("INFO", "json", stream=captured)
    async with FakeTelegram() as fake, running_bot(fake, database) as bot:
        writer = ChatUser(bot, 4100)
        await writer.send("/reflect")
        await writer.send(PHRASE)
        await writer.press("4")
        assert "something went wrong" in writer.last.text
    lines = [json.loads(line) for line in captured.getvalue().splitlines()]
    errors = [line for line in lines if line["level"] == "ERROR"]
    assert errors and all("refused by a test trigger" in line.get("exception", "") for line in errors)
    assert MARKER not in captured.getvalue()


async def test_at_debug_no_secret_reaches_the_log_of_encore_run(tmp_path: Path) -> None:
    """A real ``encore run`` at DEBUG: Telegram by webhook, Slack over HTTP, metrics with a token."""
    webhook_port, slack_port, http_port = free_port(), free_port(), free_port()
    alice = user(2001, "Alice", "en")
    async with FakeTelegram() as fake, FakeSlackApi().running() as slack:
        env = encore_env(
            fake,
            tmp_path,
            ENCORE_LOG_LEVEL="DEBUG",
            ENCORE_LOG_FORMAT="text",
            ENCORE_ENCRYPTION_KEY=KEY,
            ENCORE_HTTP_PORT=str(http_port),
            ENCORE_HTTP_LISTEN="127.0.0.1",
            ENCORE_METRICS_TOKEN=METRICS_TOKEN,
            TELEGRAM_WEBHOOK_URL=f"http://127.0.0.1:{webhook_port}/telegram/hook",
            TELEGRAM_WEBHOOK_SECRET=WEBHOOK_SECRET,
            TELEGRAM_WEBHOOK_LISTEN="127.0.0.1",
            TELEGRAM_WEBHOOK_PORT=str(webhook_port),
            SLACK_BOT_TOKEN=SLACK_TOKEN,
            SLACK_SIGNING_SECRET=SIGNING_SECRET,
            SLACK_API_URL=slack.base_url,
            SLACK_PORT=str(slack_port),
            SLACK_LISTEN="127.0.0.1",
        )
        process = await start_encore(env, tmp_path)
        try:
            await fake.wait_for(lambda: fake.webhook is not None, timeout=60)
            await fake.handed_over(fake.add_update(fake.message(alice, private_chat(alice), "/start")))
            await fake.wait_for(lambda: len(fake.messages(2001)) >= 1)
            await _slack_command(slack_port)
            await slack.wait_for("chat.postMessage")
            await _scrape(http_port)
            process.send_signal(signal.SIGTERM)
            out, err = await asyncio.wait_for(process.communicate(), 30)
        finally:
            if process.returncode is None:
                process.kill()
                await process.wait()
    log = (out + err).decode()
    assert process.returncode == 0, log[-3000:]
    assert "DEBUG" in log and "serving its webhook" in log  # the whole run was logged, at DEBUG
    secrets = [TOKEN, TOKEN.split(":")[1], WEBHOOK_SECRET, SLACK_TOKEN, SIGNING_SECRET, METRICS_TOKEN, KEY]
    leaked = [secret for secret in secrets if secret in log]
    print(f"log bytes at DEBUG: {len(log)}; secrets found: {len(leaked)}")
    assert leaked == []


async def _slack_command(port: int) -> None:
    from slack_sdk.signature import SignatureVerifier

    body = urlencode(
        {
            "command": "/coach",
            "text": "help",
            "team_id": "T1",
            "user_id": "U1",
            "channel_id": "DU1",
            "response_url": "http://127.0.0.1:1/respond",
            "trigger_id": "t1",
        }
    )
    stamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": SignatureVerifier(SIGNING_SECRET).generate_signature(timestamp=stamp, body=body),
    }
    async with aiohttp.ClientSession() as http:
        async with http.post(f"http://127.0.0.1:{port}/slack/events", data=body, headers=headers) as response:
            assert response.status == 200


async def _scrape(port: int) -> None:
    async with aiohttp.ClientSession() as http:
        bearer = {"Authorization": f"Bearer {METRICS_TOKEN}"}
        async with http.get(f"http://127.0.0.1:{port}/metrics", headers=bearer) as response:
            assert response.status == 200


def test_every_configured_secret_is_masked_in_messages_and_tracebacks(captured: io.StringIO) -> None:
    from bot.settings import Settings

    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        encore_database_url="postgresql+asyncpg://encore:pg-pass-771@db.internal/encore",
        encore_encryption_old_keys=f"{KEY},{crypto.generate_key()}",
        slack_bot_token=SLACK_TOKEN,
    )
    masks = settings.secrets()
    assert set(masks) == {
        "<DATABASE_PASSWORD>",
        "<ENCORE_ENCRYPTION_OLD_KEYS>",
        "<ENCORE_ENCRYPTION_OLD_KEYS#2>",
        "<SLACK_BOT_TOKEN>",
    }
    logs.configure("DEBUG", "json", stream=captured, secrets=masks)
    try:
        raise ConnectionError(f"cannot reach postgresql://encore:pg-pass-771@db.internal with {SLACK_TOKEN}")
    except ConnectionError:
        logging.getLogger("tests.secrets").exception("old key %s failed", KEY)
    written = captured.getvalue()
    assert "pg-pass-771" not in written and SLACK_TOKEN not in written and KEY not in written
    assert "<DATABASE_PASSWORD>" in written and "<SLACK_BOT_TOKEN>" in written
