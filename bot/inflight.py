"""Marking check-in slots in flight right before their message goes out, many at once."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime

from storage import nudges as store
from storage.db import Database


class InFlightMarks:
    """Marks slots in flight right before their message goes out, many at once (a group commit).

    Each send waits for its own mark, so the database knows before the platform does; sends that reach
    the front of the pace together share one UPDATE, which keeps an unpaced run fast.
    """

    def __init__(self, database: Database, worker: str, clock: Callable[[], datetime]) -> None:
        self.database = database
        self.worker = worker
        self.clock = clock
        self._waiting: list[tuple[int, bool, asyncio.Future[bool]]] = []
        self._flushing: asyncio.Task[None] | None = None

    async def mark(self, slot_id: int, awaiting: bool) -> bool:
        """True when this worker still holds the slot and it is now marked in flight; ``awaiting``: the
        message expects an answer (so the user's next event counts as one)."""
        future: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._waiting.append((slot_id, awaiting, future))
        if self._flushing is None or self._flushing.done():
            self._flushing = asyncio.ensure_future(self._flush())
        return await future

    async def _flush(self) -> None:
        while self._waiting:
            batch, self._waiting = self._waiting, []
            try:
                async with self.database.session() as session:
                    held = await store.mark_in_flight(
                        session,
                        [slot_id for slot_id, _, _ in batch],
                        self.worker,
                        self.clock(),
                        awaiting=[slot_id for slot_id, awaiting, _ in batch if awaiting],
                    )
            except Exception as error:
                for _, _, future in batch:
                    if not future.done():
                        future.set_exception(error)
                continue
            for slot_id, _, future in batch:
                if not future.done():
                    future.set_result(slot_id in held)
