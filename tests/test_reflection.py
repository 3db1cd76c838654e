"""Reflection and journal through the coach: prompts rotate, answers are kept whole, follow-ups are specific."""

from __future__ import annotations

from coach.content import get_content
from storage import journal
from storage.db import Database
from tests.support import Talker


async def reflect(talker: Talker, answer: str, confidence: str = "4") -> str:
    """Answer one prompt; returns the prompt text that was asked."""
    await talker.command("reflect")
    asked = talker.text
    await talker.say(answer)
    await talker.press(confidence)
    return asked


async def test_a_reflection_is_saved_with_a_follow_up_tied_to_the_prompt(
    alice: Talker, database: Database
) -> None:
    content = get_content()
    await alice.command("reflect")
    prompt = next(p for p in content.prompts if p.text.en in alice.text)
    assert "Another question" in alice.labels
    await alice.say("Without the bank's systems I could still teach risk controls to small firms.")
    assert alice.labels == ["1", "2", "3", "4", "5"]
    await alice.press("2")
    assert prompt.follow_up.low.en in alice.text
    assert "1 entry so far" in alice.text
    async with database.session() as session:
        entries = await journal.page_of_entries(session, 1, offset=0, limit=5)
    assert [(e.prompt_key, e.confidence) for e in entries] == [(prompt.key, 2)]
    assert entries[0].answer.startswith("Without the bank's systems")


async def test_confidence_changes_the_follow_up(alice: Talker) -> None:
    content = get_content()
    await reflect(alice, "first", "5")
    high = alice.text
    asked = await reflect(alice, "second", "3")
    prompt = next(p for p in content.prompts if p.text.en in asked)
    assert prompt.follow_up.steady.en in alice.text
    assert high != alice.text


async def test_prompts_rotate_through_themes_and_never_repeat_before_a_theme_is_exhausted(
    alice: Talker,
) -> None:
    content = get_content()
    asked_keys = []
    for n in range(len(content.themes) * 2):
        asked = await reflect(alice, f"answer {n}")
        asked_keys.append(next(p.key for p in content.prompts if p.text.en in asked))
    assert len(set(asked_keys)) == len(asked_keys)
    first_round = {content.prompt(k).theme for k in asked_keys[: len(content.themes)]}
    assert first_round == {t.key for t in content.themes}


async def test_another_question_skips_to_a_different_prompt(alice: Talker) -> None:
    await alice.command("reflect")
    first = alice.text
    await alice.press("Another question")
    assert alice.text != first
    await alice.press(alice.labels[0])  # another again: the old button is stale, the new one works
    assert "expired" not in alice.text


async def test_long_answer_in_several_messages_is_kept_whole(alice: Talker, database: Database) -> None:
    part1, part2 = "가" * 4096, "B" * 4096 + " 🙂"
    await alice.command("reflect")
    await alice.say(part1)
    await alice.say(part2)
    assert "Added to your answer" in alice.text
    await alice.press("3")
    async with database.session() as session:
        [entry] = await journal.page_of_entries(session, 1, offset=0, limit=5)
    assert entry.answer == part1 + "\n\n" + part2


async def test_ten_thousand_characters_in_one_message_are_kept(alice: Talker, database: Database) -> None:
    answer = ("I ran the data centre migration. " * 400)[:10_000]
    await alice.command("reflect")
    await alice.say(answer)
    await alice.press("4")
    async with database.session() as session:
        [entry] = await journal.page_of_entries(session, 1, offset=0, limit=5)
    assert entry.answer == answer.strip()
    await alice.command("journal")
    assert "/export gives the full text" in alice.text


async def test_an_answer_over_the_limit_is_refused_without_losing_the_draft(
    alice: Talker, database: Database
) -> None:
    await alice.command("reflect")
    await alice.say("My first honest paragraph.")
    await alice.say("x" * 25_000)
    assert "Nothing was cut" in alice.text
    await alice.say("3")
    async with database.session() as session:
        [entry] = await journal.page_of_entries(session, 1, offset=0, limit=5)
    assert entry.answer == "My first honest paragraph."


async def test_journal_pages_newest_first(alice: Talker, clock) -> None:
    for n in range(4):
        clock.advance(days=1)
        await reflect(alice, f"entry number {n}")
    await alice.command("journal")
    assert "page 1 of 2" in alice.text
    assert alice.text.index("entry number 3") < alice.text.index("entry number 1")
    assert "entry number 0" not in alice.text
    await alice.press("Older")
    assert "page 2 of 2" in alice.text and "entry number 0" in alice.text
    await alice.press("Newer")
    assert "page 1 of 2" in alice.text


async def test_korean_reflection_uses_korean_prompt_and_follow_up(minsu: Talker) -> None:
    content = get_content()
    await minsu.command("reflect")
    prompt = next(p for p in content.prompts if p.text.ko in minsu.text)
    await minsu.say("회사 밖에서도 할 수 있는 일은 클라우드 설계 자문이에요. 😊")
    await minsu.press("5")
    assert prompt.follow_up.high.ko in minsu.text
    assert "일지에 저장했어요" in minsu.text
