"""An OpenAI-compatible chat model: ``POST {base}/chat/completions``, streamed when the server streams.

The ``openai`` SDK is the common client of Ollama, vLLM, llama.cpp server and hosted APIs. The coach only
sees :class:`ChatModel`, so tests and benchmarks can point the real client at a fake server on loopback.
"""

from __future__ import annotations

import time
from collections.abc import AsyncGenerator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, Protocol, TypedDict, cast

import openai
from openai import AsyncOpenAI
from openai.types.chat import ChatCompletion, ChatCompletionChunk

if TYPE_CHECKING:
    from openai.types.chat import ChatCompletionMessageParam

MAX_TOKENS = 400  # a few sentences; the checker bounds the characters again


class ChatMessage(TypedDict):
    role: Literal["system", "user", "assistant"]
    content: str


class ModelError(Exception):
    """The model could not answer; the message says why in an operator's words (never the user's)."""


class ChatModel(Protocol):
    """A model that answers a conversation, piece by piece."""

    name: str

    def stream(self, messages: Sequence[ChatMessage]) -> AsyncGenerator[str]: ...


class OpenAIChat:
    """``model`` at ``base_url`` (``http://127.0.0.1:11434/v1`` for Ollama); ``api_key`` may be unset for a
    local server; ``timeout`` bounds each HTTP call (the caller bounds the whole answer). No retries: a user
    is waiting, and the curated text is a good answer too."""

    def __init__(self, *, base_url: str, model: str, api_key: str | None, timeout: float) -> None:
        self.name = model
        self.client = AsyncOpenAI(
            base_url=base_url,
            api_key=api_key or "not-needed",  # local servers take any key; the SDK insists on one
            timeout=timeout,
            max_retries=0,
        )
        # The SDK imports its chat resources on first use (a blocking import of a large package): do it
        # now, at start-up, not while the first user waits and everyone else's replies wait behind it.
        self._completions = self.client.chat.completions
        _warm_up()

    async def stream(self, messages: Sequence[ChatMessage]) -> AsyncGenerator[str]:
        """The answer's pieces as they come. Asked to stream, some servers and proxies answer one ordinary
        JSON completion instead: its whole text is then the one piece (the response's type says which)."""
        try:
            async with self._completions.with_streaming_response.create(
                model=self.name,
                messages=cast("list[ChatCompletionMessageParam]", list(messages)),
                stream=True,
                max_tokens=MAX_TOKENS,
                temperature=0.4,
            ) as response:  # cut off (too long, too late) or done: the connection goes back either way
                if not _is_event_stream(response.headers.get("content-type", "")):
                    whole = _whole_answer(await response.read())
                    if whole is not None:
                        if whole:
                            yield whole
                        return
                chunks = await response.parse()  # events, even when mislabelled (read once, parsed here)
                async for chunk in chunks:
                    for choice in chunk.choices:
                        if choice.delta is not None and choice.delta.content:
                            yield choice.delta.content
        except openai.OpenAIError as error:
            raise ModelError(describe(error)) from error

    async def close(self) -> None:
        await self.client.close()


def _warm_up() -> None:
    """Build the SDK's chunk and completion models once (pydantic makes each schema on first use: over
    100 ms of CPU)."""
    ChatCompletionChunk.model_validate(
        {"id": "warm-up", "object": "chat.completion.chunk", "created": 0, "model": "-", "choices": []}
    )
    ChatCompletion.model_validate(
        {"id": "warm-up", "object": "chat.completion", "created": 0, "model": "-", "choices": []}
    )


def _is_event_stream(content_type: str) -> bool:
    return "event-stream" in content_type.lower()


def _whole_answer(body: bytes) -> str | None:
    """The text of a whole (not streamed) chat completion in ``body``; ``None`` if it is not one (then it
    is read as events after all). A completion with no text (a refusal, a tool call) is ``""``."""
    try:
        completion = ChatCompletion.model_validate_json(body)
    except ValueError:  # pydantic's ValidationError, for bytes that are not a completion's JSON
        return None
    return "".join(choice.message.content or "" for choice in completion.choices[:1])


def describe(error: openai.OpenAIError) -> str:
    """What went wrong, for an operator: never a traceback, never the key."""
    if isinstance(error, openai.AuthenticationError | openai.PermissionDeniedError):
        return "the model server refused the API key (check ENCORE_LLM_API_KEY)"
    if isinstance(error, openai.NotFoundError):
        return "the model server does not know this model or path (check ENCORE_LLM_MODEL and ENCORE_LLM_BASE_URL)"
    if isinstance(error, openai.APITimeoutError):
        return "the model server did not answer in time (ENCORE_LLM_TIMEOUT_S)"
    if isinstance(error, openai.APIConnectionError):
        return "the model server could not be reached (check ENCORE_LLM_BASE_URL)"
    if isinstance(error, openai.APIStatusError):
        return f"the model server answered HTTP {error.status_code}"
    return f"the model failed ({type(error).__name__})"


@dataclass(frozen=True, slots=True)
class Probe:
    model: str
    reply: str
    seconds: float


async def probe(model: ChatModel, prompt: str) -> Probe:
    """Ask ``model`` one short question and time it (``encore llm check``); raises :class:`ModelError`."""
    started = time.perf_counter()
    parts = [piece async for piece in model.stream([{"role": "user", "content": prompt}])]
    return Probe(model.name, "".join(parts).strip(), time.perf_counter() - started)
