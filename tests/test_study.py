"""/study through the coach: goals from the catalog or custom, check-ins typed the way people type, an
honest pace, exam results, several goals, and refusals that lose nothing."""

from __future__ import annotations

from datetime import date

import pytest

from coach.content import get_content
from coach.i18n import translator
from coach.study_report import study_nudge_line
from storage import coaching, users
from storage.db import Database
from tests.support import FakeClock, Talker
from tests.test_onboarding import finish_onboarding

CONTENT = get_content()
SAA = CONTENT.certifications["aws_saa_c03"]


async def user_of(database: Database, name: str) -> int:
    async with database.session() as session:
        identity = await users.find_identity(session, "console", "", name)
        assert identity is not None
        return identity.user_id


async def set_saa_goal(talker: Talker, *, exam: str = "2027-03-01", weekly: str = "6") -> None:
    await talker.command("study")
    await talker.say("saa-c03")
    await talker.say(exam)
    await talker.say(weekly)


async def test_a_catalog_goal_with_a_checkin_and_the_pace(alice: Talker, database: Database) -> None:
    await finish_onboarding(alice)  # target: cloud architect
    await alice.command("study")
    assert "These suit your path" in alice.text
    assert SAA.name in alice.labels and "My own goal" in alice.labels
    await alice.say("SAA C03")
    assert f"Typical preparation: {SAA.study_hours_min}–{SAA.study_hours_max} hours" in alice.text
    await alice.say("2027-03-01")  # 96 days after 2026-11-25 in Seoul
    await alice.say("6")
    assert "Saved. Here is the plan:" in alice.text
    assert "Exam: Mar 1, 2027, 13.7 weeks left" in alice.text
    await alice.press("Check in now")
    assert "since you set the goal (Nov 25, 2026)" in alice.text
    await alice.say("1h30")
    assert "☐ " + SAA.domains[0].name.en in alice.labels and "Done" in alice.labels
    await alice.press("☐ " + SAA.domains[0].name.en)
    assert "☑ " + SAA.domains[0].name.en in alice.labels
    await alice.press("☐ " + SAA.domains[1].name.en)
    await alice.press("☑ " + SAA.domains[0].name.en)  # tapped again: unselected
    await alice.press("Done")
    await alice.say("72%")
    await alice.press(SAA.domains[2].name.en)
    report = alice.last[0].text
    assert "Checked in. Here is your pace:" in report
    assert f"Hours studied: 1.5 of the typical {SAA.study_hours_min}–{SAA.study_hours_max}" in report
    need = (SAA.study_hours_min + SAA.study_hours_max) / 2
    assert f"Needed from now: {round((need - 1.5) / (96 / 7), 1):g} h/week (you planned 6)" in report
    assert f"Weakest domain: {SAA.domains[2].name.en}" in report
    assert "Latest practice score: 72%" in report
    assert "Streak: 1 week with a check-in" in report
    assert any(word in report for word in ("On track", "Behind", "At risk"))
    assert "Next: " in report
    image = alice.last[1].image
    assert image is not None and "Study hours per week" in image.alt and "Practice scores" in image.alt
    async with database.session() as session:
        (checkin,) = await coaching.checkins_of_user(session, await user_of(database, "alice"))
    assert (checkin.hours, checkin.domains, checkin.practice_score) == (1.5, [SAA.domains[1].key], 72.0)
    assert checkin.weakest_domain == SAA.domains[2].key


@pytest.mark.parametrize(("typed", "hours"), [("1.5", 1.5), ("90m", 1.5), ("1h30", 1.5), ("2 hours", 2.0)])
async def test_hours_typed_in_english(alice: Talker, database: Database, typed: str, hours: float) -> None:
    await finish_onboarding(alice)
    await set_saa_goal(alice)
    await alice.press("Check in now")
    await alice.say(typed)
    async with database.session() as session:
        (checkin,) = await coaching.checkins_of_user(session, await user_of(database, "alice"))
    assert checkin.hours == hours


@pytest.mark.parametrize(
    ("typed", "hours"), [("한 시간", 1.0), ("한시간 반", 1.5), ("2시간", 2.0), ("90분", 1.5)]
)
async def test_hours_typed_in_korean(minsu: Talker, database: Database, typed: str, hours: float) -> None:
    await finish_onboarding(minsu)
    await set_saa_goal(minsu)
    await minsu.press("지금 체크인")
    await minsu.say(typed)
    assert "어떤 시험 영역을 공부했나요?" in minsu.text
    async with database.session() as session:
        (checkin,) = await coaching.checkins_of_user(session, await user_of(database, "minsu"))
    assert checkin.hours == hours


async def test_unreadable_negative_and_impossible_hours_get_kind_re_asks(
    alice: Talker, database: Database
) -> None:
    await finish_onboarding(alice)
    await alice.command("study")
    await alice.say("saa-c03")
    await alice.press("Not booked yet")
    await alice.say("-3")
    assert "can't be negative" in alice.text
    await alice.say("150")
    assert "up to 100" in alice.text
    await alice.say("a lot")
    assert "could not read that as hours" in alice.text
    await alice.say("100")  # the limit itself is accepted
    assert "Saved. Here is the plan:" in alice.text
    assert "Exam: not booked yet" in alice.text
    await alice.press("Check in now")
    await alice.say("some")
    assert "couldn't read that as hours" in alice.text
    await alice.say("-2")
    assert "can't be negative" in alice.text
    await alice.say("500")  # in the first week, at most 100
    assert "more than I can believe" in alice.text
    async with database.session() as session:
        assert await coaching.checkins_of_user(session, await user_of(database, "alice")) == []
    await alice.say("0")  # an honest zero skips the domains
    assert "practice exam" in alice.text


async def test_exam_dates_in_the_past_or_too_far_are_refused(alice: Talker) -> None:
    await finish_onboarding(alice)
    await alice.command("study")
    await alice.say("saa-c03")
    await alice.say("2026-11-24")
    assert "has already passed" in alice.text
    await alice.say("2031-01-01")
    assert "more than three years away" in alice.text
    await alice.say("next spring")
    assert "could not read that as a date" in alice.text
    await alice.say("2026-11-25")  # today in Seoul: not in the past
    assert "How many hours a week" in alice.text


async def test_scores_outside_0_to_100_are_refused_and_the_checkin_kept(
    alice: Talker, database: Database
) -> None:
    await finish_onboarding(alice)
    await set_saa_goal(alice)
    await alice.press("Check in now")
    await alice.say("2")
    await alice.press("Done")
    await alice.say("120%")
    assert "from 0 to 100" in alice.text
    await alice.say("1200")  # more than the 1000 an AWS exam is scored out of
    assert "from 0 to 100" in alice.text
    await alice.say("-5")
    assert "from 0 to 100" in alice.text
    await alice.say("pretty well")
    assert "number from 0 to 100" in alice.text
    await alice.command("cancel")  # walking away keeps the hours already given
    async with database.session() as session:
        (checkin,) = await coaching.checkins_of_user(session, await user_of(database, "alice"))
    assert (checkin.hours, checkin.practice_score) == (2.0, None)
    await alice.command("progress")
    assert "2 h done" in alice.text


async def test_a_certification_not_in_the_catalog_becomes_a_custom_goal(
    alice: Talker, database: Database
) -> None:
    await finish_onboarding(alice)
    await alice.command("study")
    await alice.say("Goldsmith master exam")
    assert "“Goldsmith master exam” is not in my catalog" in alice.text
    await alice.press("Yes, track it")
    await alice.say("about 200 hours")
    await alice.press("Not booked yet")
    await alice.press("5 h")
    assert "Goldsmith master exam" in alice.text
    assert "Hours studied: 0 of the typical 200–200" in alice.text
    await alice.press("Check in now")
    await alice.say("3")
    assert "practice exam" in alice.text  # no domains to ask for a custom goal
    await alice.press("No practice exam")
    assert "Hours studied: 3 of the typical 200–200" in alice.text
    async with database.session() as session:
        (goal,) = await coaching.active_goals(session, await user_of(database, "alice"))
    assert (goal.cert_key, goal.custom_name, goal.typical_hours_min) == (None, "Goldsmith master exam", 200)


async def test_several_goals_at_once(alice: Talker) -> None:
    await finish_onboarding(alice)
    await set_saa_goal(alice)
    await alice.command("study")
    await alice.press("New goal")
    await alice.press("Show all")
    await alice.press(CONTENT.certifications["kr_sqld"].name)
    await alice.press("Not booked yet")
    await alice.press("3 h")
    await alice.command("study")
    assert f"Check in: {SAA.name}" in alice.labels
    sqld = CONTENT.certifications["kr_sqld"].name
    assert f"Check in: {sqld}" in alice.labels
    assert alice.text.count("• ") == 2
    await alice.press(f"Check in: {sqld}")
    assert sqld in alice.text


async def test_weeks_of_checkins_build_a_streak(alice: Talker, clock: FakeClock) -> None:
    await finish_onboarding(alice)
    await set_saa_goal(alice)
    await alice.press("Done")
    for _week in range(3):
        clock.advance(days=7)
        await alice.command("study")
        await alice.press("Check in")
        await alice.say("6")
        await alice.press("Done")
        await alice.press("No practice exam")
    assert "Streak: 3 weeks in a row with a check-in" in alice.text
    assert "Hours studied: 18 of" in alice.text


async def test_passing_the_exam_suggests_what_next(alice: Talker, database: Database) -> None:
    await finish_onboarding(alice)
    await set_saa_goal(alice)
    await alice.command("study")
    await alice.press("Record an exam result")
    await alice.press("Passed")
    await alice.say("1200/1000")
    assert "percentage from 0 to 100" in alice.text
    await alice.say("780/1000")
    assert f"Congratulations on passing {SAA.name}" in alice.text
    assert "What next?" in alice.text
    assert SAA.name not in alice.text.split("What next?")[1]  # no longer suggested
    async with database.session() as session:
        user_id = await user_of(database, "alice")
        (result,) = await coaching.exam_results(session, user_id)
        assert (result.passed, result.score) == (True, 78.0)
        assert await coaching.active_goals(session, user_id) == []
    await alice.command("progress")
    assert f"✓ {SAA.name}: passed on" in alice.text


async def test_failing_keeps_the_goal_open_for_a_retake(alice: Talker, database: Database) -> None:
    await finish_onboarding(alice)
    await set_saa_goal(alice)
    await alice.command("study")
    await alice.press("Record an exam result")
    await alice.press("Not this time")
    await alice.press("Skip")
    assert "second sitting" in alice.text
    await alice.press("Set a retake date")
    await alice.say("2027-05-10")
    assert "Saved." in alice.text
    async with database.session() as session:
        (goal,) = await coaching.active_goals(session, await user_of(database, "alice"))
    assert goal.exam_date == date(2027, 5, 10)


async def test_changing_and_stopping_a_goal(alice: Talker, database: Database) -> None:
    await finish_onboarding(alice)
    await set_saa_goal(alice, exam="2027-03-01")
    await alice.command("study")
    await alice.press("Change a goal")
    await alice.press("Hours per week")
    await alice.say("101")
    assert "up to 100" in alice.text
    await alice.say("8")
    await alice.press("Change a goal")
    await alice.press("Stop this goal")
    assert f"Stopped {SAA.name}" in alice.text
    async with database.session() as session:
        (goal,) = await coaching.all_goals(session, await user_of(database, "alice"))
    assert (goal.weekly_hours, goal.status) == (8.0, "dropped")


async def test_forged_and_junk_buttons_change_nothing(alice: Talker, database: Database) -> None:
    await finish_onboarding(alice)
    await set_saa_goal(alice)
    await alice.press("Check in now")
    await alice.say("2")
    done = alice.action("Done")
    flow, step, revision, _value = done.split(":")
    await alice.press_action(f"{flow}:{step}:{revision}:d99")
    assert "use one of the buttons" in alice.text
    await alice.press_action(f"{flow}:{step}:{revision}:zz")
    assert "use one of the buttons" in alice.text
    await alice.press_action("study:ci_domains:9999:d0")
    assert "expired" in alice.text
    await alice.press_action("study:menu:" + "9" * 60)
    assert "expired" in alice.text
    await alice.press_action(done)
    assert "practice exam" in alice.text
    async with database.session() as session:
        (checkin,) = await coaching.checkins_of_user(session, await user_of(database, "alice"))
    assert (checkin.hours, checkin.domains) == (2.0, [])


async def test_korean_goal_and_checkin(minsu: Talker) -> None:
    await finish_onboarding(minsu)
    await minsu.command("study")
    assert "내 경로에 맞는 자격증" in minsu.text
    await minsu.say("정보처리기사")
    await minsu.press("아직 예약 전")
    await minsu.say("많이요")
    assert "시간으로 읽을 수 없었어요" in minsu.text
    await minsu.say("일주일에 5시간")  # a weekly rate is what the question asks for
    assert "저장했어요" in minsu.text and "시험: 아직 예약 전" in minsu.text
    await minsu.press("지금 체크인")
    await minsu.say("두 시간")
    cert = CONTENT.certifications["kr_engineer_information_processing"]
    await minsu.press("☐ " + cert.domains[0].name.ko)
    await minsu.press("완료")
    await minsu.press("안 봤어요")
    assert "공부한 시간: 보통 필요한" in minsu.text and "2시간" in minsu.text
    assert "다음 할 일:" in minsu.text


async def test_study_nudge_line_summarises_each_goal(
    alice: Talker, database: Database, clock: FakeClock
) -> None:
    await finish_onboarding(alice)
    async with database.session() as session:
        user = await users.get_user(session, await user_of(database, "alice"))
        assert user is not None
        assert await study_nudge_line(session, user, translator("en"), clock.now) is None
    await set_saa_goal(alice)
    async with database.session() as session:
        user = await users.get_user(session, await user_of(database, "alice"))
        assert user is not None
        line = await study_nudge_line(session, user, translator("ko"), clock.now)
    assert line is not None
    assert SAA.name in line and "0시간 완료" in line and "/study" in line
