"""Posting through the Web API when Slack pushes back (429, 5xx, errors), and check-in delivery."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from bot.slack.sender import delivery_error, retry_after
from coach.core import Coach
from coach.delivery import DeliveryError, RateLimited, Recipient, TemporaryFailure, Unreachable
from coach.messages import Choice, Document, Image, Reply
from storage import users
from storage.db import Database
from tests.fakes.slack_api import FakeSlackApi
from tests.fakes.slack_requests import running_slack
from tests.support import FakeClock
from tests.test_slack_adapter import onboard, seoul_api

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
CHECKIN = Reply("*Weekly check-in*\n\nHow did the week go?", choices=(Choice("Start now", "go:reflect"),))


def recipient(user: str = "U1", team: str = "T1") -> Recipient:
    return Recipient(
        identity_id=1, user_id=1, platform="slack", workspace=team, external_id=user, chat_id=f"D{user}"
    )


async def test_a_429_waits_for_retry_after_and_the_reply_still_arrives(coach: Coach) -> None:
    async with running_slack(coach) as slack:
        await slack.done(await slack.command("U1", "help"))
        answered = len(slack.api.calls_to("chat.postMessage"))
        slack.api.fail_next(1, status=429, retry_after=1)
        started = time.monotonic()
        sent = await slack.command("U1", "help")
        assert sent.status == 200 and time.monotonic() - started < 1  # the ack never waits for Slack
        await slack.done(sent)
        posts = slack.api.calls_to("chat.postMessage")[answered:]
        # The rate-limited post was made again after the pause, not dropped.
        assert len(posts) == 2 and posts[0].args["text"] == posts[1].args["text"]
        assert "Here is what I can do" in posts[1].args["text"]


async def test_a_5xx_is_retried_with_backoff(coach: Coach) -> None:
    async with running_slack(coach) as slack:
        slack.api.fail_next(2, status=503)
        await slack.done(await slack.command("U1", "help"))
        assert "Here is what I can do" in slack.posted_text("DU1")


async def test_delivery_posts_blocks_and_uploads_a_picture_with_the_v2_flow(coach: Coach) -> None:
    async with running_slack(coach) as slack:
        chart = Reply(
            "Your study hours",
            image=Image(PNG, "Study hours per week, 4 weeks", kind="study", title="Study progress"),
        )
        await slack.adapter.sender.deliver(recipient(), [chart, CHECKIN])
        methods = [call.method for call in slack.api.calls]
        assert methods == [
            "files.getUploadURLExternal",
            "upload",
            "files.completeUploadExternal",
            "chat.postMessage",
            "chat.postMessage",
        ]
        asked = slack.api.calls_to("files.getUploadURLExternal")[0].args
        assert asked["filename"] == "encore-study-2026-11-25.png" and int(asked["length"]) == len(PNG)
        assert asked["alt_txt"] == "Study hours per week, 4 weeks"
        assert list(slack.api.uploads.values()) == [PNG]
        completed = slack.api.calls_to("files.completeUploadExternal")[0].args
        assert completed["channel_id"] == "DU1"
        assert completed["files"][0]["title"] == "Study progress · Nov 25, 2026"
        checkin = slack.api.calls_to("chat.postMessage")[-1].args
        assert checkin["channel"] == "DU1"
        actions = [b for b in checkin["blocks"] if b["type"] == "actions"]
        assert actions[0]["block_id"].split("|")[2:4] == ["T1", "U1"]  # the buttons know their owner
        assert actions[0]["elements"][0]["action_id"] == "go:reflect"


async def test_pictures_are_named_for_what_they_show_and_the_day_in_the_persons_zone(
    coach: Coach, clock: FakeClock
) -> None:
    async with running_slack(coach, seoul_api()) as slack:
        await onboard(slack)  # in Seoul
        clock.now = datetime(2026, 11, 29, 20, 0, tzinfo=UTC)  # Monday 30 November, 05:00 in Seoul
        await slack.adapter.sender.deliver(
            recipient(), [Reply("Skills", image=Image(PNG, "…", kind="skills", title="Skill profile"))]
        )
        await slack.adapter.sender.deliver(
            recipient(), [Reply("All", image=Image(PNG, "…", kind="progress", title="Your progress"))]
        )
        names = [call.args["filename"] for call in slack.api.calls_to("files.getUploadURLExternal")]
        assert names == ["encore-skills-2026-11-30.png", "encore-progress-2026-11-30.png"]
        titles = [c.args["files"][0]["title"] for c in slack.api.calls_to("files.completeUploadExternal")]
        assert titles == ["Skill profile · Nov 30, 2026", "Your progress · Nov 30, 2026"]


async def test_a_document_is_uploaded_as_a_file(coach: Coach) -> None:
    async with running_slack(coach) as slack:
        export = Reply("Here is everything I keep about you.", document=Document("encore.json", b'{"a": 1}'))
        await slack.adapter.sender.deliver(recipient(), [export])
        assert slack.api.calls_to("files.getUploadURLExternal")[0].args["filename"] == "encore.json"
        assert list(slack.api.uploads.values()) == [b'{"a": 1}']


async def test_delivery_says_rate_limited_at_once_so_the_scheduler_can_wait(coach: Coach) -> None:
    async with running_slack(coach) as slack:
        slack.api.fail_next(1, status=429, retry_after=1)
        with pytest.raises(RateLimited) as caught:
            await slack.adapter.sender.deliver(recipient(), [CHECKIN])
        assert caught.value.retry_after == 1.0
        assert len(slack.api.calls_to("chat.postMessage")) == 1  # no sleeping inside the sender


@pytest.mark.parametrize(
    "error", ["account_inactive", "user_not_found", "not_in_channel", "channel_not_found", "token_revoked"]
)
async def test_delivery_to_someone_gone_is_unreachable(coach: Coach, error: str) -> None:
    async with running_slack(coach) as slack:
        slack.api.fail_method("chat.postMessage", error)
        with pytest.raises(Unreachable):
            await slack.adapter.sender.deliver(recipient(), [CHECKIN])


async def test_delivery_after_persistent_5xx_is_a_temporary_failure(coach: Coach) -> None:
    async with running_slack(coach) as slack:
        slack.api.fail_next(3, status=500)
        with pytest.raises(TemporaryFailure):
            await slack.adapter.sender.deliver(recipient(), [CHECKIN])
        assert len(slack.api.calls_to("chat.postMessage")) == 3  # tried, then retried twice


async def test_delivery_when_slack_cannot_be_reached_is_a_temporary_failure(coach: Coach) -> None:
    async with running_slack(coach) as slack:
        adapter = slack.adapter
    # The fake Web API is gone now: connection refused.
    with pytest.raises(TemporaryFailure):
        await adapter.sender.deliver(recipient(), [CHECKIN])


async def test_delivery_is_in_the_persons_language(coach: Coach, database: Database) -> None:
    async with running_slack(coach, seoul_api()) as slack:
        await slack.done(await slack.command("UKO", "help"))
        question = Reply("오늘의 질문", ask="long")
        await slack.adapter.sender.deliver(recipient("UKO"), [question])
        assert "답변 쓰기" in slack.labels("DUKO")
    async with database.session() as session:
        assert await users.find_identity(session, "slack", "T1", "UKO") is not None


def test_error_codes_map_to_what_the_scheduler_does() -> None:
    from slack_sdk.errors import SlackApiError
    from slack_sdk.web.slack_response import SlackResponse

    def error(status: int, code: str, headers: dict[str, str] | None = None) -> SlackApiError:
        response = SlackResponse(
            client=None,
            http_verb="POST",
            api_url="https://slack.test/api/chat.postMessage",
            req_args={},
            data={"ok": False, "error": code},
            headers=headers or {},
            status_code=status,
        )
        return SlackApiError(code, response)

    limited = delivery_error(error(429, "ratelimited", {"retry-after": "7"}))
    assert isinstance(limited, RateLimited) and limited.retry_after == 7.0
    assert isinstance(delivery_error(error(200, "is_archived")), Unreachable)
    assert isinstance(delivery_error(error(502, "")), TemporaryFailure)
    refused = delivery_error(error(200, "invalid_blocks"))
    assert type(refused) is DeliveryError
    assert retry_after({"Retry-After": "soon"}) == 1.0 and retry_after({}) == 1.0


async def test_the_fake_refuses_calls_without_a_token() -> None:
    async with FakeSlackApi().running() as api:
        from slack_sdk.errors import SlackApiError
        from slack_sdk.web.async_client import AsyncWebClient

        with pytest.raises(SlackApiError):
            await AsyncWebClient(base_url=api.base_url).chat_postMessage(channel="D1", text="hi")
