"""The `encore` command as a user runs it: a subprocess, a terminal conversation, clear start-up errors."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def encore(*args: str, env: dict[str, str], stdin: str = "", cwd: Path) -> subprocess.CompletedProcess[str]:
    clean_env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "SLACK_", "ENCORE_"))}
    clean_env.update(env)
    clean_env["PYTHONPATH"] = str(ROOT)
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        env=clean_env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_run_without_tokens_opens_the_console_chat_and_continues_after_a_restart(tmp_path: Path) -> None:
    env = {"ENCORE_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'encore.db'}", "USER": "jiyoung"}
    first = encore(
        "run", env=env, stdin="/start\nInfrastructure engineer at a card company\n/quit\n", cwd=tmp_path
    )
    assert first.returncode == 0, first.stderr
    assert "How many years" in first.stdout
    # The process is gone; a new one continues the same conversation from the database.
    second = encore("chat", env=env, stdin="24\n1\n/quit\n", cwd=tmp_path)
    assert second.returncode == 0, second.stderr
    assert "second career" in second.stdout
    assert "By when" in second.stdout
    assert "INFO" not in second.stderr  # the terminal conversation is not interleaved with log lines


def test_db_upgrade_creates_the_schema(tmp_path: Path) -> None:
    env = {"ENCORE_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'x.db'}"}
    result = encore("db", "upgrade", env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "up to date" in result.stdout
    assert (tmp_path / "x.db").exists()


def test_database_in_a_read_only_folder_is_a_clear_error(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        env = {"ENCORE_DATABASE_URL": f"sqlite+aiosqlite:///{locked / 'encore.db'}"}
        result = encore("chat", env=env, stdin="/quit\n", cwd=tmp_path)
    finally:
        locked.chmod(0o755)
    assert result.returncode != 0
    assert "read-only" in result.stderr and "ENCORE_DATABASE_URL" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_bad_config_value_is_a_clear_error(tmp_path: Path) -> None:
    result = encore(
        "chat", env={"ENCORE_DATABASE_URL": "mysql://nope", "TELEGRAM_WEBHOOK_PORT": "99999"}, cwd=tmp_path
    )
    assert result.returncode == 2
    assert "ENCORE_DATABASE_URL" in result.stderr and "TELEGRAM_WEBHOOK_PORT" in result.stderr
    assert "Traceback" not in result.stderr
