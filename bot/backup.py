"""``encore backup`` and ``encore restore``: the SQLite file copied safely (see :mod:`storage.backup`)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.settings import Settings
from storage import backup


async def run_backup(settings: Settings, target: Path, *, overwrite: bool) -> None:
    size = await asyncio.to_thread(backup.backup, settings.encore_database_url, target, overwrite=overwrite)
    print(f"Backed up the database to {target} ({size:,} bytes).")


async def run_restore(settings: Settings, source: Path) -> None:
    kept = await asyncio.to_thread(backup.restore, settings.encore_database_url, source)
    print(f"Restored the database from {source}.")
    if kept is not None:
        print(f"The database it replaced was kept at {kept}.")
    print("Start Encore again; it brings an older backup up to the current schema by itself.")
