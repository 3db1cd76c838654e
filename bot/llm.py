"""The operator's AI model, from settings: the coach's ``"ai"`` service and ``encore llm check``."""

from __future__ import annotations

import asyncio

from bot.settings import Settings
from coach.ai.assistant import SERVICE, Assistant
from coach.ai.model import ModelError, OpenAIChat, probe

CHECK_PROMPT = "Say hello in one short sentence, in English and in Korean."


def chat_model(settings: Settings) -> OpenAIChat | None:
    if not settings.llm_enabled:
        return None
    assert settings.encore_llm_base_url and settings.encore_llm_model
    key = settings.encore_llm_api_key.get_secret_value() if settings.encore_llm_api_key else None
    return OpenAIChat(
        base_url=settings.encore_llm_base_url,
        model=settings.encore_llm_model,
        api_key=key,
        timeout=settings.encore_llm_timeout_s,
    )


def ai_services(settings: Settings) -> dict[str, object]:
    """``{"ai": Assistant}`` when a model is configured; nothing otherwise (and nothing about AI shows)."""
    model = chat_model(settings)
    if model is None:
        return {}
    assistant = Assistant(
        model,
        consent=settings.encore_llm_consent,
        provider=settings.llm_provider,
        seconds=settings.encore_llm_timeout_s,
    )
    return {SERVICE: assistant}


async def check(settings: Settings) -> tuple[bool, str]:
    """Ask the configured model one question: ``(True, report)`` or ``(False, what is wrong)``."""
    model = chat_model(settings)
    if model is None:
        return False, "no model configured: set ENCORE_LLM_BASE_URL and ENCORE_LLM_MODEL"
    try:
        async with asyncio.timeout(settings.encore_llm_timeout_s + 1):
            found = await probe(model, CHECK_PROMPT)
    except ModelError as error:
        return False, f"{settings.encore_llm_base_url}: {error}"
    except TimeoutError:
        return (
            False,
            f"{settings.encore_llm_base_url}: no complete answer within {settings.encore_llm_timeout_s:g} s",
        )
    finally:
        await model.close()
    if not found.reply:
        return False, f"{settings.encore_llm_base_url}: model {found.model} answered with nothing"
    return True, "\n".join(
        (
            f"model:    {found.model} at {settings.encore_llm_base_url} (run by {settings.llm_provider})",
            f"reply:    {found.reply[:300]}",
            f"latency:  {found.seconds:.2f} s",
            f"consent:  {settings.encore_llm_consent}",
        )
    )
