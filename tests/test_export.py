"""/export: every table about the user, as JSON and readable Markdown, in their language."""

from __future__ import annotations

import json

from sqlalchemy import insert

from coach.core import Coach
from coach.messages import Reply
from storage import users
from storage.db import Database
from tests.fakes.slack_api import FakeSlackApi, SlackUser
from tests.fakes.slack_requests import running_slack
from tests.fakes.telegram_api import FakeTelegram
from tests.support import Talker, person
from tests.telegram_support import ChatUser, running_bot, texts
from tests.trust_support import later_feature_table, onboard, reflect


def _documents(replies: list[Reply]) -> dict[str, bytes]:
    return {r.document.mime_type: r.document.content for r in replies if r.document is not None}


async def test_export_holds_profile_journal_and_every_users_tables(
    alice: Talker, coach: Coach, database: Database
) -> None:
    await onboard(alice)
    await reflect(alice, "I keep the bank's servers running, but I have never designed a cloud system.")
    await reflect(alice, "My pension account: I honestly don't know what is in it.", confidence="2")
    bob = Talker(coach, person("bob"))
    await reflect(bob, "Bob's private worry about his manager.")

    replies = await alice.command("export")

    files = _documents(replies)
    export = json.loads(files["application/json"])
    assert export["format"] == "encore-export"
    tables = export["tables"]
    answers = [row["answer"] for row in tables["journalentry"]]
    assert answers == [
        "I keep the bank's servers running, but I have never designed a cloud system.",
        "My pension account: I honestly don't know what is in it.",
    ]
    assert [row["confidence"] for row in tables["journalentry"]] == [4, 2]
    assert tables["profile"][0]["current_role"] == "IT infrastructure manager at a bank"
    assert tables["profile"][0]["years_experience"] == 22
    assert tables["user"][0]["timezone"] == "Asia/Seoul"
    assert [row["external_id"] for row in tables["identity"]] == ["alice"]
    assert "linkcode" not in tables  # code hashes are secrets, not the user's data
    assert "Bob's private worry" not in files["application/json"].decode()

    readable = files["text/markdown"].decode()
    assert "# Encore — everything I keep about you" in readable
    assert "## Journal (2 entries)" in readable
    assert "I have never designed a cloud system." in readable
    assert "Current role: IT infrastructure manager at a bank" in readable
    assert "Bob's private worry" not in readable


async def test_export_includes_a_table_added_by_a_later_feature(alice: Talker, database: Database) -> None:
    await alice.command("help")
    async with database.session() as session:
        identity = await users.find_identity(session, "console", "", "alice")
        assert identity is not None
        user_id = identity.user_id
    async with later_feature_table(database) as notes:
        async with database.engine.begin() as connection:
            await connection.execute(
                insert(notes).values(user_id=user_id, topic="aws-saa", note="Studied VPCs for two hours")
            )
        files = _documents(await alice.command("export"))

    rows = json.loads(files["application/json"])["tables"]["scratch_note"]
    assert rows == [{"id": 1, "user_id": user_id, "topic": "aws-saa", "note": "Studied VPCs for two hours"}]
    assert "Studied VPCs for two hours" in files["text/markdown"].decode()


async def test_korean_user_gets_a_korean_readable_export(minsu: Talker) -> None:
    await reflect(minsu, "은행 전산실에서 22년, 클라우드는 아직 낯설다.")
    replies = await minsu.command("export")
    readable = _documents(replies)["text/markdown"].decode()
    assert "은행 전산실에서 22년, 클라우드는 아직 낯설다." in readable
    assert "일지" in readable
    assert "Journal (" not in readable
    assert "일지" in replies[0].text


async def test_export_of_a_new_user_is_small_and_honest(alice: Talker) -> None:
    replies = await alice.command("export")
    files = _documents(replies)
    tables = json.loads(files["application/json"])["tables"]
    assert tables["journalentry"] == []
    assert "No entries yet." in files["text/markdown"].decode()
    assert "0 entries" in replies[0].text


async def test_export_with_arguments_still_exports_and_says_so(alice: Talker) -> None:
    replies = await alice.command("export", "everything please")
    assert "needs nothing after it" in replies[0].text
    assert "application/json" in _documents(replies)


async def test_export_arrives_as_two_files_in_the_slack_dm(coach: Coach) -> None:
    slack_user = {"U1": SlackUser(tz="Asia/Seoul", locale="en-US", real_name="Jisoo")}
    async with running_slack(coach, FakeSlackApi(users=slack_user)) as slack:
        await slack.done(await slack.command("U1", "reflect"))
        await slack.done(await slack.dm("U1", "Slack users write journals too."))
        await slack.done(await slack.press("U1", "4", owner_channel="DU1"))
        await slack.done(await slack.command("U1", "export"))

        asked = {call.args["filename"]: call for call in slack.api.calls_to("files.getUploadURLExternal")}
        completed = slack.api.calls_to("files.completeUploadExternal")
        assert {call.args["channel_id"] for call in completed} == {"DU1"}  # in the person's DM
    json_name = next(name for name in asked if name.endswith(".json"))
    markdown_name = next(name for name in asked if name.endswith(".md"))
    uploads = list(slack.api.uploads.values())
    exported = next(json.loads(body) for body in uploads if body.startswith(b"{"))
    assert json_name == "encore-data-2026-11-25.json"
    assert [row["answer"] for row in exported["tables"]["journalentry"]] == [
        "Slack users write journals too."
    ]
    assert exported["tables"]["identity"][0]["platform"] == "slack"
    readable = next(body.decode() for body in uploads if body.startswith(b"# "))
    assert markdown_name == "encore-journal-2026-11-25.md" and "Slack users write journals too." in readable


async def test_export_arrives_as_two_documents_in_telegram(database: Database) -> None:
    async with FakeTelegram() as fake, running_bot(fake, database) as bot:
        person = ChatUser(bot, 5151, first_name="Minsu", language_code="ko")
        await person.send("/reflect")
        await person.send("텔레그램에서 쓴 답: 회사 밖에서 할 수 있는 일")
        await person.press("4")
        sent = await person.send("/export")
    documents = [message for message in sent if message.kind == "document"]
    assert [d.filename for d in documents] == ["encore-data-2026-11-25.json", "encore-journal-2026-11-25.md"]
    # Each file carries its label as a caption: no separate message saying what the next file is.
    assert [d.text for d in documents] == ["내 데이터 (JSON)", "내 데이터 (Markdown)"]
    assert [m.kind for m in sent] == ["text", "document", "document"]
    exported = json.loads(documents[0].file)
    assert [row["answer"] for row in exported["tables"]["journalentry"]] == [
        "텔레그램에서 쓴 답: 회사 밖에서 할 수 있는 일"
    ]
    readable = documents[1].file.decode()
    assert "## 일지 (기록 1개)" in readable and "회사 밖에서 할 수 있는 일" in readable
    assert "파일 두 개" in texts(sent)  # the explanation comes in Korean too
