"""Limits shared by Encore's own HTTP servers (Slack's endpoint, health and metrics).

A request is refused from its headers whenever they are enough to decide (no credentials, a declared body
over the limit), so a large body is never read into memory; a refusal closes the connection, so whatever
the client still sends is not drained either.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiohttp import web

MAX_BODY_BYTES = 1024 * 1024  # every request Encore serves is far smaller; Telegram's and Slack's too
# aiohttp keeps reading (and dropping) an unread body for 10 s after answering, so that a client still
# sending sees the answer; a refused client has nothing to wait for, so its connection closes at once.
LINGER_SECONDS = 0.0


def refusal(status: int, reason: str, headers: dict[str, str] | None = None) -> web.Response:
    """A short JSON refusal that closes the connection (the rest of the body is never read)."""
    response = web.json_response({"error": reason}, status=status, headers=headers)
    response.force_close()
    return response


def declared_too_large(request: web.Request, limit: int = MAX_BODY_BYTES) -> bool:
    return request.content_length is not None and request.content_length > limit


@web.middleware
async def no_body(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    """For servers whose endpoints take no body: any request that brings one is refused unread (413)."""
    if request.body_exists:
        return refusal(413, "this endpoint takes no request body")
    return await handler(request)
