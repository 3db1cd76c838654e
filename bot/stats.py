"""``encore stats``: an operator's view of Encore in the terminal."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.checkins import LEASE
from bot.settings import Settings
from bot.startup import open_database
from storage import stats
from storage.db import Database


def _percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate:.0%}"


async def collect(database: Database, now: datetime, weeks: int) -> str:
    """The report as text: user counts, a weekly retention table, the check-in answer rate."""
    async with database.session() as session:
        counts = await stats.user_counts(session, now)
        retention = await stats.weekly_retention(session, now, weeks)
        checkins = await stats.checkin_answers(session, now - timedelta(weeks=weeks), now - LEASE)
    lines = [
        f"Encore on {now:%Y-%m-%d %H:%M} UTC",
        "",
        f"Users               {counts.total:>8,}",
        f"Active, last 7 days {counts.active_7_days:>8,}",
        f"Active, last 30 days{counts.active_30_days:>8,}",
        "",
        "Weekly retention: of the users active one week, how many came back the next",
        f"{'week of':<12}{'active':>8}{'came back':>11}{'of':>8}{'retention':>11}",
    ]
    for week in retention:
        current = " (so far)" if week is retention[-1] else ""
        lines.append(
            f"{week.week.isoformat():<12}{week.active:>8,}{week.returned:>11,}{week.previous_active:>8,}"
            f"{_percent(week.rate):>11}{current}"
        )
    lines.append("")
    lines.append(
        f"Check-ins, last {weeks} week{'s' if weeks != 1 else ''}: {checkins.sent:,} sent, "
        f"{checkins.answered:,} answered (answer rate {_percent(checkins.rate)}), "
        f"{checkins.uncertain:,} uncertain"
    )
    if checkins.uncertain:
        lines.append(
            "  uncertain: the request timed out, or the process stopped, after it went out; "
            "it may have arrived, so it is never sent again"
        )
    return "\n".join(lines)


async def show_stats(settings: Settings, *, weeks: int, now: datetime | None = None) -> None:
    # Statistics read no journal text, so they work without the encryption key.
    database = await open_database(settings, check_encryption=False)
    try:
        print(await collect(database, now or datetime.now(UTC), weeks))
    finally:
        await database.dispose()
