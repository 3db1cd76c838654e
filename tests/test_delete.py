"""/delete: an explicit confirmation, then no row anywhere that names the user; the coach forgets them."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import insert
from sqlmodel import SQLModel

from coach.core import Coach
from storage import cooling_off, journal, users, views
from storage.db import Database
from storage.ownership import owned_tables
from tests.fakes.slack_api import FakeSlackApi, SlackUser
from tests.fakes.slack_requests import running_slack
from tests.support import FakeClock, Talker, person
from tests.trust_support import (
    FIRST_CHECKIN,
    all_rows,
    assess_and_study,
    identity_columns,
    later_feature_table,
    onboard,
    reflect,
    user_columns,
    weekly_checkin_round,
)


async def _ids(database: Database, platform: str, workspace: str, external_id: str) -> tuple[int, int]:
    async with database.session() as session:
        identity = await users.find_identity(session, platform, workspace, external_id)
        assert identity is not None and identity.id is not None
        return identity.user_id, identity.id


async def _traces(database: Database, user_id: int, identity_ids: set[int], words: list[str]) -> list[str]:
    """Every place a row still names the user: by user id, identity id, or a platform id or their words."""
    found = []
    for name, rows in (await all_rows(database)).items():
        table = SQLModel.metadata.tables[name]
        for row in rows:
            if any(row[c] == user_id for c in user_columns(table)):
                found.append(f"{name} user {row}")
            if any(row[c] in identity_ids for c in identity_columns(table)):
                found.append(f"{name} identity {row}")
            if any(isinstance(v, str) and any(w in v for w in words) for v in row.values()):
                found.append(f"{name} text {row}")
    return found


async def test_delete_erases_every_row_about_the_user_in_every_table(
    coach: Coach, database: Database, clock: FakeClock
) -> None:
    carol = Talker(coach, person("carol-7f3a"))
    carol_slack = Talker(coach, person("U-carol-7f3a", platform="slack", workspace="T-bank"))
    dave = Talker(coach, person("dave"))
    await onboard(carol)
    await assess_and_study(carol)
    checkins = await weekly_checkin_round(database, clock, FIRST_CHECKIN)
    assert [delivery.recipient.external_id for delivery in checkins] == ["carol-7f3a"]
    await reflect(carol, "Carol's secret: I want to leave before the reorganisation.")
    await carol_slack.command("link", "ZZZZ-2345")  # a mistyped code: counted against her account
    await carol.command("link")
    await carol_slack.command("link", carol.text.split("*")[1])
    await carol.command("reflect")
    await carol.say("A half-written draft about my manager")  # a draft in the conversation state
    await reflect(dave, "Dave's entry stays.")
    user_id, telegram_identity = await _ids(database, "console", "", "carol-7f3a")
    _, slack_identity = await _ids(database, "slack", "T-bank", "U-carol-7f3a")
    async with database.session() as session:  # a note written in anger, with its cooling-off reminder
        note = await journal.add_note(
            session, user_id, "Carol's angry note", label="Note", language="en", now=clock(), kind="quit_note"
        )
        assert note.id is not None
        await cooling_off.schedule_reminder(
            session, user_id, note.id, due_at=clock() + timedelta(days=3), now=clock()
        )
    async with database.session() as session:  # her Slack App Home, as the Slack adapter records it
        await views.record_published(session, slack_identity, "home", "0" * 64, "1700000000.1", clock.now)

    async with later_feature_table(database) as notes:
        async with database.engine.begin() as connection:
            await connection.execute(
                insert(notes).values(user_id=user_id, topic="cka", note="Carol's study note")
            )
        before = await _traces(database, user_id, {telegram_identity, slack_identity}, ["carol-7f3a"])
        # Every table Encore has holds something of Carol's, so the erasure below is tested on all of them.
        # No exam was taken; receipts of platform requests, process leases and send paces hold nothing about
        # anyone; the Telegram inbox holds an update only until it is handled (and these events are console's).
        untouched = {"examresult", "deliveryreceipt", "runningprocess", "sendpace", "telegraminbox"}
        assert {t.split()[0] for t in before} >= set(SQLModel.metadata.tables) - untouched

        await carol.command("delete")
        assert "Erase everything?" in carol.text
        assert "Linked apps: Console, Slack" in carol.text
        await carol.press("Yes, erase everything")
        assert "erased" in carol.text

        words = [
            "carol-7f3a",
            "Carol's secret",
            "half-written draft",
            "Carol's study note",
            "Carol's angry note",
        ]
        assert await _traces(database, user_id, {telegram_identity, slack_identity}, words) == []
    rows = await all_rows(database)
    assert [r["answer"] for r in rows["journalentry"]] == ["Dave's entry stays."]


async def test_after_deletion_the_coach_has_forgotten_them(alice: Talker) -> None:
    await onboard(alice)
    await reflect(alice, "Something private.")
    await alice.command("delete")
    await alice.press("Yes, erase everything")

    await alice.command("journal")
    assert "Your journal is empty" in alice.text
    await alice.command("start")
    assert "Hello, I'm Encore" in alice.text  # greeted as someone new, not "welcome back"
    assert "Welcome back" not in alice.text


async def test_nothing_is_erased_without_the_button(alice: Talker, database: Database) -> None:
    await reflect(alice, "Keep me.")
    await alice.command("delete")
    erase, keep = alice.action("Yes, erase everything"), alice.action("No, keep my data")
    await alice.say("yes")
    assert "typing is not enough" in alice.text
    await alice.press_action(keep)
    assert "Nothing was erased" in alice.text
    await alice.press_action(erase)  # the old confirmation button, pressed after "keep"
    assert "expired" in alice.text
    await alice.command("cancel")
    await alice.command("journal")
    assert "Keep me." in alice.text


async def test_a_forged_or_foreign_erase_button_changes_nothing(coach: Coach, database: Database) -> None:
    erin = Talker(coach, person("erin"))
    frank = Talker(coach, person("frank"))
    await reflect(erin, "Erin's entry.")
    await erin.command("delete")
    erase = erin.action("Yes, erase everything")
    await frank.command("help")
    await frank.press_action(erase)  # another user's button
    assert "expired" in frank.text
    await erin.press_action("delete:confirm:999:erase")  # forged revision
    assert "expired" in erin.text
    rows = await all_rows(database)
    assert [r["answer"] for r in rows["journalentry"]] == ["Erin's entry."]


async def test_the_korean_confirmation_is_in_korean(minsu: Talker) -> None:
    await minsu.command("delete")
    assert "되돌릴 수 없어요" in minsu.text
    assert minsu.labels[0] == "네, 모두 지워 주세요"


def test_every_user_owned_table_cascades_from_the_user() -> None:
    """Erasure relies on ON DELETE CASCADE: a table without it would keep rows (or block the delete)."""
    for table, owner in owned_tables():
        (fk,) = [fk for fk in owner.foreign_keys if fk.column.table.name == "user"]
        assert fk.ondelete == "CASCADE", f"{table.name}.{owner.name} must cascade from user.id"


async def test_delete_over_slack_forgets_the_person_and_their_home_tab(
    coach: Coach, database: Database
) -> None:
    slack_user = {"U9": SlackUser(tz="Asia/Seoul", locale="en-US", real_name="Jisoo")}
    async with running_slack(coach, FakeSlackApi(users=slack_user)) as slack:
        await slack.done(await slack.command("U9", "reflect"))
        await slack.done(await slack.dm("U9", "Words Jisoo wants gone."))
        await slack.done(await slack.press("U9", "4", owner_channel="DU9"))
        user_id, identity_id = await _ids(database, "slack", "T1", "U9")
        await slack.done(await slack.command("U9", "delete"))
        await slack.done(await slack.press("U9", "Yes, erase everything", owner_channel="DU9"))
        assert "I have forgotten you" in slack.posted_text("DU9")
        assert "Press *Profile* to begin" in slack.home_text("U9")  # the home tab greets a stranger
    assert await _traces(database, user_id, {identity_id}, ["U9", "Words Jisoo wants gone."]) == []
