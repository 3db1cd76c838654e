"""End-to-end Telegram throughput and latency: the coach against an echo bot on the same PTB set-up.

Usage::

    python -m bench.bench_telegram                 # SQLite, and PostgreSQL too if ENCORE_TEST_DATABASE_URL is set
    python -m bench.bench_telegram --postgres postgresql+asyncpg://postgres@127.0.0.1:5432/test
    python -m bench.bench_telegram --users 20 --rounds 3 --cycles 20

The coach runs as operators run it, ``python -m bot run`` in its own process, polling the fake Bot API
from ``tests/fakes`` on 127.0.0.1; the echo bot runs in its own process too, built like the adapter
(same ``Application`` options, same per-user update processor) but answering with no coach behind it.
This process hosts the fake API and the simulated users, so neither bot shares its event loop with them.

Each user waits for the bot's answer before the next message, as a person does. A cycle is ``/reflect``,
two free-text answers and a button press (answer the query, edit the question, send the next message).
Throughput: users typing as fast as answers come, turns per second over the run. Latency: the same users
at a steady rate below Telegram's 30 messages a second per bot, from the update being queued at the fake
to the bot's reply reaching it. The ratio shows what the coach (flows, storage, catalogs) costs on top of
PTB and HTTP.
"""

from __future__ import annotations

import argparse
import asyncio
import html
import logging
import os
import random
import signal
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine
from telegram import Update
from telegram.constants import ParseMode
from telegram.ext import Application, CallbackQueryHandler, ContextTypes, MessageHandler, filters

from bot.telegram.adapter import ALLOWED_UPDATES, MAX_CONCURRENT_UPDATES
from bot.telegram.ordering import PerUserUpdateProcessor
from storage.db import Database
from storage.migrate import upgrade
from tests.fakes.telegram_api import TOKEN, FakeTelegram, Sent, private_chat, user
from tests.telegram_support import encore_run_env

ROOT = Path(__file__).resolve().parents[1]
PRESS = object()
CYCLE: tuple[object, ...] = (
    "/reflect",
    "I ran the bank's data centre for twenty years and know its failure modes by heart.",
    "What I lack is hands-on cloud work; a small project at work would fix that.",
    PRESS,
)
TARGET_RATIO = 0.5
TARGET_P99_MS = 50.0
TARGET_INBOX = 0.9  # chat throughput with the inbox over without it (issue 16)


@dataclass
class Result:
    latencies: list[float]
    seconds: float

    @property
    def throughput(self) -> float:
        return len(self.latencies) / self.seconds

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] * 1000


# -- the echo bot (run in a child process with --serve-echo) ---------------------------------------------
async def serve_echo(api_url: str) -> None:
    """The baseline bot: the adapter's Application options and Bot API calls, no coaching."""

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None and update.message.text is not None
        reply = f"<b>You said</b> {html.escape(update.message.text)}"
        await context.bot.send_message(update.message.chat_id, reply, parse_mode=ParseMode.HTML)

    async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None and query.message is not None
        await query.answer()
        await query.edit_message_text("Pressed ✔︎")
        await context.bot.send_message(query.message.chat.id, "Noted.")

    application = (
        Application.builder()
        .token(TOKEN)
        .base_url(api_url)
        .concurrent_updates(PerUserUpdateProcessor(MAX_CONCURRENT_UPDATES))
        .job_queue(None)
        .build()
    )
    application.add_handler(MessageHandler(filters.TEXT, echo))
    application.add_handler(CallbackQueryHandler(pressed))
    stopped = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stopped.set)
    async with application:
        await application.start()
        assert application.updater is not None
        await application.updater.start_polling(allowed_updates=ALLOWED_UPDATES)
        await stopped.wait()
        await application.updater.stop()
        await application.stop()


# -- simulated users ----------------------------------------------------------------------------------------
async def converse(
    fake: FakeTelegram, user_id: int, cycles: int, latencies: list[float], think: float = 0.0
) -> None:
    """One user's chat: each turn waits for the bot's reply, then about ``think`` seconds."""
    person = user(user_id, "Bench", "en")
    chat = private_chat(person)
    jitter = random.Random(user_id)
    for _ in range(cycles):
        for step in CYCLE:
            if think:
                await asyncio.sleep(think * jitter.uniform(0.5, 1.5))
            if step is PRESS:
                message = _newest_with_buttons(fake.messages(user_id))
                data = message.button("3")["callback_data"] if message.keyboard else "1|echo"
                update, _ = fake.callback(person, message, data)
            else:
                update = fake.message(person, chat, str(step))
            answered = len(fake.sent[user_id])
            started = time.perf_counter()
            fake.add_update(update)
            await fake.wait_for(lambda answered=answered: len(fake.sent[user_id]) > answered, timeout=60)
            latencies.append(time.perf_counter() - started)


def _newest_with_buttons(messages: list[Sent]) -> Sent:
    for message in reversed(messages):
        if message.keyboard:
            return message
    return messages[-1]


async def chat_with(fake: FakeTelegram, users: int, cycles: int, first_user: int, think: float) -> Result:
    latencies: list[float] = []
    began = time.perf_counter()
    await asyncio.gather(*(converse(fake, first_user + i, cycles, latencies, think) for i in range(users)))
    return Result(latencies, time.perf_counter() - began)


@asynccontextmanager
async def bot_process(kind: str, fake: FakeTelegram, database_url: str) -> AsyncIterator[None]:
    """The coach (``python -m bot run``) or the echo bot in a child process, polling ``fake``."""
    # The fake enforces no limit: replies keep no shared pace (which would hold them to Telegram's 30/s).
    env = encore_run_env(fake, database_url, TELEGRAM_MESSAGES_PER_SECOND="1000")
    if kind == "bare":
        env["ENCORE_TELEGRAM_INBOX"] = "false"  # the coach as before the inbox: the inbox's cost
    command = ["-m", "bench.bench_telegram", "--serve-echo"] if kind == "echo" else ["-m", "bot", "run"]
    async with polling(fake, command, env, f"the {kind} bot"):
        yield


@asynccontextmanager
async def polling(
    fake: FakeTelegram, command: list[str], env: dict[str, str], name: str
) -> AsyncIterator[None]:
    """``python <command>`` in a child process with ``env``, from when it first polls ``fake`` until the
    block ends (then stopped as operators stop it, with SIGTERM). Its output is not shown."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        *command,
        env=env,
        cwd=ROOT,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        await fake.wait_for(lambda: bool(fake.calls_to("getUpdates")) or process.returncode is not None, 120)
        if process.returncode is not None:
            raise RuntimeError(f"{name} exited with {process.returncode}")
        yield
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
            await asyncio.wait_for(process.wait(), 60)


async def measure(
    kind: str, database_url: str, args: argparse.Namespace, first_user: int
) -> tuple[Result, Result]:
    """One bot process: a warm-up, a saturated run (throughput) and a paced run (latency)."""
    # One database serves every run; update ids go on across them, as Telegram's do for one bot.
    async with FakeTelegram(first_update_id=first_user) as fake, bot_process(kind, fake, database_url):
        await asyncio.gather(*(converse(fake, first_user - 1 - i, 1, []) for i in range(4)))
        saturated = await chat_with(fake, args.users, args.cycles, first_user, 0.0)
        paced = await chat_with(
            fake, args.users, args.paced_cycles, first_user + 10_000, args.users / args.rate
        )
    return saturated, paced


# -- databases --------------------------------------------------------------------------------------------
@asynccontextmanager
async def postgres_database(server_url: str) -> AsyncIterator[str]:
    """A private database on the server for this run, dropped afterwards (``encore run`` migrates it)."""
    name = f"encore_bench_{uuid.uuid4().hex[:10]}"
    admin = create_async_engine(server_url, isolation_level="AUTOCOMMIT")
    async with admin.connect() as connection:
        await connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        async with admin.connect() as connection:
            await connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await admin.dispose()


@asynccontextmanager
async def migrated_database(server_url: str) -> AsyncIterator[str]:
    """:func:`postgres_database`, migrated to the newest schema before it is handed over."""
    async with postgres_database(server_url) as url:
        database = Database(url)
        await upgrade(database)
        await database.dispose()
        yield url


# -- the run ----------------------------------------------------------------------------------------------
@dataclass
class Comparison:
    database: str
    echo: Result  # saturated: throughput
    coach: Result
    echo_paced: Result  # steady rate: latency
    coach_paced: Result
    bare: Result  # the coach without the inbox, saturated

    @property
    def ratio(self) -> float:
        return self.coach.throughput / self.echo.throughput

    @property
    def inbox_ratio(self) -> float:
        """Throughput with the inbox over throughput without it."""
        return self.coach.throughput / self.bare.throughput


async def compare(label: str, database_url: str, args: argparse.Namespace) -> Comparison:
    """Alternate echo and coach ``rounds`` times; keep each one's best round, the one least disturbed by
    whatever else the machine is doing."""
    runs: dict[str, list[tuple[Result, Result]]] = {"echo": [], "coach": [], "bare": []}
    for number in range(args.rounds):
        for offset, kind in enumerate(runs):
            first_user = 1_000_000 * (number + 1) + 300_000 * offset
            runs[kind].append(await measure(kind, database_url, args, first_user))
        (echo, echo_paced), (coach, coach_paced) = runs["echo"][-1], runs["coach"][-1]
        bare = runs["bare"][-1][0]
        print(
            f"  {label} round {number + 1}: {echo.throughput:.0f} vs {coach.throughput:.0f} turns/s, "
            f"p99 {echo_paced.percentile(99):.1f} vs {coach_paced.percentile(99):.1f} ms (echo vs coach); "
            f"coach without the inbox {bare.throughput:.0f} turns/s",
            flush=True,
        )

    def fastest(kind: str) -> Result:
        return max((saturated for saturated, _ in runs[kind]), key=lambda r: r.throughput)

    def steadiest(kind: str) -> Result:
        return min((paced for _, paced in runs[kind]), key=lambda r: r.percentile(99))

    return Comparison(
        label, fastest("echo"), fastest("coach"), steadiest("echo"), steadiest("coach"), fastest("bare")
    )


def table(rows: list[Comparison], args: argparse.Namespace) -> str:
    lines = [
        f"{'database':<10} {'bot':<6} {'turns/s':>9} {'coach/echo':>11} {'p50 ms':>8} {'p99 ms':>8}",
        "-" * 57,
    ]
    for row in rows:
        for name, saturated, paced, ratio in (
            ("echo", row.echo, row.echo_paced, ""),
            ("coach", row.coach, row.coach_paced, f"{row.ratio:.2f}x"),
        ):
            lines.append(
                f"{row.database:<10} {name:<6} {saturated.throughput:>9.1f} {ratio:>11} "
                f"{paced.percentile(50):>8.1f} {paced.percentile(99):>8.1f}"
            )
    for row in rows:
        lines.append(
            f"{row.database:<10} {'no inbox':<8} {row.bare.throughput:>7.1f} "
            f"{'inbox cost: with/without ' + format(row.inbox_ratio, '.2f') + 'x':>30}"
        )
    turns = args.users * args.cycles * len(CYCLE)
    paced = args.users * args.paced_cycles * len(CYCLE)
    lines.append(
        f"turns/s: {args.users} users answering as fast as replies come ({turns} turns); p50/p99: the same users "
        f"at about {args.rate:g} turns/s in all ({paced} turns). Best of {args.rounds} rounds.\n"
        f"Targets: coach/echo >= {TARGET_RATIO}, coach p99 < {TARGET_P99_MS:.0f} ms on SQLite; "
        f"with/without the inbox >= {TARGET_INBOX} on PostgreSQL."
    )
    return "\n".join(lines)


async def main(args: argparse.Namespace) -> int:
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        rows.append(await compare("SQLite", f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}", args))
    if args.postgres:
        async with postgres_database(args.postgres) as url:
            rows.append(await compare("PostgreSQL", url, args))
    print()
    print(table(rows, args))
    met = rows[0].ratio >= TARGET_RATIO and rows[0].coach_paced.percentile(99) < TARGET_P99_MS
    print("targets met" if met else "targets NOT met")
    return 0 if met else 1


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=int, default=10, help="users chatting at the same time (10)")
    parser.add_argument(
        "--cycles", type=int, default=10, help="reflection cycles of 4 turns per user, throughput runs (10)"
    )
    parser.add_argument(
        "--paced-cycles", type=int, default=5, help="reflection cycles per user, latency runs (5)"
    )
    parser.add_argument("--rate", type=float, default=25.0, help="turns a second in all, latency runs (25)")
    parser.add_argument("--rounds", type=int, default=2, help="alternating echo/coach rounds, best kept (2)")
    parser.add_argument(
        "--postgres",
        default=os.environ.get("ENCORE_TEST_DATABASE_URL", ""),
        help="PostgreSQL server URL (default: ENCORE_TEST_DATABASE_URL)",
    )
    parser.add_argument("--serve-echo", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args()


if __name__ == "__main__":
    arguments = parse_args()
    logging.basicConfig(level=logging.WARNING)
    if arguments.serve_echo:
        asyncio.run(serve_echo(os.environ["TELEGRAM_API_URL"]))
        raise SystemExit(0)
    raise SystemExit(asyncio.run(main(arguments)))
