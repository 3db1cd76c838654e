"""The door of /slack/events: bad headers and malformed bodies get a 4xx, and each delivery is handled once,
however often it arrives and at whichever replica."""

from __future__ import annotations

import asyncio
import io
import json
import logging
from collections.abc import Iterator
from urllib.parse import urlencode

import pytest
from sqlalchemy import func, select

from bot import logs
from bot.slack import SlackAdapter
from coach.core import Coach
from storage import users
from storage.db import Database
from storage.models import DeliveryReceipt, Identity
from tests.fakes.slack_requests import SlackHarness, running_slack, slack_settings
from tests.support import FakeClock

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"


@pytest.fixture
def log_lines() -> Iterator[io.StringIO]:
    """Encore's own log handler, writing JSON lines into a buffer; the previous set-up is put back."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    stream = io.StringIO()
    logs.configure("INFO", "json", stream=stream)
    yield stream
    root.handlers[:], root.level = handlers, level


async def test_a_timestamp_that_is_not_a_number_gets_401_and_no_traceback(
    coach: Coach, log_lines: io.StringIO
) -> None:
    """300 such requests once wrote 300 KB of tracebacks; now each is a 401 with nothing logged at INFO."""
    stamps = ["abc", "", "1e9", "-5", " 1700000000", "١٧٠٠٠٠٠٠٠٠", "9" * 400, "17000000.5", "0x10"]
    async with running_slack(coach) as slack:
        body = slack.command_body("U1", "start")
        statuses = []
        for n in range(300):
            headers = {"Content-Type": FORM, "X-Slack-Request-Timestamp": stamps[n % len(stamps)]}
            headers["X-Slack-Signature"] = "v0=" + "0" * 64
            statuses.append((await slack.post_raw(body.encode(), headers)).status)
        assert set(statuses) == {401}
        assert slack.api.calls == []
        at_info = len(log_lines.getvalue().encode())
        logging.getLogger().setLevel(logging.DEBUG)
        for stamp in stamps:
            headers = {"Content-Type": FORM, "X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": "v0=1"}
            assert (await slack.post_raw(body.encode(), headers)).status == 401
    debug_lines = [json.loads(line) for line in log_lines.getvalue().splitlines()]
    refusals = [line for line in debug_lines if "refused" in line["message"]]
    print(f"log bytes at INFO after 300 requests: {at_info}; at DEBUG, {len(refusals)} one-line refusals")
    assert at_info < 1_000  # the start-up line only
    assert len(refusals) == len(stamps) and all("exception" not in line for line in refusals)


def _malformed(slack: SlackHarness) -> dict[str, tuple[bytes, str]]:
    """Signed bodies Slack never sends, each of a different kind."""
    event = json.loads(slack.event_body("T1", slack.dm_event("U1", "hello")))

    def payload(document: object) -> bytes:
        return urlencode({"payload": json.dumps(document)}).encode()

    return {
        "payload that is not JSON": (urlencode({"payload": "{not json"}).encode(), FORM),
        "payload that is not an object": (payload(["block_actions"]), FORM),
        "button press without user or actions": (payload({"type": "block_actions"}), FORM),
        "fields of the wrong type": (
            payload({"type": "block_actions", "user": "U1", "team": 5, "actions": "x", "trigger_id": "t"}),
            FORM,
        ),
        "actions that are not objects": (
            payload({"type": "block_actions", "user": {"id": "U1"}, "actions": ["go:help"]}),
            FORM,
        ),
        "modal without its view": (payload({"type": "view_submission", "user": {"id": "U1"}}), FORM),
        "form with neither payload nor command": (b"a=b&c=d", FORM),
        "slash command without a user": (urlencode({"command": "/coach", "team_id": "T1"}).encode(), FORM),
        "JSON that does not parse": (b'{"type": "event_callback", ', JSON),
        "event that is not an object": (json.dumps(event | {"event": "message"}).encode(), JSON),
        "event whose user is a list": (
            json.dumps(event | {"event": event["event"] | {"user": ["U1"]}}).encode(),
            JSON,
        ),
        "a user id no database column holds": (
            json.dumps(event | {"event": event["event"] | {"user": "U" * 300}}).encode(),
            JSON,
        ),
        "bytes that are not UTF-8": (b"payload=\xff\xfe", FORM),
        "wrong content type": (json.dumps(event).encode(), "text/plain"),
        "huge": (b"command=/coach&text=" + b"x" * 2_000_000, FORM),
    }


async def test_signed_but_malformed_bodies_get_a_4xx_and_change_nothing(
    coach: Coach, database: Database, log_lines: io.StringIO
) -> None:
    async with running_slack(coach) as slack:
        answers = {}
        for kind, (body, content_type) in _malformed(slack).items():
            headers = {"Content-Type": content_type} | slack.signed_headers(body)
            sent = await slack.post_raw(body, headers)
            answers[kind] = sent.status
        assert slack.api.calls == [], "nobody was answered, nothing was asked of Slack"
        # The door is not simply shut: a well-formed request right after is handled.
        await slack.done(await slack.dm("U1", "hello"))
    print(answers)
    assert all(400 <= status < 500 for status in answers.values()), answers
    assert answers["huge"] == 413 and answers["wrong content type"] == 415
    assert "Traceback" not in log_lines.getvalue() and '"ERROR"' not in log_lines.getvalue()
    async with database.session() as session:
        people = (await session.execute(select(Identity.external_id))).scalars().all()
    assert people == ["U1"]


async def test_a_replayed_slash_command_is_handled_once_even_after_a_restart(
    coach: Coach, database: Database
) -> None:
    async with running_slack(coach) as slack:
        body = slack.command_body("U1", "start").encode()
        headers = {"Content-Type": FORM} | slack.signed_headers(body)
        first = await slack.post_raw(body, headers)
        await slack.done(first)
        replays = [await slack.post_raw(body, headers) for _ in range(3)]
        assert [(sent.status, sent.body) for sent in replays] == [(200, "")] * 3
        welcomes = slack.posted_text("DU1").count("Hello, I'm Encore")
    async with running_slack(Coach(database, clock=coach.clock), slack.api) as restarted:
        assert (await restarted.post_raw(body, headers)).status == 200
        # A fresh command (new signature) is handled: only the replay was ignored.
        await restarted.done(await restarted.command("U1", "help"))
        assert restarted.posted_text("DU1").count("Hello, I'm Encore") == welcomes == 1


async def test_one_event_delivered_to_two_replicas_adds_its_text_once(
    coach: Coach, database: Database
) -> None:
    """Two adapters with their own coach and engine on one database stand for two replicas."""
    second_database = Database(database.url)
    async with running_slack(coach) as slack:
        replica = SlackAdapter(slack_settings(slack.api), Coach(second_database, clock=coach.clock))
        await replica.start()
        try:
            await slack.done(await slack.command("U1", "reflect"))
            body = slack.event_body("T1", slack.dm_event("U1", "Migrated two data centres")).encode()
            headers = {"Content-Type": JSON} | slack.signed_headers(body)
            other = f"http://127.0.0.1:{replica.port}/slack/events"
            both = await asyncio.gather(
                slack.post_raw(body, headers), slack.post_raw(body, headers, url=other)
            )
            assert [sent.status for sent in both] == [200, 200]
            await slack.adapter.wait_handled(both[0].handled_before + 1, 5.0)
            # Slack's retry of the same event comes with a new signature, to either replica.
            retry = {"Content-Type": JSON, "X-Slack-Retry-Num": "1"} | slack.signed_headers(body)
            assert (await slack.post_raw(body, retry, url=other)).status == 200
            await asyncio.sleep(0.2)  # room for a wrongly handled copy to show up
        finally:
            await replica.stop()
            await second_database.dispose()
    async with database.session() as session:
        identity = await users.find_identity(session, "slack", "T1", "U1")
        assert identity is not None
        state = await users.conversation_state(session, identity.user_id, coach.clock())
    assert state.data.get("answer") == "Migrated two data centres"


async def test_delivery_receipts_are_swept_after_an_hour(
    coach: Coach, database: Database, clock: FakeClock
) -> None:
    async with running_slack(coach) as slack:
        await slack.done(await slack.command("U1", "help"))
        clock.advance(minutes=30)
        await slack.done(await slack.command("U1", "help"))
        clock.advance(minutes=45)  # the first receipt is 75 minutes old, the second 45
        await slack.done(await slack.command("U1", "help"))
    async with database.session() as session:
        left = (await session.execute(select(func.count()).select_from(DeliveryReceipt))).scalar_one()
    assert left == 2
