"""Several ``encore run`` replicas on one PostgreSQL against a fake Telegram that enforces its limits.

Usage::

    python -m bench.replicas --postgres postgresql+asyncpg://postgres@127.0.0.1:5432/test
    python -m bench.replicas --due 3000 --chatters 20 --kill-seconds 60 --kill-users 50   # the defaults

1. Pace: three replicas, a check-in round of ``--due`` users falling due at once, and ``--chatters`` people
   chatting meanwhile, against a fake that refuses (429) more than 30 messages a second for the bot and
   about one a second in a chat. Reports 429s, check-ins sent twice or not at all, and the messages a
   second of all three together while the round ran, as a share of 30.
2. Kills: two replicas; ``--kill-users`` people write notes for ``--kill-seconds`` seconds, each waiting
   for the answer (and, with ``--think``, reading it for 0 to twice that many seconds) before the next;
   every 5 seconds one replica is killed (SIGKILL) and started again. Reports notes kept twice or not at
   all, notes answered twice or never, and how many notes the coach never handled (so a never-answered
   note that was handled lost only its reply).

Each part runs on a private database created on the server and dropped afterwards.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlmodel import func, select

from bench.bench_telegram import migrated_database
from storage.db import Database
from storage.models import DeliveryReceipt, JournalEntry, TelegramInbox
from tests.fakes.telegram_api import FakeTelegram, private_chat, user
from tests.telegram_support import encore_run_env, known_person

ROOT = Path(__file__).resolve().parents[1]
CHECKIN = "Your weekly check-in"
HELP = "Here is what I can do"
KEPT = "Kept in your journal"
LIMIT = 30


async def replica(fake: FakeTelegram, url: str, **extra: str) -> asyncio.subprocess.Process:
    env = encore_run_env(fake, url, **{"ENCORE_LOG_LEVEL": "ERROR", **extra})
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", cwd=ROOT, env=env, stderr=asyncio.subprocess.DEVNULL
    )


async def stop(processes: list[asyncio.subprocess.Process]) -> None:
    for process in processes:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
    await asyncio.gather(*(asyncio.wait_for(p.wait(), 60) for p in processes), return_exceptions=True)


async def enrol(url: str, fake: FakeTelegram, ids: range, due: datetime | None) -> None:
    """People who have talked to the bot before; ``due``: their weekly check-in fell due then."""
    database = Database(url)
    async with database.session() as session:
        for telegram_id in ids:
            chat = private_chat(user(telegram_id, f"U{telegram_id}"))
            fake.chats[telegram_id] = chat
            person = await known_person(session, telegram_id, datetime.now(UTC) - timedelta(days=1))
            if due is not None:
                person.checkin_weekday, person.checkin_hour = due.weekday(), due.hour
                person.checkin_minute, person.next_checkin_at = due.minute, due
    await database.dispose()


async def wait_for_reply(fake: FakeTelegram, chat_id: int, words: str, before: int, timeout: float) -> bool:
    try:
        await fake.wait_for(
            lambda: sum(words in m.text for m in fake.messages(chat_id)) > before, timeout=timeout
        )
        return True
    except TimeoutError:
        return False


# -- 1. one pace for three replicas -----------------------------------------------------------------------
async def pace(server: str, due_count: int, chatters: int) -> str:
    async with migrated_database(server) as url, FakeTelegram() as fake:
        fake.limit(per_second=LIMIT, per_chat=1)
        due_ids = range(5_000_000, 5_000_000 + due_count)
        chat_ids = range(6_000_000, 6_000_000 + chatters)
        due_at = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(minutes=1)
        await enrol(url, fake, due_ids, due_at)
        await enrol(url, fake, chat_ids, None)
        processes = [await replica(fake, url) for _ in range(3)]
        answered = Counter[str]()
        done = asyncio.Event()

        async def chat(telegram_id: int) -> None:
            person, chat = user(telegram_id, f"U{telegram_id}"), fake.chats[telegram_id]
            while not done.is_set():
                before = sum(HELP in m.text for m in fake.messages(telegram_id))
                fake.add_update(fake.message(person, chat, "/help"))
                answered["yes" if await wait_for_reply(fake, telegram_id, HELP, before, 30) else "no"] += 1
                await asyncio.sleep(2.0)  # a person reads before writing again

        round_: dict[str, tuple[float, int]] = {}  # "first"/"last" check-in: (when, messages sent by then)

        async def watch() -> None:
            while True:
                reached = sum(bool(fake.sent.get(i)) for i in due_ids)
                total = sum(len(messages) for messages in fake.sent.values())
                if reached and "first" not in round_:
                    round_["first"] = (time.monotonic(), total)
                if reached == due_count:
                    round_["last"] = (time.monotonic(), total)
                    return
                await asyncio.sleep(0.05)

        talking = [asyncio.create_task(chat(telegram_id)) for telegram_id in chat_ids]
        try:
            await asyncio.wait_for(watch(), timeout=due_count / 20 + 120)
            await asyncio.sleep(5)  # anything sent twice would come now
        finally:
            done.set()
            await asyncio.gather(*talking, return_exceptions=True)
            await stop(processes)
        checkins = Counter(sum(CHECKIN in m.text for m in fake.messages(i)) for i in due_ids)
        (began, sent_before), (ended, sent_after) = round_["first"], round_["last"]
        seconds = max(ended - began, 0.001)
        in_round = sent_after - sent_before
        share = in_round / seconds / LIMIT
        return (
            f"pace: 3 replicas, {due_count} check-ins due + {chatters} people chatting: "
            f"{fake.too_many} x 429 ({Counter(r.split()[0] for r in fake.refusals)}); check-ins once {checkins[1]}, twice or more "
            f"{sum(n for k, n in checkins.items() if k > 1)}, none {checkins[0]}; "
            f"{in_round} messages in {seconds:.0f} s = {in_round / seconds:.1f}/s = {share:.2f} of {LIMIT}/s; "
            f"chat answers {answered['yes']}, unanswered {answered['no']}"
        )


# -- 2. SIGKILL one of two replicas every 5 s ---------------------------------------------------------------
async def kills(server: str, seconds: float, people: int, think: float) -> str:
    async with migrated_database(server) as url, FakeTelegram() as fake:
        ids = range(7_000_000, 7_000_000 + people)
        await enrol(url, fake, ids, None)
        extra = {"ENCORE_INBOX_LEASE_SECONDS": "2", "TELEGRAM_MESSAGES_PER_SECOND": "1000"}
        processes = [await replica(fake, url, **extra) for _ in range(2)]
        written: list[str] = []
        updates: list[int] = []  # the update id of every note
        notes_of: Counter[int] = Counter()
        unanswered: list[str] = []
        ends = time.monotonic() + seconds

        async def write(telegram_id: int) -> None:
            person, chat = user(telegram_id, f"U{telegram_id}"), fake.chats[telegram_id]
            n = 0
            while time.monotonic() < ends:
                note = f"Note {n} of {telegram_id}: the storage array needs a second controller soon."
                before = sum(KEPT in m.text for m in fake.messages(telegram_id))
                updates.append(fake.add_update(fake.message(person, chat, note)))
                written.append(note)
                notes_of[telegram_id] += 1
                if not await wait_for_reply(fake, telegram_id, KEPT, before, 15):
                    unanswered.append(note)
                n += 1
                await asyncio.sleep(random.uniform(0, 2 * think))  # reading the answer, if a person

        async def killer() -> int:
            killed = 0
            while time.monotonic() < ends - 5:
                await asyncio.sleep(5)
                victim = processes[killed % 2]
                victim.kill()
                await victim.wait()
                processes[killed % 2] = await replica(fake, url, **extra)
                killed += 1
            return killed

        try:
            results = await asyncio.gather(killer(), *(write(i) for i in ids))
            await asyncio.sleep(10)  # what the last kill left in the inbox is taken over
        finally:
            await stop(processes)
        database = Database(url)
        async with database.session() as session:
            kept = Counter(str(a) for a in (await session.execute(select(JournalEntry.answer))).scalars())
            # A receipt's key is "telegram:<bot id>:<update id>": the updates the coach handled.
            keys = (await session.execute(select(DeliveryReceipt.key))).scalars()
            handled = {int(key.rsplit(":", 1)[1]) for key in keys}
            left = (await session.execute(select(func.count()).select_from(TelegramInbox))).scalar_one()
        await database.dispose()
        # Per person, answers ("Kept in your journal") against notes written: more is a note answered twice,
        # fewer a note never answered.
        surplus = [sum(KEPT in m.text for m in fake.messages(i)) - notes_of[i] for i in ids]
        twice = sum(1 for note in written if kept[note] > 1)
        lost = sum(1 for note in written if kept[note] == 0)
        doubled_answers = sum(n for n in surplus if n > 0)
        never = sum(-n for n in surplus if n < 0)
        # Notes the coach never handled: a note never answered but handled lost only its reply (between
        # the event's commit and the send).
        unseen = sum(1 for update_id in updates if update_id not in handled)
        return (
            f"kills: {results[0]} SIGKILLs in {seconds:.0f} s, {people} people, {len(written)} notes: kept twice "
            f"{twice}, never kept {lost}; answered twice {doubled_answers}, never answered {never} "
            f"({len(unanswered)} waited over 15 s; {unseen} notes never handled, {left} left in the inbox)"
        )


async def main(args: argparse.Namespace) -> int:
    if not args.postgres:
        print("needs PostgreSQL: --postgres URL or ENCORE_TEST_DATABASE_URL")
        return 2
    if args.part in ("all", "pace"):
        print(await pace(args.postgres, args.due, args.chatters), flush=True)
    if args.part in ("all", "kills"):
        print(await kills(args.postgres, args.kill_seconds, args.kill_users, args.think), flush=True)
    return 0


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--due", type=int, default=3000, help="check-ins due at once (3000)")
    parser.add_argument("--chatters", type=int, default=20, help="people chatting during the round (20)")
    parser.add_argument("--kill-seconds", type=float, default=60.0, help="length of the kill run (60)")
    parser.add_argument("--kill-users", type=int, default=50, help="people writing in the kill run (50)")
    parser.add_argument(
        "--think", type=float, default=0.0, help="kills: mean seconds a person reads an answer (0: none)"
    )
    parser.add_argument("--part", choices=("all", "pace", "kills"), default="all")
    parser.add_argument("--postgres", default=os.environ.get("ENCORE_TEST_DATABASE_URL", ""))
    return parser.parse_args()


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main(parse_args())))
