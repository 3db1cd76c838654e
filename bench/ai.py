"""The AI coach's feel and its cost to everyone else, on Telegram.

Usage::

    python -m bench.ai                       # SQLite
    python -m bench.ai --database-url postgresql+asyncpg://postgres@127.0.0.1:5432/test
    python -m bench.ai --delay 1.0 --writers 6 --others 12 --rounds 2

The coach runs as operators run it, ``python -m bot run`` in its own process, polling the fake Bot API
(``tests/fakes``) on 127.0.0.1; in the model run it is configured with ``ENCORE_LLM_*`` pointing at the fake
OpenAI-compatible server, which answers after a fixed delay ``d`` and then streams (consent ``implied``).
With ``--database-url`` (a PostgreSQL server), the coach stores in a private database created on it for
the run and dropped afterwards; otherwise in a fresh SQLite file.
This process hosts the fake Bot API and the simulated users; the fake model server runs in a process of its
own, as a model server does (its streaming would otherwise take turns with the fake Bot API's answers).

Writers send free text (a journal note, which the model answers) on a fixed schedule, one every
``d + 0.6`` s, so both runs get the same messages at the same times; the others meanwhile ask ``/help`` (a
template reply) again and again, 0.1-0.3 s apart. Measured, from the update being queued at the fake Bot API:

- writers: the first visible sign (``sendChatAction``), the first streamed words (``sendMessageDraft``);
- others: their reply (``sendMessage``), in the model run and in a run of the same schedule with no model
  configured (the baseline), back to back in each round; the median round is shown.

Targets: sign p99 < 300 ms; first words p99 < d + 300 ms; others' p99 within 1.2x of the baseline.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import random
import signal
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

from bench.bench_telegram import polling, postgres_database
from tests.fakes.openai_api import MODEL, Behaviour, FakeOpenAI
from tests.fakes.telegram_api import FakeTelegram, private_chat, user
from tests.telegram_support import encore_run_env

ROOT = Path(__file__).resolve().parents[1]
ANSWER = (
    "Mentoring the new cloud team puts you where the work is going. "
    "What would you want them to learn from you first?"
)
SIGN_MS, WORDS_MARGIN_MS, OTHERS_RATIO = 300.0, 300.0, 1.2


class StampedTelegram(FakeTelegram):
    """The fake Bot API, noting when each call arrived."""

    def __init__(self, first_update_id: int = 1) -> None:
        super().__init__(first_update_id=first_update_id)
        self.stamps: list[float] = []

    async def _notify(self) -> None:
        now = time.perf_counter()
        while len(self.stamps) < len(self.calls):
            self.stamps.append(now)
        await super()._notify()

    def first(self, method: str, chat_id: int, after: int) -> float | None:
        for index in range(after, len(self.calls)):
            call = self.calls[index]
            if call.method == method and str(call.params.get("chat_id")) == str(chat_id):
                return self.stamps[index]
        return None


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] * 1000 if ordered else 0.0


@dataclass
class Run:
    signs: list[float] = field(default_factory=list)
    words: list[float] = field(default_factory=list)
    finals: list[float] = field(default_factory=list)
    others: list[float] = field(default_factory=list)


async def turn(fake: StampedTelegram, user_id: int, text: str) -> tuple[int, float]:
    """Send ``text`` as ``user_id``; return once the bot sent its final message, with the call index and
    the instant the update was queued."""
    person = user(user_id, "Bench", "en")
    answered = len(fake.sent[user_id])
    index = len(fake.calls)
    started = time.perf_counter()
    fake.add_update(fake.message(person, private_chat(person), text))
    await fake.wait_for(lambda: len(fake.sent[user_id]) > answered, timeout=60)
    return index, started


async def writer(
    fake: StampedTelegram, user_id: int, args: argparse.Namespace, run: Run, offset: float
) -> None:
    """A note every ``d + 0.6`` seconds, in both runs alike: the same inbound load with and without a model."""
    period = args.delay + 0.6
    began = time.perf_counter() + offset
    for number in range(args.notes):
        await asyncio.sleep(max(0.0, began + number * period - time.perf_counter()))
        index, started = await turn(
            fake, user_id, f"My manager asked me to mentor the new cloud team ({number})."
        )
        sign = fake.first("sendChatAction", user_id, index)
        words = fake.first("sendMessageDraft", user_id, index)
        final = fake.first("sendMessage", user_id, index)
        if sign is not None:
            run.signs.append(sign - started)
        if words is not None:
            run.words.append(words - started)
        if final is not None:
            run.finals.append(final - started)


async def other(
    fake: StampedTelegram, user_id: int, done: asyncio.Event, run: Run, think: random.Random
) -> None:
    await asyncio.sleep(think.uniform(0.0, 0.3))  # people do not all write in the same millisecond
    while not done.is_set():
        index, started = await turn(fake, user_id, "/help")
        final = fake.first("sendMessage", user_id, index)
        if final is not None:
            run.others.append(final - started)
        await asyncio.sleep(think.uniform(0.1, 0.3))


@asynccontextmanager
async def coach_process(fake: FakeTelegram, database_url: str, model_url: str | None) -> AsyncIterator[None]:
    env = encore_run_env(fake, database_url, ENCORE_LOG_LEVEL="WARNING")
    if model_url:
        env |= {"ENCORE_LLM_BASE_URL": model_url, "ENCORE_LLM_MODEL": MODEL, "ENCORE_LLM_CONSENT": "implied"}
    async with polling(fake, ["-m", "bot", "run"], env, "the coach"):
        yield


@asynccontextmanager
async def model_server(args: argparse.Namespace) -> AsyncIterator[str]:
    """The fake model server in a process of its own, as a model server runs: its streaming does not take
    turns in the event loop that serves the fake Bot API and stamps its calls. Yields its base URL."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bench.ai",
        "--serve-model",
        "--delay",
        str(args.delay),
        env={"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(ROOT)},
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
        stderr=-3,
    )
    try:
        assert process.stdout is not None
        yield (await asyncio.wait_for(process.stdout.readline(), 60)).decode().strip()
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
            await asyncio.wait_for(process.wait(), 60)


async def serve_model(delay: float) -> None:
    behaviour = Behaviour(text=ANSWER, delay=delay, piece_chars=16, piece_delay=0.02)
    async with FakeOpenAI(behaviour) as model:
        print(model.base_url, flush=True)
        await asyncio.Event().wait()


async def measure(database_url: str, args: argparse.Namespace, with_model: bool, first: int) -> Run:
    run = Run()
    async with AsyncExitStack() as stack:
        # Update ids go on across runs on one database, as Telegram's do for one bot: the coach takes each
        # update id once, so a run starting again from 1 would find its updates handled already.
        fake = await stack.enter_async_context(StampedTelegram(first_update_id=first))
        model_url = await stack.enter_async_context(model_server(args)) if with_model else None
        async with coach_process(fake, database_url, model_url):
            # Warm up, as every benchmark here does: /help, and one note (the first model answer after a
            # start opens the SDK's connections and code paths, a one-off measured apart in the README).
            await asyncio.gather(*(turn(fake, first - 1 - i, "/help") for i in range(3)))
            await turn(fake, first - 10, "A first note, before the measured run.")
            # `encore run` builds its city index in a thread for its first seconds (see bot.runner); the
            # runs are measured after it, or whichever run starts sooner after the start looks slower.
            await asyncio.sleep(args.settle)
            done = asyncio.Event()
            others = [
                asyncio.create_task(other(fake, first + 1000 + i, done, run, random.Random(i)))
                for i in range(args.others)
            ]
            await asyncio.gather(*(writer(fake, first + i, args, run, i * 0.1) for i in range(args.writers)))
            done.set()
            await asyncio.gather(*others)
    return run


async def main(args: argparse.Namespace) -> int:
    pairs: list[tuple[Run, Run, float]] = []  # (no model, model, ratio of the others' p99) per round
    async with AsyncExitStack() as stack:
        if args.database_url:
            url = await stack.enter_async_context(postgres_database(args.database_url))
        else:
            folder = stack.enter_context(tempfile.TemporaryDirectory())
            url = f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
        for number in range(args.rounds):
            first = 1_000_000 * (number + 1)
            # Back to back, in alternating order, so both runs of a round meet the same machine.
            if number % 2:
                model = await measure(url, args, True, first + 500_000)
                baseline = await measure(url, args, False, first)
            else:
                baseline = await measure(url, args, False, first)
                model = await measure(url, args, True, first + 500_000)
            ratio = percentile(model.others, 99) / max(percentile(baseline.others, 99), 1e-9)
            pairs.append((baseline, model, ratio))
            print(
                f"  round {number + 1}: others p99 {percentile(baseline.others, 99):.1f} ms without a model, "
                f"{percentile(model.others, 99):.1f} ms with one ({ratio:.2f}x)",
                flush=True,
            )
    baseline, model, ratio = sorted(pairs, key=lambda pair: pair[2])[len(pairs) // 2]  # the median round
    d = args.delay * 1000
    print()
    print(
        f"{'PostgreSQL' if args.database_url else 'SQLite'}; model delay d = {d:.0f} ms; {args.writers} writers x {args.notes} notes; {args.others} others asking "
        f"/help; the median of {args.rounds} rounds (by the others' p99 ratio)"
    )
    print(f"{'measure':<42} {'p50 ms':>8} {'p99 ms':>8}  target")
    rows = [
        ("writer: message -> typing (sendChatAction)", model.signs, f"p99 < {SIGN_MS:.0f}"),
        ("writer: message -> first words (draft)", model.words, f"p99 < {d + WORDS_MARGIN_MS:.0f}"),
        ("writer: message -> final answer", model.finals, ""),
        ("others: /help reply, no model configured", baseline.others, ""),
        ("others: /help reply, model answering", model.others, f"p99 <= {OTHERS_RATIO}x baseline"),
    ]
    for name, values, target in rows:
        print(f"{name:<42} {percentile(values, 50):>8.1f} {percentile(values, 99):>8.1f}  {target}")
    print(
        f"others' p99 ratio (model / no model): {ratio:.2f}x; per round: "
        + ", ".join(f"{r:.2f}x" for *_, r in pairs)
    )
    pooled_base = [x for base, _, _ in pairs for x in base.others]
    pooled_model = [x for _, with_model, _ in pairs for x in with_model.others]
    print(
        f"all rounds pooled: others p99 {percentile(pooled_base, 99):.1f} ms without a model, "
        f"{percentile(pooled_model, 99):.1f} ms with one "
        f"({percentile(pooled_model, 99) / max(percentile(pooled_base, 99), 1e-9):.2f}x)"
    )
    met = (
        percentile(model.signs, 99) < SIGN_MS
        and percentile(model.words, 99) < d + WORDS_MARGIN_MS
        and ratio <= OTHERS_RATIO
        and len(model.words) == args.writers * args.notes
    )
    print("targets met" if met else "targets NOT met")
    return 0 if met else 1


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--delay", type=float, default=1.0, help="seconds the model waits before answering (1.0)"
    )
    parser.add_argument("--writers", type=int, default=6, help="users whose notes the model answers (6)")
    parser.add_argument("--notes", type=int, default=8, help="notes per writer (8)")
    parser.add_argument("--others", type=int, default=12, help="users asking /help meanwhile (12)")
    parser.add_argument(
        "--rounds", type=int, default=5, help="rounds of a run without and one with a model (5)"
    )
    parser.add_argument(
        "--database-url", default="", help="a PostgreSQL server URL (default: a fresh SQLite file)"
    )
    parser.add_argument("--serve-model", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument(
        "--settle", type=float, default=5.0, help="seconds after the start before measuring (5)"
    )
    return parser.parse_args()


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING)
    arguments = parse_args()
    if arguments.serve_model:
        asyncio.run(serve_model(arguments.delay))
        raise SystemExit(0)
    raise SystemExit(asyncio.run(main(arguments)))
