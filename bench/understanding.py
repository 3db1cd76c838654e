"""What understanding a message costs, against /help handled in the same process.

Usage::

    python -m bench.understanding          # 20 rounds over the mix; prints p50/p99 per message

Every free-text message goes through :func:`coach.understanding.read_moment` (crisis, quit impulse, quick
log, snooze, question or note), so its cost is added to every text message; the answer readers run only
when a question is asked. /help through ``Coach.handle`` on SQLite is the baseline; free text outside a
flow (kept as a note, or logged as study) is measured through ``Coach.handle`` beside it. The first use of the
place index (GeoNames, built once) and of dateparser (language data loaded once) is reported apart.
"""

from __future__ import annotations

import asyncio
import functools
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

from coach.core import Coach
from coach.messages import Identity, Inbound
from coach.understanding import (
    parse_duration,
    parse_place,
    parse_score,
    parse_time_of_day,
    parse_weekly_time,
    parse_when,
    read_moment,
)
from storage.db import Database
from storage.migrate import upgrade

ROUNDS = int(sys.argv[1]) if len(sys.argv) > 1 else 20
NOW = datetime(2026, 11, 25, 13, 0, tzinfo=UTC)
TODAY = date(2026, 11, 25)

_DIARY_KO = "오늘은 팀 회의가 길었고, 클라우드 이전 프로젝트 이야기를 들었어요. 저도 참여하고 싶다고 말해 볼까 고민 중이에요. "
_DIARY_EN = (
    "Long day. The cloud migration team presented their plan and I asked whether I could join as a reviewer. "
)
MESSAGES = [
    "오늘 2시간 공부했어요",
    "studied 90 minutes",
    "정말 내일 사표 내고 싶습니다",
    "I was passed over AGAIN… I want to quit tomorrow. How do I hand in my resignation?",
    "사표 낼까 봐요",
    "죽을 만큼 바빠요",
    "this deadline is killing me",
    "다음 주에",
    "skip this week",
    "remind me tomorrow",
    "how do I change my check-in time?",
    "뭐 할 수 있어?",
    "오늘 팀장님이 제 보고서를 칭찬했어요",
    "Had a good talk with a cloud architect at lunch",
    "AWS 자격증이 좋을까 GCP가 좋을까",
    "ㅋㅋㅋ",
    "😀",
    "ok",
    "네",
    "mixed 한국어 and English 문장이에요",
    _DIARY_KO * 4,
    _DIARY_EN * 4,
    _DIARY_KO * 25,
    _DIARY_EN * 30,
]
HUGE = ("오늘 회의가 길었어요. " * 800)[:10_000]  # bad input, not traffic: measured on its own
ANSWERS: list[Callable[[], object]] = [
    lambda: parse_time_of_day("밤 9시"),
    lambda: parse_time_of_day("9pm"),
    lambda: parse_weekly_time("화요일 밤 9시"),
    lambda: parse_weekly_time("Tuesdays at 9"),
    lambda: parse_duration("6 hours a week"),
    lambda: parse_duration("한 시간 반"),
    lambda: parse_when("4개월 안에", today=TODAY),
    lambda: parse_when("June 13, 2027", today=TODAY),
    lambda: parse_when("2032년 6월", today=TODAY),
    lambda: parse_place("부산", now=NOW),
    lambda: parse_place("Busan", now=NOW),
    lambda: parse_score("780점"),
]


def _percentiles(samples: list[float]) -> tuple[float, float]:
    """Median and 99th percentile."""
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]


Sample = tuple[float, float]  # (wall seconds, this thread's CPU seconds)


def _timed(action: Callable[[], object], rounds: int) -> list[Sample]:
    samples = []
    for _round in range(rounds):
        wall, cpu = time.perf_counter(), time.thread_time()
        action()
        samples.append((time.perf_counter() - wall, time.thread_time() - cpu))
    return samples


def _once(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


async def _handle_samples(rounds: int) -> dict[str, list[Sample]]:
    """/help, and free text outside a flow, through ``Coach.handle`` on SQLite, interleaved."""
    with tempfile.TemporaryDirectory() as folder:
        database = Database(f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}")
        await upgrade(database)
        coach = Coach(database, clock=lambda: NOW)
        who = Identity("console", user_id="bench", chat_id="bench", language="ko")
        for command, text in (("start", None), ("cancel", None), ("study", None), (None, "SAA-C03")):
            await coach.handle(Inbound(who, command=command, text=text))
        for text in ("2027-06-13", "5"):
            await coach.handle(Inbound(who, text=text))
        await coach.handle(Inbound(who, command="cancel"))
        samples: dict[str, list[Sample]] = {"help": [], "note": [], "log": []}
        for round_ in range(rounds):
            events = {
                "help": Inbound(who, command="help"),
                "note": Inbound(who, text="오늘 팀장님이 제 보고서를 칭찬했어요"),
                # hours that differ from the last log's: a new log, not a repeat to ask about
                "log": Inbound(who, text=f"오늘 {round_ % 5 + 1}시간 공부했어요"),
            }
            for name, inbound in events.items():
                wall, cpu = time.perf_counter(), time.thread_time()
                await coach.handle(inbound)
                samples[name].append((time.perf_counter() - wall, time.thread_time() - cpu))
        await database.dispose()
    return samples


async def main() -> None:
    cold_places = _once(lambda: parse_place("Daegu", now=NOW))
    cold_dateparser = _once(lambda: parse_when("next friday", today=TODAY))
    for message in MESSAGES:  # warm: regexes compiled, caches filled
        read_moment(message)
    # CPU time is what a message costs this process; wall time adds whatever else the machine was doing.
    moments = [
        s for _ in range(ROUNDS) for m in MESSAGES for s in _timed(functools.partial(read_moment, m), 1)
    ]
    answers = [s for _ in range(ROUNDS) for a in ANSWERS for s in _timed(a, 1)]
    fallback = _timed(lambda: parse_when("next friday", today=TODAY), ROUNDS * 5)
    huge = _timed(lambda: read_moment(HUGE), ROUNDS * 5)
    handled = await _handle_samples(ROUNDS * 10)
    help_samples = handled["help"]
    rows = {
        f"/help through Coach.handle, SQLite (baseline, {len(help_samples)} events)": help_samples,
        "free text outside a flow, kept as a note (Coach.handle)": handled["note"],
        "a quick log outside a flow, logged with an undo (Coach.handle)": handled["log"],
        f"read_moment, {len(MESSAGES)} messages ko+en, 1 to 3,120 chars ({len(moments)} calls)": moments,
        f"read_moment, one 10,000-character message ({len(huge)} calls)": huge,
        f"answer readers (times, slots, durations, dates, places, scores; {len(answers)} calls)": answers,
        f'a date only dateparser reads ("next friday", {len(fallback)} calls)': fallback,
    }
    help_cpu = _percentiles([cpu for _wall, cpu in help_samples])[0]
    width = max(len(name) for name in rows)
    print(f"{'':<{width}}  wall p50   wall p99    CPU p50    CPU p99  CPU p50, p99 / help CPU p50")
    for name, samples in rows.items():
        wall50, wall99 = _percentiles([wall for wall, _cpu in samples])
        cpu50, cpu99 = _percentiles([cpu for _wall, cpu in samples])
        print(
            f"{name:<{width}}  {wall50 * 1000:6.3f}ms  {wall99 * 1000:7.3f}ms  {cpu50 * 1000:7.3f}ms  "
            f"{cpu99 * 1000:7.3f}ms  {cpu50 / help_cpu:6.3f}×, {cpu99 / help_cpu:6.3f}×"
        )
    print(
        f"first place lookup (GeoNames index built once, in a thread at start-up): {cold_places * 1000:.0f} ms"
    )
    print(f"first dateparser call (language data loaded once): {cold_dateparser * 1000:.0f} ms")


if __name__ == "__main__":
    asyncio.run(main())
