"""Skills: a typed target path matched to the role it clearly means, the chart and the text naming the same
biggest gap, and next steps that never presume work the user has not done."""

from __future__ import annotations

import pytest

from coach.content import get_content
from coach.core import Coach
from coach.role_match import match_role
from storage import users
from storage.db import Database
from storage.models import Profile
from tests.support import Talker, person

CONTENT = get_content()


@pytest.mark.parametrize(
    ("typed", "role"),
    [
        ("independent financial planner", "financial_planner"),
        ("Independent Financial Adviser (IFA) for retirees", "financial_planner"),
        ("클라우드 엔지니어", "cloud_architect"),
        ("AWS 클라우드엔지니어로 전직", "cloud_architect"),
        ("재무 설계사", "financial_planner"),
        ("재무설계사", "financial_planner"),
        ("AI/ML engineer", "ml_engineer"),
        ("cybersecurity consultant for small banks", "it_security_consultant"),
        ("금속공예 공방", "craft_business"),
        ("startup mentor", "startup_advisor"),
        ("Data Analyst", "data_analyst"),
    ],
)
def test_a_typed_path_that_clearly_means_a_role_is_matched(typed: str, role: str) -> None:
    found = match_role(CONTENT, typed)
    assert found is not None and found.key == role


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "something with people",
        "personal trainer",  # not a corporate trainer
        "data engineer",  # between two roles: not clear
        "cloud",  # a word, not a path
        "cloud engineer and financial planner",  # two roles at once
        "plannerx",  # no partial words
    ],
)
def test_vague_or_mixed_paths_stay_as_typed(typed: str) -> None:
    assert match_role(CONTENT, typed) is None


def test_the_chart_caption_and_the_text_name_the_same_biggest_gap() -> None:
    """Weighted: a 2-point gap on a skill of weight 3 outranks a 3-point gap on one of weight 1.5."""
    from datetime import UTC, datetime

    from coach.charts import describe
    from coach.i18n import translator
    from coach.skills_report import result_text, skill_panel
    from storage.models import SkillAssessment

    role = CONTENT.roles["cloud_architect"]
    ratings: dict[str, object] = {skill.key: skill.target for skill in role.skills}
    ratings |= {"cloud_fundamentals": 1, "identity_security": 2}
    now = datetime(2026, 11, 25, tzinfo=UTC)
    assessment = SkillAssessment(
        user_id=1, role_key=role.key, ratings=ratings, started_at=now, completed_at=now
    )
    for language in ("en", "ko"):
        t = translator(language)
        first_ranked = result_text(role, assessment, None, t, CONTENT)[0].splitlines()[2]
        caption = describe(skill_panel(role, ratings, language), t)
        biggest = role.skill("identity_security").name.get(language)
        assert first_ranked.startswith(f"1. {biggest}")
        assert biggest in caption and role.skill("cloud_fundamentals").name.get(language) not in caption


def test_next_steps_never_presume_work_the_user_has_not_done() -> None:
    """A step may build on the step before it in the same list, never on something from elsewhere."""
    import re

    presumes = re.compile(
        r"\b(rebuild your|your (?:network |home )?lab\b|the lab you|you built|how you built|the project you)|앞서 만든|만든 실습",
        re.IGNORECASE,
    )
    texts = [
        (f"{role.key}.{skill.key}", text)
        for role in CONTENT.roles.values()
        for skill in role.skills
        for step in skill.next_steps
        for text in (step.en, step.ko)
    ]
    texts += [
        (prompt.key, text)
        for prompt in CONTENT.prompts
        for level in (prompt.follow_up.low, prompt.follow_up.steady, prompt.follow_up.high)
        for text in (level.en, level.ko)
    ]
    assert [where for where, text in texts if presumes.search(text)] == []
    firsts = [skill.next_steps[0] for role in CONTENT.roles.values() for skill in role.skills]
    assert [s.en for s in firsts if re.match(r"(it|that|this|them)\b", s.en, re.IGNORECASE)] == []


async def test_onboarding_offers_the_role_a_typed_path_clearly_means(
    database: Database, coach: Coach
) -> None:
    hana = Talker(coach, person("hana", language="en"))
    await hana.command("start")
    await hana.say("Branch manager at a bank")
    await hana.say("25")
    await hana.press("Something else")
    await hana.say("independent financial planner")
    planner = CONTENT.roles["financial_planner"].name.en
    assert f"sounds like {planner}" in hana.text
    assert hana.labels == [planner, "Keep my words: independent financial planner"]
    await hana.press(planner)
    profile = await _profile(database, "hana")
    assert (profile.target_role, profile.target_role_custom) == ("financial_planner", None)

    # Kept as typed, when that is what the person wants; a vague path is not questioned at all.
    jun = Talker(coach, person("jun", language="ko"))
    await jun.command("start")
    await jun.say("은행 지점장")
    await jun.say("25")
    await jun.press("직접 입력")
    await jun.say("재무 설계사 겸 강사")
    assert "Keep my words" not in jun.text and "제가 쓴 대로: 재무 설계사 겸 강사" in jun.labels
    await jun.press("제가 쓴 대로: 재무 설계사 겸 강사")
    profile = await _profile(database, "jun")
    assert (profile.target_role, profile.target_role_custom) == (None, "재무 설계사 겸 강사")
    await jun.command("skills")  # measured against a catalog role: the one the words mean comes first
    assert jun.labels[0] == CONTENT.roles["financial_planner"].name.ko
    min_ = Talker(coach, person("min", language="en"))
    await min_.command("start")
    await min_.say("Teacher")
    await min_.say("25")
    await min_.press("Something else")
    await min_.say("something with people")
    assert "sounds like" not in min_.text
    profile = await _profile(database, "min")
    assert profile.target_role_custom == "something with people"


async def _profile(database: Database, name: str) -> Profile:
    async with database.session() as session:
        identity = await users.find_identity(session, "console", "", name)
        assert identity is not None
        profile = await users.get_profile(session, identity.user_id)
        assert profile is not None
        return profile
