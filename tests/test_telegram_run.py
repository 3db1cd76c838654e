"""``encore run`` with Telegram configured, as an operator starts it: a real process against the fake API."""

from __future__ import annotations

import asyncio
import re
import signal
import sys
from pathlib import Path

import pytest

from bot.cli import main
from bot.startup import StartError
from bot.telegram import TelegramAdapter
from coach.core import Coach
from storage.db import Database
from tests.fakes.telegram_api import TOKEN, FakeTelegram, private_chat, user
from tests.telegram_support import encore_run_env, free_port, telegram_settings

ROOT = Path(__file__).resolve().parents[1]


def encore_env(fake: FakeTelegram, tmp_path: Path, **extra: str) -> dict[str, str]:
    return encore_run_env(fake, f"sqlite+aiosqlite:///{tmp_path / 'encore.db'}", **extra)


async def start_encore(env: dict[str, str], cwd: Path) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        cwd=cwd,  # no .env from the developer's checkout
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def test_encore_run_answers_and_sigterm_finishes_the_update_in_hand(tmp_path: Path) -> None:
    alice = user(1001, "Alice", "en")
    chat = private_chat(alice)
    async with FakeTelegram() as fake:
        process = await start_encore(encore_env(fake, tmp_path, ENCORE_LOG_LEVEL="DEBUG"), tmp_path)
        try:
            await fake.wait_for(lambda: bool(fake.calls_to("getUpdates")), timeout=60)
            await fake.handed_over(fake.add_update(fake.message(alice, chat, "/start")))
            await fake.wait_for(lambda: len(fake.messages(1001)) == 2)
            fake.hold("sendMessage", 0.3)  # slow replies, so the signal lands mid-update
            fake.add_update(fake.message(alice, chat, "Head of branch operations, planning a quiet exit"))
            await fake.wait_for(lambda: len(fake.calls_to("sendMessage")) == 3)
            process.send_signal(signal.SIGTERM)
            out, err = await asyncio.wait_for(process.communicate(), 30)
        finally:
            if process.returncode is None:
                process.kill()
                await process.wait()
    log = (out + err).decode()
    assert process.returncode == 0, log
    assert "How many years" in fake.messages(1001)[-1].text  # the update in hand was finished
    assert fake.calls_to("getUpdates")[-1].params["timeout"] == 0  # taken updates were confirmed
    assert "polling for updates" in log and "stopped by signal" in log  # the log was captured
    assert TOKEN not in log and TOKEN.split(":")[1] not in log
    above_debug = [line for line in log.splitlines() if re.search(r" (INFO|WARNING|ERROR|CRITICAL) ", line)]
    assert not [line for line in above_debug if "quiet exit" in line or "/start" in line]


async def test_a_rejected_token_stops_encore_run_with_a_clear_message(tmp_path: Path) -> None:
    async with FakeTelegram(token="1:the-right-one") as fake:
        process = await start_encore(encore_env(fake, tmp_path), tmp_path)
        out, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 2  # an operator's configuration error, not a crash
    assert "Telegram rejected TELEGRAM_BOT_TOKEN" in err.decode()
    assert "Traceback" not in err.decode()
    assert TOKEN.split(":")[1] not in (out + err).decode()
    assert [call.method for call in fake.calls] == ["getMe"]


@pytest.mark.parametrize(
    ("environment", "complaint"),
    [
        ({"TELEGRAM_WEBHOOK_URL": "https://bot.example.com/telegram"}, "TELEGRAM_WEBHOOK_SECRET"),
        (
            {
                "TELEGRAM_WEBHOOK_URL": "https://bot.example.com/telegram",
                "TELEGRAM_WEBHOOK_SECRET": "has spaces",
            },
            "TELEGRAM_WEBHOOK_SECRET",
        ),
        (
            {"TELEGRAM_WEBHOOK_URL": "bot.example.com/telegram", "TELEGRAM_WEBHOOK_SECRET": "ok"},
            "TELEGRAM_WEBHOOK_URL",
        ),
    ],
)
def test_webhook_settings_are_checked_before_anything_starts(
    environment: dict[str, str],
    complaint: str,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    assert main(["run"]) == 2
    error = capsys.readouterr().err
    assert complaint in error and TOKEN not in error


async def test_start_failures_say_what_to_check_and_never_quote_the_token(database: Database) -> None:
    async with FakeTelegram() as fake:
        fake.fail_next("getMe", status=401)
        adapter = TelegramAdapter(telegram_settings(fake, database.url), Coach(database))
        with pytest.raises(StartError, match="rejected TELEGRAM_BOT_TOKEN") as rejected:
            await adapter.start()
        assert TOKEN not in str(rejected.value) and rejected.value.__cause__ is None
        gone = telegram_settings(fake, database.url, telegram_api_url=f"http://127.0.0.1:{free_port()}/bot")
        with pytest.raises(StartError, match="Could not reach Telegram at http://127.0.0.1"):
            await TelegramAdapter(gone, Coach(database)).start()
