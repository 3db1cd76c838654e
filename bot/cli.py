"""The ``encore`` command.

Usage::

    encore run                 # every configured adapter and the scheduler; none configured: console chat
    encore chat                # the console chat
    encore db upgrade          # apply database migrations
    encore nudges send-due     # send the check-ins due now, then exit (for cron; --now to pick the instant)
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import logging
import signal
import sys
from collections.abc import Callable, Coroutine, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import ValidationError
from sqlalchemy.exc import SQLAlchemyError

from bot import logs
from bot.runner import StartError
from bot.settings import Settings
from storage.db import Database, DatabaseError
from storage.migrate import upgrade

log = logging.getLogger("encore")

EXIT_CONFIG = 2


async def open_database(settings: Settings) -> Database:
    """The database, migrated to the newest schema (every start applies pending migrations)."""
    database = Database(settings.encore_database_url)
    try:
        await upgrade(database)
    except (SQLAlchemyError, OSError) as error:
        await database.dispose()
        raise DatabaseError(f"cannot prepare the database ({type(error).__name__}): {error}") from error
    return database


async def _chat(settings: Settings) -> None:
    from bot.console import Console
    from coach.core import Coach

    database = await open_database(settings)
    try:
        await Console(Coach(database)).run()
    finally:
        await database.dispose()


async def _db_upgrade(settings: Settings) -> None:
    database = await open_database(settings)
    await database.dispose()
    print("Database is up to date.")


async def _send_due(settings: Settings, *, now: datetime | None, batch_size: int) -> None:
    """One scheduler tick at ``now`` (default: the current time), through every configured sender."""
    from bot.checkins import CheckinRunner
    from bot.outbox import Outbox
    from bot.runner import build_adapters, build_senders
    from coach.core import Coach

    database = await open_database(settings)
    try:
        # Adapters are built for their senders only: nothing is started, no updates are fetched.
        senders = build_senders(settings, build_adapters(settings, Coach(database)))
        runner = CheckinRunner(
            database,
            Outbox(senders),
            clock=(lambda: now) if now is not None else (lambda: datetime.now(UTC)),
            catchup=timedelta(hours=settings.encore_catchup_hours),
            batch_size=batch_size,
        )
        report = await runner.tick()
        print(f"Check-ins: {report.summary()}.")
    finally:
        await database.dispose()


def _instant(text: str) -> datetime:
    """An ISO 8601 instant with its UTC offset (``2027-03-28T07:00:00+00:00`` or ``...Z``)."""
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not an ISO 8601 time; write it like 2027-03-28T09:00:00+02:00"
        ) from None
    if value.tzinfo is None:
        raise argparse.ArgumentTypeError(
            f"{text!r} has no UTC offset; add one, like 2027-03-28T09:00:00+02:00 or 2027-03-28T07:00:00Z"
        )
    return value.astimezone(UTC)


async def _run(settings: Settings) -> None:
    if not (settings.telegram_enabled or settings.slack_enabled):
        log.info("no platform tokens configured: starting the console chat")
        await _chat(settings)
        return
    from bot.runner import run_services

    await run_services(settings)


def _serve(main: Callable[[Settings], Coroutine[Any, Any, None]], settings: Settings) -> int:
    """Run ``main`` until it ends or SIGTERM/SIGINT arrives; a signal is a clean stop (exit 0)."""

    async def guarded() -> None:
        task = asyncio.current_task()
        loop = asyncio.get_running_loop()
        assert task is not None
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, task.cancel)
        try:
            await main(settings)
        except asyncio.CancelledError:
            log.info("stopped by signal")

    try:
        asyncio.run(guarded())
    except (DatabaseError, StartError) as error:
        print(f"encore: {error}", file=sys.stderr)
        return EXIT_CONFIG
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="encore", description="Encore, a career coach in chat.")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("run", help="run every configured adapter and the scheduler")
    commands.add_parser("chat", help="talk to the coach in this terminal")
    db = commands.add_parser("db", help="database maintenance")
    db_commands = db.add_subparsers(dest="db_command", required=True)
    db_commands.add_parser("upgrade", help="apply pending migrations")
    nudges = commands.add_parser("nudges", help="weekly check-ins")
    nudge_commands = nudges.add_subparsers(dest="nudges_command", required=True)
    send_due = nudge_commands.add_parser("send-due", help="send the check-ins due now, then exit")
    send_due.add_argument(
        "--now", type=_instant, default=None, help="act as if it were this instant (ISO 8601 with offset)"
    )
    send_due.add_argument(
        "--batch-size", type=int, default=1000, help="users claimed per transaction (default 1000)"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = Settings()
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']).upper()}: {e['msg']}" for e in error.errors()
        )
        print(f"encore: configuration error: {problems}", file=sys.stderr)
        return EXIT_CONFIG
    interactive = args.command == "chat" or (
        args.command == "run" and not (settings.telegram_enabled or settings.slack_enabled)
    )
    # In the console chat, INFO lines would interleave with the conversation on the same terminal.
    logs.configure(
        "WARNING" if interactive and settings.encore_log_level == "INFO" else settings.encore_log_level
    )
    if args.command == "chat":
        return _serve(_chat, settings)
    if args.command == "db":
        return _serve(_db_upgrade, settings)
    if args.command == "nudges":
        if not 1 <= args.batch_size <= 5000:
            print("encore: --batch-size must be from 1 to 5000", file=sys.stderr)
            return EXIT_CONFIG
        return _serve(functools.partial(_send_due, now=args.now, batch_size=args.batch_size), settings)
    return _serve(_run, settings)


if __name__ == "__main__":
    sys.exit(main())
