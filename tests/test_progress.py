"""/progress through the coach: one summary across flows, helpful when there is nothing yet, with a picture."""

from __future__ import annotations

import io

from PIL import Image as PILImage

from coach.content import get_content
from tests.support import FakeClock, Talker
from tests.test_onboarding import finish_onboarding
from tests.test_skills import rate_all

CONTENT = get_content()
CLOUD = CONTENT.roles["cloud_architect"]


async def test_a_new_user_gets_pointers_instead_of_a_crash(alice: Talker) -> None:
    await alice.command("progress")
    assert "No path chosen yet. /skills" in alice.text
    assert "No study goal yet. /study" in alice.text
    assert "0 reflections" in alice.text
    assert all(reply.image is None for reply in alice.last)
    assert "Rate my skills" in alice.labels and "Set a study goal" in alice.labels


async def test_a_path_without_an_assessment_points_to_skills(alice: Talker) -> None:
    await finish_onboarding(alice)
    await alice.command("progress")
    assert f"{CLOUD.name.en}: not assessed yet. /skills measures the gap" in alice.text
    assert "Ready by: Nov 25, 2029 (3 years to go)" in alice.text
    await alice.press("Rate my skills")
    assert f"measure the gap to *{CLOUD.name.en}*" in alice.text


async def test_everything_in_one_summary_with_a_picture(alice: Talker, clock: FakeClock) -> None:
    await finish_onboarding(alice)
    await alice.command("reflect")
    await alice.say("I know the bank's network better than anyone; I have never built one in the cloud.")
    await alice.press("3")
    await alice.command("skills")
    await rate_all(alice, CLOUD, {CLOUD.skills[0].key: 1})
    await alice.command("study")
    await alice.say("saa-c03")
    await alice.say("2027-03-01")
    await alice.say("6")
    await alice.press("Check in now")
    await alice.say("5")
    await alice.press("Done")
    await alice.say("61")
    await alice.press("Not sure")
    clock.advance(days=1)
    await alice.command("progress")
    summary = alice.last[0].text
    assert "Journal*: 1 reflection" in summary
    assert f"{CLOUD.name.en} (assessed Nov 25, 2026): total gap" in summary
    assert f"widest: {CLOUD.skills[0].name.en}" in summary
    assert "AWS Certified Solutions Architect – Associate (SAA-C03):" in summary and "5 h done" in summary
    image = alice.last[-1].image
    assert image is not None
    assert "Skills for" in image.alt and "Study hours per week" in image.alt and "latest 61%" in image.alt
    with PILImage.open(io.BytesIO(image.png)) as picture:
        width, height = picture.size
    assert width == 1000 and height > 1000  # three panels stacked


async def test_korean_summary(minsu: Talker) -> None:
    await finish_onboarding(minsu)
    await minsu.command("progress")
    assert f"{CLOUD.name.ko}: 아직 평가 전이에요" in minsu.text
    assert "아직 공부 목표가 없어요" in minsu.text
    assert "역량 평가하기" in minsu.labels
