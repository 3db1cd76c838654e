"""The AI coach through the real adapters: "typing…" at once, the answer streamed, the final message sent;
on failure the curated reply. python-telegram-bot and slack-bolt talk to fakes on loopback, and the real
``openai`` client to a fake model server; the database is SQLite or PostgreSQL like every test's.
"""

from __future__ import annotations

import json

from storage.db import Database
from tests.ai_support import Coaches
from tests.fakes.openai_api import FakeOpenAI
from tests.fakes.slack_api import FakeSlackApi, SlackUser
from tests.fakes.slack_requests import running_slack
from tests.fakes.telegram_api import FakeTelegram
from tests.telegram_support import ChatUser, running_bot

ANSWER = "Mentoring the new cloud team puts you right where the work is going. What would you teach first?"
NOTE = "My manager asked me to mentor the new cloud team."
CURATED = "Kept in your journal."


async def test_telegram_shows_typing_streams_drafts_then_sends_the_answer(
    database: Database, model: FakeOpenAI, ai_coach: Coaches
) -> None:
    model.behaviour.text = ANSWER
    model.behaviour.piece_delay = 0.2  # a draft at the first words, then at most one a sentence, 0.8 s apart
    async with (
        FakeTelegram() as fake,
        running_bot(fake, database, services=ai_coach.services(consent="implied")) as bot,
    ):
        alice = ChatUser(bot, 501)
        sent = await alice.send(NOTE)
    methods = [call.method for call in fake.calls if call.method.startswith("send")]
    assert methods[0] == "sendChatAction" and methods[-1] == "sendMessage"
    assert fake.calls_to("sendChatAction")[0].params["action"] == "typing"
    drafts = [call.params["text"] for call in fake.calls_to("sendMessageDraft")]
    assert len(drafts) >= 2 and all(ANSWER.startswith(draft) for draft in drafts)  # words, as they come
    assert len(drafts[-1]) > len(drafts[0])
    assert all(call.status == 200 for call in fake.calls_to("sendMessageDraft"))
    assert len(sent) == 1 and sent[0].text.startswith(ANSWER) and CURATED in sent[0].text
    assert sent[0].labels == ["Delete this note", "Journal"]
    assert NOTE in model.told()


async def test_telegram_a_fast_stream_of_many_pieces_makes_few_drafts(
    database: Database, model: FakeOpenAI, ai_coach: Coaches
) -> None:
    """Each draft is a Bot API call: a sentence at most, 0.8 s apart, however small the model's pieces."""
    long_answer = " ".join([ANSWER] * 3)
    model.behaviour.text = long_answer
    model.behaviour.piece_chars, model.behaviour.piece_delay = 4, 0.03  # 75 pieces in about 2.3 s
    async with (
        FakeTelegram() as fake,
        running_bot(fake, database, services=ai_coach.services(consent="implied")) as bot,
    ):
        sent = await ChatUser(bot, 509).send(NOTE)
    drafts = [call.params["text"] for call in fake.calls_to("sendMessageDraft")]
    assert 2 <= len(drafts) <= 5 and all(long_answer.startswith(draft) for draft in drafts)
    assert sent[0].text.startswith(long_answer)


async def test_telegram_asks_first_and_sends_nothing_before_a_yes(
    database: Database, model: FakeOpenAI, ai_coach: Coaches
) -> None:
    model.behaviour.text = ANSWER
    async with FakeTelegram() as fake, running_bot(fake, database, services=ai_coach.services()) as bot:
        alice = ChatUser(bot, 502)
        sent = await alice.send(NOTE)
        assert sent[0].text.startswith(CURATED) and "models.example.org" in sent[1].text
        assert model.requests == [] and fake.calls_to("sendChatAction") == []
        await alice.press("Yes, use the AI model")
        sent = await alice.send("I said yes to the mentoring.")
    assert sent[-1].text.startswith(ANSWER) and len(model.requests) == 1


async def test_telegram_a_failing_model_gives_the_curated_reply(
    database: Database, model: FakeOpenAI, ai_coach: Coaches
) -> None:
    model.behaviour.status = 500
    async with (
        FakeTelegram() as fake,
        running_bot(fake, database, services=ai_coach.services(consent="implied")) as bot,
    ):
        sent = await ChatUser(bot, 503).send(NOTE)
    assert len(sent) == 1 and sent[0].text.startswith(CURATED)
    assert fake.calls_to("sendChatAction") and fake.calls_to("sendMessageDraft") == []


async def test_telegram_a_server_that_does_not_stream_still_answers(
    database: Database, model: FakeOpenAI, ai_coach: Coaches
) -> None:
    model.behaviour.text = ANSWER
    model.behaviour.whole = True  # one JSON completion, though the client asked for a stream
    async with (
        FakeTelegram() as fake,
        running_bot(fake, database, services=ai_coach.services(consent="implied")) as bot,
    ):
        sent = await ChatUser(bot, 508).send(NOTE)
    assert fake.calls_to("sendChatAction")[0].params["action"] == "typing"
    assert len(sent) == 1 and sent[0].text.startswith(ANSWER) and CURATED in sent[0].text
    assert model.requests[0]["stream"] is True


async def test_telegram_korean_user_gets_a_korean_answer_and_english_is_refused(
    database: Database, model: FakeOpenAI, ai_coach: Coaches
) -> None:
    korean = "새 클라우드 팀의 멘토를 맡게 되셨군요. 처음 가르치고 싶은 것은 무엇인가요?"
    model.behaviour.text = korean
    async with (
        FakeTelegram() as fake,
        running_bot(fake, database, services=ai_coach.services(consent="implied")) as bot,
    ):
        minsu = ChatUser(bot, 504, first_name="민수", language_code="ko")
        sent = await minsu.send("팀장님이 새 클라우드 팀 멘토를 맡아 달라고 하셨어요.")
        assert sent[0].text.startswith(korean) and "일지에 보관했어요" in sent[0].text
        model.behaviour.text = ANSWER  # English to a Korean speaker: refused
        sent = await minsu.send("팀장님이 새 클라우드 팀 멘토를 맡아 달라고 하셨어요.")
    assert not sent[0].text.startswith(ANSWER) and "일지에 보관했어요" in sent[0].text


async def test_slack_posts_at_once_then_updates_with_the_answer(
    database: Database, model: FakeOpenAI, ai_coach: Coaches
) -> None:
    model.behaviour.text = ANSWER
    model.behaviour.piece_delay = 0.05
    api = FakeSlackApi(users={"U1": SlackUser(tz="Asia/Seoul", locale="en-US", real_name="Jisoo")})
    async with running_slack(ai_coach(consent="implied"), api) as slack:
        await slack.done(await slack.dm("U1", NOTE))
    posts = [call for call in api.calls_to("chat.postMessage") if call.args.get("channel") == "DU1"]
    assert posts[0].args["text"] == "…"
    updates = [call for call in api.calls_to("chat.update") if call.args.get("ts")]
    assert updates and all(call.args["channel"] == "DU1" for call in updates)
    final = json.dumps(updates[-1].args["blocks"], ensure_ascii=False)
    assert ANSWER in final and CURATED in final and "Delete this note" in final
    assert len(model.requests) == 1


async def test_slack_a_slow_model_falls_back_to_the_curated_reply(
    database: Database, model: FakeOpenAI, ai_coach: Coaches
) -> None:
    model.behaviour.delay = 3.0
    api = FakeSlackApi(users={"U1": SlackUser(tz="Asia/Seoul", locale="en-US", real_name="Jisoo")})
    async with running_slack(ai_coach(consent="implied", seconds=0.5), api) as slack:
        await slack.done(await slack.dm("U1", NOTE))
    final = json.dumps(api.calls_to("chat.update")[-1].args["blocks"], ensure_ascii=False)
    assert CURATED in final and ANSWER not in final


async def test_telegram_a_slow_model_holds_nobody_else(
    database: Database, model: FakeOpenAI, ai_coach: Coaches
) -> None:
    """Alice's answer is still being written while Bob asks for help: Bob is answered at once."""
    model.behaviour.text = ANSWER
    model.behaviour.delay = 1.5
    async with (
        FakeTelegram() as fake,
        running_bot(fake, database, services=ai_coach.services(consent="implied")) as bot,
    ):
        alice, bob = ChatUser(bot, 505), ChatUser(bot, 506)
        fake.add_update(fake.message(alice.user, alice.chat, NOTE))
        await fake.wait_for(lambda: bool(fake.calls_to("sendChatAction")))
        fake.add_update(fake.message(bob.user, bob.chat, "/help"))
        await fake.wait_for(lambda: bool(bob.messages))
        assert "/reflect" in bob.messages[0].text
        assert alice.messages == []  # still writing
        await bot.adapter.handlers.drain()
    assert alice.messages[-1].text.startswith(ANSWER)


async def test_telegram_crisis_text_gets_the_help_lines_and_never_reaches_the_model(
    database: Database, model: FakeOpenAI, ai_coach: Coaches
) -> None:
    async with (
        FakeTelegram() as fake,
        running_bot(fake, database, services=ai_coach.services(consent="implied")) as bot,
    ):
        minsu = ChatUser(bot, 507, first_name="민수", language_code="ko")
        sent = await minsu.send("요즘 정말 죽고 싶다는 생각만 들어요")
    assert len(sent) == 1 and "109" in sent[0].text and sent[0].labels == []
    assert model.requests == [] and fake.calls_to("sendChatAction") == []
