"""Running a reply's :class:`~coach.messages.Later` part: what every adapter does with a model's answer.

The coach stored the event and built the answer's brief inside ``Coach.handle``; the model is called here,
after the transaction, so a slow model holds no database connection and no other user. Whatever happens —
an error, a refusal, a model that hangs or streams forever — the reply's curated text is sent in the end,
at most ``seconds + GRACE`` after the start.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace

from coach.messages import Reply, Show

log = logging.getLogger(__name__)

GRACE = 1.0  # seconds past the model's own deadline before the adapter stops waiting (the issue allows 2 s in all)


async def settle(reply: Reply, show: Show | None = None) -> Reply:
    """``reply`` as it is to be sent: with the model's checked text, or as it was (its curated text)."""
    later = reply.later
    if later is None:
        return reply
    curated = replace(reply, later=None)

    async def guarded(text: str) -> None:  # drafts come paced by the writer (coach.ai.assistant._read)
        if show is None:
            return
        try:
            await show(text)
        except Exception as error:  # a draft is a courtesy; the final message is what counts
            log.info("could not show a draft of a model answer (%s)", type(error).__name__)

    try:
        async with asyncio.timeout(later.seconds + GRACE):
            text = await later.write(guarded)
    except TimeoutError:
        log.warning("the model answer took longer than %.0f s; the curated reply is sent", later.seconds)
        return curated
    except Exception as error:
        log.warning("the model answer failed (%s); the curated reply is sent", type(error).__name__)
        return curated
    return replace(curated, text=text) if text else curated
