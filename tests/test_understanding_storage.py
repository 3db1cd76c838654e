"""Notes in the journal, cooling-off reminders and quick-log helpers in storage (SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from coach.core import Coach
from storage import coaching, cooling_off, journal, users
from storage.db import Database
from storage.erase import erase_user
from storage.models import CoolingOff, JournalEntry, StudyCheckin, StudyGoal
from storage.models.core import QUIT_NOTE
from tests.support import FakeClock, Talker, person

NOW = datetime(2026, 11, 25, 13, 0, tzinfo=UTC)
LEASE = timedelta(minutes=10)


async def _user(database: Database, name: str) -> int:
    async with database.session() as session:
        user, _identity, _new = await users.resolve_identity(
            session,
            platform="console",
            workspace="",
            external_id=name,
            chat_id=name,
            language_code="ko",
            display_name=None,
            timezone="Asia/Seoul",
            now=NOW,
        )
        assert user.id is not None
        return user.id


async def _note(database: Database, user_id: int, text: str, kind: str = QUIT_NOTE) -> int:
    async with database.session() as session:
        note = await journal.add_note(
            session, user_id, text, label="힘든 날 쓴 글", language="ko", now=NOW, kind=kind
        )
        assert note.id is not None
        return note.id


async def test_a_note_is_in_the_journal_but_is_not_a_reflection(database: Database) -> None:
    minsu = await _user(database, "minsu")
    note_id = await _note(database, minsu, "정말 내일 사표 내고 싶습니다", kind="note")
    async with database.session() as session:
        (entry,) = await journal.page_of_entries(session, minsu, offset=0, limit=3)
        assert (entry.id, entry.answer, entry.kind, entry.prompt_text) == (
            note_id,
            "정말 내일 사표 내고 싶습니다",
            "note",
            "힘든 날 쓴 글",
        )
        assert await journal.count_entries(session, minsu) == 1
        assert await journal.answered_prompt_keys(session, minsu) == []
        assert await journal.latest_entry(session, minsu) is None  # the dashboard's "last reflection"


async def test_a_note_can_be_read_and_deleted_by_its_owner_only(database: Database) -> None:
    minsu, bob = await _user(database, "minsu"), await _user(database, "bob")
    note_id = await _note(database, minsu, "사표 낼까 봐요")
    async with database.session() as session:
        assert await journal.get_note(session, bob, note_id) is None
        assert not await journal.delete_note(session, bob, note_id)
        assert (await journal.get_note(session, minsu, note_id)) is not None
    async with database.session() as session:
        assert await journal.delete_note(session, minsu, note_id)
    async with database.session() as session:
        assert await journal.count_entries(session, minsu) == 0


async def test_a_reflection_is_not_a_note_and_cannot_be_deleted_as_one(database: Database) -> None:
    minsu = await _user(database, "minsu")
    async with database.session() as session:
        entry = await journal.add_entry(
            session,
            JournalEntry(
                user_id=minsu, prompt_key="p", theme="t", prompt_text="q", answer="a", created_at=NOW
            ),
        )
        assert entry.kind == "reflection" and entry.id is not None
        assert not await journal.delete_note(session, minsu, entry.id)


async def test_a_reminder_is_claimed_once_even_by_two_schedulers_at_once(database: Database) -> None:
    minsu = await _user(database, "minsu")
    note_id = await _note(database, minsu, "사표 쓰고 싶다")
    async with database.session() as session:
        await cooling_off.schedule_reminder(session, minsu, note_id, due_at=NOW + timedelta(days=3), now=NOW)
    due = NOW + timedelta(days=3, minutes=1)
    async with database.session() as session:
        assert await cooling_off.claim_due(session, NOW, limit=10, worker="early", lease=LEASE) == []

    async def claim(worker: str) -> list[cooling_off.DueReminder]:
        async with database.session() as session:
            return await cooling_off.claim_due(session, due, limit=10, worker=worker, lease=LEASE)

    first, second = await asyncio.gather(claim("a"), claim("b"))
    claimed = first + second
    assert len(claimed) == 1
    (reminder,) = claimed
    assert (reminder.note_text, reminder.user_id) == ("사표 쓰고 싶다", minsu)
    # Within the lease nobody else takes it.
    async with database.session() as session:
        assert await cooling_off.claim_due(session, due + LEASE / 2, limit=10, worker="c", lease=LEASE) == []


async def test_a_claim_that_died_before_sending_is_taken_over_after_its_lease(database: Database) -> None:
    minsu = await _user(database, "minsu")
    note_id = await _note(database, minsu, "때려치고 싶다")
    async with database.session() as session:
        await cooling_off.schedule_reminder(session, minsu, note_id, due_at=NOW, now=NOW)
    async with database.session() as session:
        (dead,) = await cooling_off.claim_due(session, NOW, limit=10, worker="dead", lease=LEASE)
    later = NOW + LEASE + timedelta(seconds=1)
    async with database.session() as session:
        (taken,) = await cooling_off.claim_due(session, later, limit=10, worker="alive", lease=LEASE)
    async with database.session() as session:
        assert await cooling_off.mark_in_flight(session, [dead.reminder_id], "dead") == set()
        assert await cooling_off.mark_in_flight(session, [taken.reminder_id], "alive") == {taken.reminder_id}
    async with database.session() as session:
        await cooling_off.record_sent(session, dead, later)  # the dead claim's late record changes nothing
        await cooling_off.record_sent(session, taken, later)
    async with database.session() as session:
        row = await session.get(CoolingOff, taken.reminder_id)
        assert row is not None and (row.status, row.sent_at, row.action_at) == ("sent", later, None)


async def test_a_reminder_in_flight_is_never_sent_twice(database: Database) -> None:
    minsu = await _user(database, "minsu")
    note_id = await _note(database, minsu, "그만두고 싶어요")
    async with database.session() as session:
        await cooling_off.schedule_reminder(session, minsu, note_id, due_at=NOW, now=NOW)
    async with database.session() as session:
        (claimed,) = await cooling_off.claim_due(session, NOW, limit=10, worker="w", lease=LEASE)
    async with database.session() as session:
        assert await cooling_off.mark_in_flight(session, [claimed.reminder_id], "w") == {claimed.reminder_id}
    # The process dies here, mid-request: whether the message arrived is unknown, so it is not resent.
    async with database.session() as session:
        assert (
            await cooling_off.claim_due(session, NOW + timedelta(days=30), limit=10, worker="x", lease=LEASE)
            == []
        )
        assert not await cooling_off.cancel_reminder(session, minsu, note_id)


async def test_a_failed_send_is_retried_and_asking_again_moves_the_reminder(database: Database) -> None:
    minsu = await _user(database, "minsu")
    note_id = await _note(database, minsu, "퇴사하고 싶어요")
    async with database.session() as session:
        await cooling_off.schedule_reminder(session, minsu, note_id, due_at=NOW, now=NOW)
        await cooling_off.schedule_reminder(session, minsu, note_id, due_at=NOW + timedelta(days=7), now=NOW)
    async with database.session() as session:
        assert (
            await cooling_off.claim_due(session, NOW + timedelta(days=1), limit=10, worker="w", lease=LEASE)
            == []
        )
        (pending,) = await cooling_off.pending_reminders(session, minsu)
        assert pending.due_at == NOW + timedelta(days=7)
    week = NOW + timedelta(days=7)
    async with database.session() as session:
        (claimed,) = await cooling_off.claim_due(session, week, limit=10, worker="w", lease=LEASE)
        await cooling_off.record_retry(session, claimed, at=week + timedelta(minutes=1), reason="error")
    async with database.session() as session:
        (again,) = await cooling_off.claim_due(
            session, week + timedelta(minutes=1), limit=10, worker="w", lease=LEASE
        )
        assert again.attempts == 2


async def test_a_cancelled_reminder_and_a_deleted_note_send_nothing(database: Database) -> None:
    minsu = await _user(database, "minsu")
    first, second = await _note(database, minsu, "사표"), await _note(database, minsu, "때려치")
    async with database.session() as session:
        for note_id in (first, second):
            await cooling_off.schedule_reminder(session, minsu, note_id, due_at=NOW, now=NOW)
    async with database.session() as session:
        assert await cooling_off.cancel_reminder(session, minsu, first)
        assert await journal.delete_note(session, minsu, second)
    async with database.session() as session:
        assert (
            await cooling_off.claim_due(session, NOW + timedelta(days=1), limit=10, worker="w", lease=LEASE)
            == []
        )
        count = await session.execute(select(func.count()).select_from(CoolingOff))
        assert count.scalar_one() == 1  # the deleted note's reminder went with it


async def test_delete_erases_notes_and_reminders_and_export_shows_them(database: Database) -> None:
    coach = Coach(database, clock=FakeClock(NOW))
    minsu = Talker(coach, person("minsu", language="ko"))
    await minsu.command("help")
    async with database.session() as session:
        identity = await users.find_identity(session, "console", "", "minsu")
        assert identity is not None
        user_id = identity.user_id
    note_id = await _note(database, user_id, "정말 내일 사표 내고 싶습니다")
    async with database.session() as session:
        await cooling_off.schedule_reminder(
            session, user_id, note_id, due_at=NOW + timedelta(days=3), now=NOW
        )
    replies = await minsu.command("export")
    files = {r.document.mime_type: r.document.content for r in replies if r.document is not None}
    tables = json.loads(files["application/json"])["tables"]
    assert [row["answer"] for row in tables["journalentry"]] == ["정말 내일 사표 내고 싶습니다"]
    assert [row["note_id"] for row in tables["coolingoff"]] == [note_id]
    markdown = files["text/markdown"].decode()
    assert "힘든 날 쓴 글" in markdown and "정말 내일 사표 내고 싶습니다" in markdown
    assert "감정을 가라앉히는 알림" in markdown  # the reminders table has a title of its own
    async with database.session() as session:
        await erase_user(session, user_id)
    async with database.session() as session:
        for table in (JournalEntry, CoolingOff):
            count = await session.execute(select(func.count()).select_from(table))
            assert count.scalar_one() == 0


async def test_a_quick_log_can_be_found_again_and_undone(database: Database) -> None:
    minsu, bob = await _user(database, "minsu"), await _user(database, "bob")
    async with database.session() as session:
        goal = await coaching.add_goal(
            session, StudyGoal(user_id=minsu, cert_key="aws_saa", weekly_hours=5, created_at=NOW)
        )
        assert goal.id is not None
        log = await coaching.add_checkin(
            session, StudyCheckin(user_id=minsu, goal_id=goal.id, at=NOW, hours=2.0)
        )
        assert log.id is not None
        goal_id, log_id = goal.id, log.id
    async with database.session() as session:
        found = await coaching.latest_checkin_since(session, minsu, goal_id, NOW - timedelta(minutes=10))
        assert found is not None and found.hours == 2.0
        assert (
            await coaching.latest_checkin_since(session, minsu, goal_id, NOW + timedelta(seconds=1)) is None
        )
        assert not await coaching.delete_checkin(session, bob, log_id, since=NOW - timedelta(days=1))
        assert not await coaching.delete_checkin(session, minsu, log_id, since=NOW + timedelta(hours=1))
        assert await coaching.delete_checkin(session, minsu, log_id, since=NOW - timedelta(days=1))
    async with database.session() as session:
        assert await coaching.checkins_of_user(session, minsu) == []
