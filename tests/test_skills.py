"""/skills through the coach: rate, resume, rank the gap, compare with last time, switch and add paths."""

from __future__ import annotations

import io

from PIL import Image as PILImage

from coach.content import get_content
from coach.content.schema import Role
from coach.core import Coach
from coach.gap import rank_gaps
from storage import coaching, users
from storage.db import Database
from tests.support import FakeClock, Talker, person
from tests.test_onboarding import finish_onboarding

CONTENT = get_content()
CLOUD = CONTENT.roles["cloud_architect"]  # finish_onboarding picks the first role of the catalog


async def user_id_of(database: Database, name: str) -> int:
    async with database.session() as session:
        identity = await users.find_identity(session, "console", "", name)
        assert identity is not None
        return identity.user_id


async def rate_all(talker: Talker, role: Role, levels: dict[str, int | None]) -> None:
    """Answer every remaining skill question of ``role``: the level in ``levels`` (by skill key), else the
    skill's target; ``None`` skips."""
    korean = (talker.identity.language or "").startswith("ko")
    while "Where are you today?" in talker.text or "지금 어느 수준인가요?" in talker.text:
        shown = next(s for s in role.skills if f"· {s.name.get('ko' if korean else 'en')}*" in talker.text)
        level = levels.get(shown.key, shown.target)
        await talker.press(("건너뛰기" if korean else "Skip") if level is None else str(level))


async def test_rating_every_skill_gives_a_ranked_gap_next_steps_and_a_chart(alice: Talker) -> None:
    await finish_onboarding(alice)
    await alice.command("skills")
    assert f"measure the gap to *{CLOUD.name.en}*" in alice.text
    assert f"1/{len(CLOUD.skills)}" in alice.text
    assert alice.labels == ["1", "2", "3", "4", "5", "Skip", "What do the levels mean?"]
    weak, skipped_skill = CLOUD.skills[3], CLOUD.skills[5]
    await rate_all(alice, CLOUD, {weak.key: 1, skipped_skill.key: None})
    result = alice.text
    assert f"Your gap to {CLOUD.name.en}" in result
    # Everything else was rated at its target, so the one weak skill is the whole gap.
    expected = round(weak.weight * (weak.target - 1), 2)
    assert f"1. {weak.name.en}: you 1, target {weak.target} · gap {expected:g}" in result
    assert "2. " not in result.split("Where to start")[0]
    assert f"Skipped (not ranked): {skipped_skill.name.en}" in result
    assert "Where to start" in result
    assert weak.next_steps[0].en in result
    image = alice.last[-1].image
    assert image is not None and weak.name.en in image.alt
    with PILImage.open(io.BytesIO(image.png)) as picture:
        assert picture.size[0] == 1000
    assert alice.labels == ["Plan my study", "See my progress", "My skill paths"]


async def test_levels_are_one_tap_away_and_the_question_is_asked_again(alice: Talker) -> None:
    await finish_onboarding(alice)
    await alice.command("skills")
    await alice.press("What do the levels mean?")
    for level in CONTENT.skill_levels:
        assert level.description.en in alice.last[0].text
    assert f"1/{len(CLOUD.skills)} · {CLOUD.skills[0].name.en}" in alice.last[1].text
    await alice.press("4")
    assert f"2/{len(CLOUD.skills)}" in alice.text


async def test_an_interrupted_assessment_resumes_after_a_restart(
    database: Database, clock: FakeClock
) -> None:
    first = Talker(Coach(database, clock=clock), person("bo"))
    await finish_onboarding(first)
    await first.command("skills")
    for level in ("2", "3", "4"):
        await first.press(level)
    await first.command("cancel")
    clock.advance(days=3)
    again = Talker(Coach(database, clock=clock), person("bo"))  # a new process over the same database
    await again.command("skills")
    assert f"3 of {len(CLOUD.skills)} done" in again.text
    await again.press("Continue")
    assert f"4/{len(CLOUD.skills)} · {CLOUD.skills[3].name.en}" in again.text
    await rate_all(again, CLOUD, {})
    async with database.session() as session:
        latest = await coaching.latest_assessment(session, await user_id_of(database, "bo"), CLOUD.key)
    assert latest is not None
    assert [latest.ratings[s.key] for s in CLOUD.skills[:3]] == [2, 3, 4]  # the answers before the restart


async def test_start_over_discards_only_the_unfinished_ratings(alice: Talker, database: Database) -> None:
    await finish_onboarding(alice)
    await alice.command("skills")
    await alice.press("1")
    await alice.command("skills")
    await alice.press("Start over")
    assert f"1/{len(CLOUD.skills)}" in alice.text
    async with database.session() as session:
        unfinished = await coaching.open_assessments(session, await user_id_of(database, "alice"))
    assert len(unfinished) == 1 and unfinished[0].ratings == {}


async def test_a_repeat_assessment_shows_the_change_per_skill(alice: Talker, clock: FakeClock) -> None:
    await finish_onboarding(alice)
    first_skill, second_skill = CLOUD.skills[0], CLOUD.skills[1]
    await alice.command("skills")
    await rate_all(alice, CLOUD, {first_skill.key: 1, second_skill.key: 2})
    before_total = sum(
        g.score
        for g in rank_gaps(
            CLOUD.skills,
            {first_skill.key: 1, second_skill.key: 2} | {s.key: s.target for s in CLOUD.skills[2:]},
        )
    )
    clock.advance(days=40)
    await alice.command("skills")
    assert "last assessed" in alice.text
    await alice.press(f"Assess: {CLOUD.name.en}")
    await rate_all(alice, CLOUD, {first_skill.key: 3, second_skill.key: 2})
    assert "Since your assessment of Nov 25, 2026" in alice.text
    assert f"▲ {first_skill.name.en}: 1 → 3" in alice.text
    assert f"{second_skill.name.en}: 2 → 2" not in alice.text
    assert f"{len(CLOUD.skills) - 1} skills unchanged." in alice.text
    assert f"Total gap: {before_total:g} → " in alice.text


async def test_adding_and_switching_paths(alice: Talker, database: Database) -> None:
    await finish_onboarding(alice)
    await alice.command("skills")
    await rate_all(alice, CLOUD, {})
    await alice.command("skills")
    await alice.press("Add a path")
    assert CLOUD.name.en not in alice.labels  # already followed
    analyst = CONTENT.roles["data_analyst"]
    await alice.press(analyst.name.en)
    assert f"Added {analyst.name.en} to your paths." in alice.text
    assert f"measure the gap to *{analyst.name.en}*" in alice.text
    await rate_all(alice, analyst, {})
    await alice.command("skills")
    assert f"{CLOUD.name.en} (main): last assessed" in alice.text
    assert f"{analyst.name.en}: last assessed" in alice.text
    await alice.press("Switch main path")
    await alice.press(analyst.name.en)
    assert f"Your main path is now {analyst.name.en}" in alice.text
    async with database.session() as session:
        user_id = await user_id_of(database, "alice")
        profile = await users.get_profile(session, user_id)
        assert profile is not None and profile.target_role == "data_analyst"
        assert await coaching.latest_assessment(session, user_id, CLOUD.key) is not None  # kept


async def test_a_custom_path_is_measured_against_the_closest_catalog_role(
    alice: Talker, database: Database
) -> None:
    await alice.command("start")
    await alice.say("Jeweller")
    await alice.say("30")
    await alice.press("Something else")
    await alice.say("Metal art gallery owner")
    await alice.command("skills")
    assert "I don't have a skill list for “Metal art gallery owner”" in alice.text
    craft = CONTENT.roles["craft_business"]
    await alice.press(craft.name.en)
    assert f"measure the gap to *{craft.name.en}*" in alice.text
    async with database.session() as session:
        profile = await users.get_profile(session, await user_id_of(database, "alice"))
    assert profile is not None and profile.target_role_custom == "Metal art gallery owner"


async def test_junk_answers_and_forged_buttons_change_nothing(alice: Talker, database: Database) -> None:
    await finish_onboarding(alice)
    await alice.command("skills")
    await alice.press("3")
    question = alice.action("4")
    flow, step, revision, _value = question.split(":")
    await alice.say("very good 🙂")
    assert "number from 1 to 5" in alice.text and alice.last[0].ephemeral
    await alice.press_action(f"{flow}:{step}:{revision}:9")  # right revision, impossible level
    assert "use one of the buttons" in alice.text
    await alice.press_action(f"{flow}:{step}:{int(revision) - 1}:4")  # an older question's button
    assert "expired" in alice.text
    await alice.press_action("skills:rate:1:<script>")
    assert "expired" in alice.text
    await alice.press_action(question)  # the real button still works
    assert f"3/{len(CLOUD.skills)}" in alice.text
    async with database.session() as session:
        unfinished = await coaching.open_assessments(session, await user_id_of(database, "alice"))
    assert unfinished[0].ratings == {CLOUD.skills[0].key: 3, CLOUD.skills[1].key: 4}


async def test_korean_user_rates_in_korean(minsu: Talker) -> None:
    await finish_onboarding(minsu)
    await minsu.command("skills")
    # The bold name stands apart from the particle after it, so Telegram and Slack can render it as bold.
    assert f"목표 경로: *{CLOUD.name.ko}*\n지금 수준에서 이 경로까지의 격차를 재 볼게요" in minsu.text
    assert minsu.labels[-2:] == ["건너뛰기", "수준별 설명 보기"]
    await minsu.press("수준별 설명 보기")
    assert CONTENT.skill_levels[0].description.ko in minsu.text
    await minsu.say("이")
    assert "1부터 5까지" in minsu.text
    await minsu.say("２")  # a full-width digit from a Korean keyboard
    assert f"2/{len(CLOUD.skills)}" in minsu.text
    await rate_all(minsu, CLOUD, {})
    assert f"{CLOUD.name.ko}까지의 격차" in minsu.text
    assert "어디서 시작할까요" in minsu.text
    image = minsu.last[-1].image
    assert image is not None and "역량" in image.alt
