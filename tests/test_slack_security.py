"""Who may do what: signatures, someone else's buttons, and the same user id in two workspaces."""

from __future__ import annotations

import json
import time

from coach.core import Coach
from storage import users
from storage.db import Database
from tests.fakes.slack_requests import running_slack
from tests.test_slack_adapter import onboard, seoul_api

FORM = "application/x-www-form-urlencoded"


async def test_unsigned_wrongly_signed_and_stale_requests_get_401_and_change_nothing(
    coach: Coach, database: Database
) -> None:
    async with running_slack(coach) as slack:
        body = slack.command_body("U1", "start")
        assert (await slack.post(body, FORM, signed=False)).status == 401
        assert (await slack.post(body, FORM, signature="v0=" + "0" * 64)).status == 401
        stale = int(time.time()) - 6 * 60
        assert (await slack.post(body, FORM, timestamp=stale)).status == 401
        # Signed by someone who does not know our secret.
        forged = slack.signer.__class__("not-our-secret").generate_signature(
            timestamp=str(int(time.time())), body=body
        )
        assert (await slack.post(body, FORM, signature=forged)).status == 401
        # A real signature over a different body (the text was changed in transit).
        stamp = str(int(time.time()))
        signature = slack.signer.generate_signature(timestamp=stamp, body=body)
        tampered = body.replace("text=start", "text=delete")
        assert (await slack.post(tampered, FORM, timestamp=int(stamp), signature=signature)).status == 401
        assert slack.api.calls == []  # nothing was asked of Slack, nobody was answered
        # The same request, properly signed and fresh, is accepted: the rejections were the signature's doing.
        await slack.done(await slack.post(body, FORM))
    async with database.session() as session:
        assert await users.find_identity(session, "slack", "T1", "U1") is not None


async def test_a_button_pressed_by_someone_else_changes_nothing(coach: Coach, database: Database) -> None:
    async with running_slack(coach, seoul_api()) as slack:
        await slack.done(await slack.command("U1", "start"))
        await slack.done(await slack.dm("U1", "IT manager"))
        await slack.done(await slack.dm("U1", "22"))
        target = slack.labels("DU1")[0]
        posts = len(slack.api.calls_to("chat.postMessage"))

        intruder = await slack.press("U2", target, owner_channel="DU1")
        assert intruder.status == 200
        refusals = await slack.api.wait_for("response_url")
        assert refusals[-1].args == {
            "text": "That button belongs to someone else's conversation, so nothing was changed.",
            "response_type": "ephemeral",
            "replace_original": False,
        }
        # The owner's message is untouched and the owner can still answer with it.
        assert slack.api.calls_to("chat.update") == []
        assert len(slack.api.calls_to("chat.postMessage")) == posts
        await slack.done(await slack.press("U1", target))
        assert len(slack.api.calls_to("chat.update")) == 1
        assert "By when do you want to be ready" in slack.posted_text("DU1")
    async with database.session() as session:
        assert await users.find_identity(session, "slack", "T1", "U2") is None


async def test_the_same_user_id_in_two_workspaces_is_two_people(coach: Coach, database: Database) -> None:
    async with running_slack(coach, seoul_api()) as slack:
        await onboard(slack, "U1", team="T1", role="Bank IT manager")
        await slack.done(await slack.command("U1", "start", team="T2"))
        await slack.done(await slack.dm("U1", "Metal craft studio owner", team="T2"))
        # T2's U1 is new: a fresh welcome, not T1's finished profile.
        assert slack.posted_text().count("Hello, I'm Encore") == 2
        await slack.done(await slack.open_home("U1", team="T2"))
        home_t2 = slack.home_text("U1")
        assert "Metal craft studio owner" in home_t2 and "Bank IT manager" not in home_t2

        # T1's U1 finished onboarding with a "Start a reflection" button; T2's U1 pressing it is refused.
        posts = len(slack.api.calls_to("chat.postMessage"))
        assert (await slack.press("U1", "Start a reflection", team="T2")).status == 200
        refusals = await slack.api.wait_for("response_url")
        assert "someone else" in refusals[-1].args["text"]
        assert len(slack.api.calls_to("chat.postMessage")) == posts

    async with database.session() as session:
        first = await users.find_identity(session, "slack", "T1", "U1")
        second = await users.find_identity(session, "slack", "T2", "U1")
        assert first is not None and second is not None and first.user_id != second.user_id
        profile_one = await users.get_profile(session, first.user_id)
        profile_two = await users.get_profile(session, second.user_id)
    assert profile_one is not None and profile_one.current_role == "Bank IT manager"
    assert profile_two is not None and profile_two.current_role == "Metal craft studio owner"


async def test_a_forged_owner_in_a_modal_is_ignored(coach: Coach, database: Database) -> None:
    async with running_slack(coach, seoul_api()) as slack:
        await slack.done(await slack.command("U1", "reflect"))
        await slack.press("U1", "Write your answer")
        view = (await slack.api.wait_for("views.open"))[-1].args["view"]
        assert json.loads(view["private_metadata"])["user"] == "U1"
        sent = await slack.submit("U2", "not my modal", view=view)
        assert sent.status == 200 and sent.body == ""
        # U1's own submission still works afterwards; U2's text was never saved as U1's draft.
        await slack.done(await slack.submit("U1", "mine", view=view))
    async with database.session() as session:
        assert await users.find_identity(session, "slack", "T1", "U2") is None
        identity = await users.find_identity(session, "slack", "T1", "U1")
        assert identity is not None
        state = await users.conversation_state(session, identity.user_id, coach.clock())
    assert state.data.get("answer") == "mine"
