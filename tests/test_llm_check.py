"""``encore llm check`` and the model's settings, as an operator meets them: a subprocess, clear errors."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.llm import ai_services
from bot.settings import Settings
from coach.ai.assistant import SERVICE, Assistant
from tests.fakes.openai_api import MODEL, Behaviour, FakeOpenAI

ROOT = Path(__file__).resolve().parents[1]


async def encore(*args: str, env: dict[str, str], cwd: Path) -> tuple[int, str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "SLACK_", "ENCORE_"))}
    clean |= env | {"PYTHONPATH": str(ROOT)}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", *args, env=clean, cwd=cwd, stdout=-1, stderr=-1
    )
    out, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


def llm_env(base_url: str, **extra: str) -> dict[str, str]:
    return {"ENCORE_LLM_BASE_URL": base_url, "ENCORE_LLM_MODEL": MODEL, **extra}


async def test_llm_check_prints_the_model_a_reply_and_its_latency(tmp_path: Path) -> None:
    async with FakeOpenAI(Behaviour(text="Hello! 안녕하세요!")) as fake:
        code, out, err = await encore("llm", "check", env=llm_env(fake.base_url), cwd=tmp_path)
    assert code == 0, err
    assert f"model:    {MODEL} at {fake.base_url} (run by 127.0.0.1)" in out
    assert "reply:    Hello! 안녕하세요!" in out
    assert "latency:" in out and " s" in out
    assert fake.requests[0]["model"] == MODEL and fake.requests[0]["stream"] is True


async def test_llm_check_accepts_a_server_that_answers_without_streaming(tmp_path: Path) -> None:
    async with FakeOpenAI(Behaviour(text="Hello! 안녕하세요!", whole=True)) as fake:
        code, out, err = await encore("llm", "check", env=llm_env(fake.base_url), cwd=tmp_path)
    assert code == 0, err
    assert "reply:    Hello! 안녕하세요!" in out


async def test_a_wrong_key_and_an_unreachable_server_are_clear_errors(tmp_path: Path) -> None:
    async with FakeOpenAI(Behaviour(api_key="right-key")) as fake:
        env = llm_env(fake.base_url, ENCORE_LLM_API_KEY="wrong-key")
        code, out, err = await encore("llm", "check", env=env, cwd=tmp_path)
    assert code == 1 and "refused the API key" in err and "ENCORE_LLM_API_KEY" in err
    assert "Traceback" not in err and "wrong-key" not in err + out

    code, _out, err = await encore("llm", "check", env=llm_env("http://127.0.0.1:9/v1"), cwd=tmp_path)
    assert code == 1 and "could not be reached" in err and "Traceback" not in err


async def test_a_server_error_and_no_model_configured(tmp_path: Path) -> None:
    async with FakeOpenAI(Behaviour(status=500)) as fake:
        code, _out, err = await encore("llm", "check", env=llm_env(fake.base_url), cwd=tmp_path)
    assert code == 1 and "HTTP 500" in err
    code, _out, err = await encore("llm", "check", env={}, cwd=tmp_path)
    assert code == 1 and "no model configured" in err


async def test_bad_model_settings_stop_the_start_with_a_clear_message(tmp_path: Path) -> None:
    env = {
        "ENCORE_LLM_BASE_URL": "localhost:11434",
        "ENCORE_LLM_MODEL": "qwen2.5",
        "ENCORE_LLM_TIMEOUT_S": "-3",
        "ENCORE_LLM_CONSENT": "maybe",
    }
    code, _out, err = await encore("chat", env=env, cwd=tmp_path)
    assert code == 2 and "Traceback" not in err
    for name in ("ENCORE_LLM_BASE_URL", "ENCORE_LLM_TIMEOUT_S", "ENCORE_LLM_CONSENT"):
        assert name in err


def test_a_url_without_a_model_is_refused_and_the_provider_defaults_to_the_host() -> None:
    with pytest.raises(ValidationError, match="go together"):
        Settings(_env_file=None, encore_llm_base_url="http://127.0.0.1:11434/v1")  # type: ignore[call-arg]
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        encore_llm_base_url="http://gpu-box.lan:11434/v1/",
        encore_llm_model="qwen2.5:14b",
    )
    assert settings.llm_provider == "gpu-box.lan" and settings.encore_llm_consent == "ask"
    assistant = ai_services(settings)[SERVICE]
    assert (
        isinstance(assistant, Assistant) and assistant.seconds == 30 and assistant.provider == "gpu-box.lan"
    )
    assert ai_services(Settings(_env_file=None)) == {}  # type: ignore[call-arg]
    named = Settings(
        _env_file=None,  # type: ignore[call-arg]
        encore_llm_base_url="https://api.example.com/v1",
        encore_llm_model="m",
        encore_llm_provider_name="Example AI (US)",
    )
    assert named.llm_provider == "Example AI (US)"
