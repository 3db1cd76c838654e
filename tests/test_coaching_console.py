"""/skills, /study and /progress through the console adapter, in English and Korean: what a person trying
Encore in a terminal sees, typing answers, choice numbers and letters."""

from __future__ import annotations

import io

from bot.console import Console
from coach.content import get_content
from coach.core import Coach

CONTENT = get_content()
CLOUD = CONTENT.roles["cloud_architect"]


class Screen:
    """A console whose output the test can read one answer at a time."""

    def __init__(self, coach: Coach, user: str, language: str) -> None:
        self.out = io.StringIO()
        self.console = Console(coach, stdin=io.StringIO(), stdout=self.out, user=user, language=language)

    async def type(self, line: str) -> str:
        start = len(self.out.getvalue())
        await self.console.say(line)
        return self.out.getvalue()[start:]


async def onboard(screen: Screen) -> None:
    # Role, horizon and hour take a typed answer too, so their choices have letters; the weekday is a choice.
    for line in ("/start", "Bank IT manager", "22", "a", "b", "2", "c", "Seoul"):
        await screen.type(line)


async def test_skills_study_and_progress_in_the_english_console(coach: Coach) -> None:
    screen = Screen(coach, "kim", "en")
    await onboard(screen)
    shown = await screen.type("/skills")
    assert f"1/{len(CLOUD.skills)} · {CLOUD.skills[0].name.en}" in shown
    assert "  6. Skip" in shown and "  7. What do the levels mean?" in shown
    shown = await screen.type("7")
    assert CONTENT.skill_levels[4].description.en in shown
    for skill in CLOUD.skills:
        shown = await screen.type("1" if skill is CLOUD.skills[0] else str(skill.target))
    assert f"1. {CLOUD.skills[0].name.en}: you 1" in shown
    assert "[picture: Skills for Cloud architect" in shown
    assert "Plan my study" in shown

    shown = await screen.type("/study")
    assert "Which certification" in shown
    await screen.type("SAA-C03")
    await screen.type("2027-03-01")
    shown = await screen.type("6")  # more than the four choices: read as hours
    assert "Saved. Here is the plan:" in shown and "(you planned 6)" in shown
    shown = await screen.type("1")  # Check in now
    assert "  c. 2 h" in shown  # hours can be typed too, so choices have letters
    await screen.type("3")  # typed hours: 3 h, never the third choice ("2 h")
    shown = await screen.type("1")  # first domain
    assert "☑" in shown
    await screen.type(str(len(CONTENT.certifications["aws_saa_c03"].domains) + 1))  # Done
    shown = await screen.type("a")  # No practice exam (a score can be typed, so it has a letter)
    assert "Hours studied: 3 of the typical" in shown
    assert "[picture: Study hours per week" in shown

    shown = await screen.type("/progress")
    assert "Cloud architect (assessed" in shown and "3 h done" in shown
    assert "[picture: Skills for Cloud architect" in shown


async def test_skills_study_and_progress_in_the_korean_console(coach: Coach) -> None:
    screen = Screen(coach, "lee", "ko")
    await onboard(screen)
    shown = await screen.type("/progress")
    assert "아직 평가 전이에요" in shown
    shown = await screen.type("/skills")
    assert "6. 건너뛰기" in shown
    for skill in CLOUD.skills:
        shown = await screen.type(str(max(skill.target - 1, 1)))
    assert f"*{CLOUD.name.ko}까지의 격차*".replace("*", "") in shown
    assert "[picture: " in shown and "역량" in shown

    shown = await screen.type("/study")
    await screen.type("ADsP")
    shown = await screen.type("a")  # Not booked yet (a date can be typed too, so it has a letter)
    assert "일주일에 몇 시간" in shown
    shown = await screen.type("한 시간 반")
    assert "저장했어요" in shown
    await screen.type("1")
    await screen.type("한시간")
    await screen.type(str(len(CONTENT.certifications["kr_adsp"].domains) + 1))  # 완료
    shown = await screen.type("58점")
    shown = await screen.type(str(len(CONTENT.certifications["kr_adsp"].domains) + 1))  # 잘 모르겠어요
    assert "최근 모의고사 점수: 58%" in shown

    shown = await screen.type("/progress")
    assert "1시간 완료" in shown
    assert "[picture: " in shown and "모의고사 점수" in shown
