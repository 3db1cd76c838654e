"""The ``encore`` command.

Usage::

    encore run                 # every configured adapter and the scheduler; none configured: console chat
    encore chat                # the console chat
    encore db upgrade          # apply database migrations
    encore db vacuum [--full]  # reclaim deleted rows' space (PostgreSQL keeps their bytes until then)
    encore nudges send-due     # send the check-ins due now, then exit (for cron; --now to pick the instant)
    encore stats [--weeks N]   # active users, weekly retention, check-in answers
    encore backup PATH         # consistent copy of the SQLite database, while running
    encore restore PATH        # replace the SQLite database with a backup (stop Encore first)
    encore keys generate       # print a new encryption key
    encore keys rotate         # re-encrypt everything under ENCORE_ENCRYPTION_KEY
    encore healthcheck         # exit 0 when this machine's /healthz answers (for container health checks)
    encore llm check           # ask the configured AI model one question: model, reply, latency
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import logging
import signal
import sys
import urllib.error
import urllib.request
from collections.abc import Callable, Coroutine, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from bot import logs
from bot.lease import holding_lease
from bot.settings import Settings
from bot.startup import StartError, open_database
from storage import crypto
from storage.backup import BackupError
from storage.crypto import EncryptionError
from storage.db import DatabaseError

log = logging.getLogger("encore")

EXIT_CONFIG = 2


async def _chat(settings: Settings) -> None:
    from bot.console import Console
    from bot.llm import ai_services
    from coach import city_zones
    from coach.core import Coach

    database = await open_database(settings)
    warming = asyncio.ensure_future(asyncio.to_thread(city_zones.warm_up))  # see bot.runner
    try:
        async with holding_lease(database, "chat"):
            coach = Coach(database, services=ai_services(settings))
            await Console(coach, outbox=settings.encore_console_outbox).run()
    finally:
        warming.cancel()  # a thread cannot be stopped; this only drops the wait for it
        await database.dispose()


async def _db_upgrade(settings: Settings) -> None:
    database = await open_database(settings)
    await database.dispose()
    print("Database is up to date.")


async def _db_vacuum(settings: Settings, *, full: bool) -> None:
    from storage.maintenance import vacuum

    database = await open_database(settings)
    try:
        tables = await vacuum(database, full=full)
    finally:
        await database.dispose()
    print(f"Vacuumed {len(tables)} tables{' (rewritten in full)' if full else ''}: {', '.join(tables)}.")


async def _send_due(settings: Settings, *, now: datetime | None, batch_size: int) -> None:
    """One scheduler tick at ``now`` (default: the current time), through every configured sender."""
    from bot.checkins import CheckinRunner
    from bot.outbox import Outbox, paces
    from bot.runner import build_adapters, build_senders
    from coach.core import Coach

    database = await open_database(settings)
    try:
        # Adapters are built for their senders only: nothing is started, no updates are fetched.
        senders = build_senders(settings, build_adapters(settings, Coach(database)))
        runner = CheckinRunner(
            database,
            Outbox(
                senders,
                paces=paces(settings.telegram_messages_per_second, settings.encore_checkins_per_second),
            ),
            clock=(lambda: now) if now is not None else (lambda: datetime.now(UTC)),
            catchup=timedelta(hours=settings.encore_catchup_hours),
            batch_size=batch_size,
        )
        async with holding_lease(database, "send-due"):
            report = await runner.tick()
        print(f"Check-ins: {report.summary()}.")
        from bot.reminders import ReminderRunner

        sent = await ReminderRunner(database, runner.outbox, clock=runner.clock).tick()
        print(f"Cooling-off reminders sent: {sent}.")
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


async def _keys_rotate(settings: Settings) -> None:
    if settings.encore_encryption_key is None:
        raise EncryptionError(
            "set ENCORE_ENCRYPTION_KEY to the new key (and the old ones in ENCORE_ENCRYPTION_OLD_KEYS)"
        )
    database = await open_database(settings)
    try:
        rows = await crypto.reencrypt_all(database.engine)
    finally:
        await database.dispose()
    print(f"Re-encrypted {rows} rows with the new key.")
    if settings.encore_encryption_old_keys is not None:
        print(
            "Every row now opens with ENCORE_ENCRYPTION_KEY alone: you can remove ENCORE_ENCRYPTION_OLD_KEYS."
        )


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
    except (DatabaseError, StartError, EncryptionError, BackupError) as error:
        print(f"encore: {error}", file=sys.stderr)
        return EXIT_CONFIG
    return 0


def _healthcheck(settings: Settings, url: str | None) -> int:
    if url is None:
        if settings.encore_http_port is None:
            print("encore: ENCORE_HTTP_PORT is not set, so there is no /healthz to ask", file=sys.stderr)
            return EXIT_CONFIG
        url = f"http://127.0.0.1:{settings.encore_http_port}/healthz"
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            print(response.read().decode())
            return 0
    except (urllib.error.URLError, OSError) as error:
        print(f"encore: unhealthy: {error}", file=sys.stderr)
        return 1


def _llm_check(settings: Settings) -> int:
    from bot.llm import check

    ok, report = asyncio.run(check(settings))
    print(report if ok else f"encore: {report}", file=sys.stdout if ok else sys.stderr)
    return 0 if ok else 1


def _weeks(value: str) -> int:
    if not value.isdecimal() or not 1 <= int(value) <= 52:
        raise argparse.ArgumentTypeError(f"give a number of weeks between 1 and 52, not {value!r}")
    return int(value)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="encore", description="Encore, a career coach in chat.")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("run", help="run every configured adapter and the scheduler")
    commands.add_parser("chat", help="talk to the coach in this terminal")
    db = commands.add_parser("db", help="database maintenance")
    db_commands = db.add_subparsers(dest="db_command", required=True)
    db_commands.add_parser("upgrade", help="apply pending migrations")
    vacuum = db_commands.add_parser("vacuum", help="reclaim the space of deleted rows (after /delete)")
    vacuum.add_argument(
        "--full", action="store_true", help="PostgreSQL: rewrite the tables (locks each while it runs)"
    )
    nudges = commands.add_parser("nudges", help="weekly check-ins")
    nudge_commands = nudges.add_subparsers(dest="nudges_command", required=True)
    send_due = nudge_commands.add_parser("send-due", help="send the check-ins due now, then exit")
    send_due.add_argument(
        "--now", type=_instant, default=None, help="act as if it were this instant (ISO 8601 with offset)"
    )
    send_due.add_argument(
        "--batch-size", type=int, default=1000, help="users claimed per transaction (default 1000)"
    )

    stats = commands.add_parser("stats", help="active users, weekly retention, check-in answer rate")
    stats.add_argument("--weeks", type=_weeks, default=6, metavar="N", help="weeks shown, 1-52 (default 6)")
    backup = commands.add_parser("backup", help="copy the SQLite database consistently, even while running")
    backup.add_argument("path", type=Path, help="where to write the copy")
    backup.add_argument("--force", action="store_true", help="replace PATH if it exists")
    restore = commands.add_parser(
        "restore", help="replace the SQLite database with a backup (stop Encore first)"
    )
    restore.add_argument("path", type=Path, help="the backup to restore")
    keys = commands.add_parser("keys", help="encryption keys for journal text")
    key_commands = keys.add_subparsers(dest="keys_command", required=True)
    key_commands.add_parser("generate", help="print a new key for ENCORE_ENCRYPTION_KEY")
    key_commands.add_parser("rotate", help="re-encrypt every row with ENCORE_ENCRYPTION_KEY")
    llm = commands.add_parser("llm", help="the optional AI model")
    llm_commands = llm.add_subparsers(dest="llm_command", required=True)
    llm_commands.add_parser("check", help="ask the configured model one question: model, reply, latency")
    health = commands.add_parser("healthcheck", help="exit 0 if this machine's /healthz answers")
    health.add_argument("--url", help="ask this URL instead of 127.0.0.1:ENCORE_HTTP_PORT/healthz")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "keys" and args.keys_command == "generate":
        print(crypto.generate_key())
        return 0
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
        "WARNING" if interactive and settings.encore_log_level == "INFO" else settings.encore_log_level,
        settings.encore_log_format,
        secrets=settings.secrets(),
    )
    if args.command == "chat":
        return _serve(_chat, settings)
    if args.command == "db" and args.db_command == "vacuum":
        return _serve(functools.partial(_db_vacuum, full=args.full), settings)
    if args.command == "db":
        return _serve(_db_upgrade, settings)
    if args.command == "nudges":
        if not 1 <= args.batch_size <= 5000:
            print("encore: --batch-size must be from 1 to 5000", file=sys.stderr)
            return EXIT_CONFIG
        return _serve(functools.partial(_send_due, now=args.now, batch_size=args.batch_size), settings)
    if args.command == "stats":
        from bot.stats import show_stats

        return _serve(lambda s: show_stats(s, weeks=args.weeks), settings)
    if args.command == "backup":
        from bot.backup import run_backup

        return _serve(lambda s: run_backup(s, args.path, overwrite=args.force), settings)
    if args.command == "restore":
        from bot.backup import run_restore

        return _serve(lambda s: run_restore(s, args.path), settings)
    if args.command == "keys":
        return _serve(_keys_rotate, settings)
    if args.command == "healthcheck":
        return _healthcheck(settings, args.url)
    if args.command == "llm":
        return _llm_check(settings)
    return _serve(_run, settings)


if __name__ == "__main__":
    sys.exit(main())
