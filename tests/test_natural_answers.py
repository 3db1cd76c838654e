"""Natural answers in every question that asks for them: onboarding, /settings and /study, Korean and
English. Each of the issue's examples is typed into the question it answers; an answer that could mean two
things is asked about with buttons, never silently picked.

The clock is Wednesday 2026-11-25, 10:00 in Seoul (01:00 UTC).
"""

from __future__ import annotations

from datetime import date

import pytest

from storage import coaching, journal, users
from storage.db import Database
from storage.models import Profile, StudyCheckin, StudyGoal, User
from tests.support import Talker
from tests.test_free_text import user_of


async def user_row(database: Database, name: str) -> User:
    async with database.session() as session:
        user = await users.get_user(session, await user_of(database, name))
    assert user is not None
    return user


async def stored(database: Database, name: str) -> tuple[User, Profile]:
    async with database.session() as session:
        profile = await users.get_profile(session, await user_of(database, name))
    assert profile is not None
    return await user_row(database, name), profile


async def goal_of(database: Database, name: str) -> tuple[StudyGoal, list[StudyCheckin]]:
    async with database.session() as session:
        (goal,) = await coaching.active_goals(session, await user_of(database, name))
        return goal, await coaching.checkins_of(session, goal.id or 0)


async def up_to_horizon(talker: Talker, years: str = "22") -> None:
    await talker.command("start")
    await talker.say("은행 IT 인프라 팀장" if talker.identity.language == "ko-KR" else "Bank IT manager")
    await talker.say(years)
    await talker.press(talker.labels[0])


async def up_to_day(talker: Talker) -> None:
    await up_to_horizon(talker)
    await talker.press(talker.labels[1])  # 3 years


# -- onboarding ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("typed", ["22년차", "22년", "about 22 years", "이십이 년", "22년 일했어요"])
async def test_years_of_experience_in_words(minsu: Talker, database: Database, typed: str) -> None:
    await up_to_horizon(minsu, typed)
    _user, profile = await stored(database, "minsu")
    assert profile.years_experience == 22


@pytest.mark.parametrize(
    ("typed", "ready_by"),
    [
        ("4개월 안에", date(2027, 3, 25)),
        ("in 2 years", date(2028, 11, 25)),
        ("2032년 6월", date(2032, 6, 30)),
        ("12월 10일", date(2026, 12, 10)),
        ("June 13, 2027", date(2027, 6, 13)),
        ("2030", date(2030, 12, 31)),
        ("5", date(2031, 11, 25)),
    ],
)
async def test_the_horizon_in_words(minsu: Talker, database: Database, typed: str, ready_by: date) -> None:
    await up_to_horizon(minsu)
    await minsu.say(typed)
    assert "무슨 요일" in minsu.text
    _user, profile = await stored(database, "minsu")
    assert profile.horizon_date == ready_by


async def test_a_date_whose_day_and_month_could_swap_is_asked_about(
    alice: Talker, database: Database
) -> None:
    await up_to_horizon(alice)
    await alice.say("06/07/2030")
    assert alice.text == "Which date do you mean?" and alice.labels == ["Jun 7, 2030", "Jul 6, 2030"]
    await alice.press("Jul 6, 2030")
    _user, profile = await stored(database, "alice")
    assert profile.horizon_date == date(2030, 7, 6)


async def test_day_and_time_together_answer_both_questions(minsu: Talker, database: Database) -> None:
    await up_to_day(minsu)
    await minsu.say("화요일 밤 9시")
    assert "시간대" in minsu.text  # the time question was answered too
    user, _profile = await stored(database, "minsu")
    assert (user.checkin_weekday, user.checkin_hour, user.checkin_minute) == (1, 21, 0)


@pytest.mark.parametrize("typed", ["Tuesdays", "Tue", "화", "매주 화요일", "화요일마다"])
async def test_a_weekday_in_words(minsu: Talker, database: Database, typed: str) -> None:
    await up_to_day(minsu)
    await minsu.say(typed)
    assert "몇 시가 좋으세요?" in minsu.text
    user, _profile = await stored(database, "minsu")
    assert user.checkin_weekday == 1


async def test_tuesdays_at_9_asks_morning_or_evening_with_buttons(alice: Talker, database: Database) -> None:
    await up_to_day(alice)
    await alice.say("Tuesdays at 9")
    assert alice.labels == ["Tuesday 09:00", "Tuesday 21:00"]
    await alice.press("Tuesday 21:00")
    assert "Which time zone" in alice.text
    user, _profile = await stored(database, "alice")
    assert (user.checkin_weekday, user.checkin_hour) == (1, 21)


async def test_night_said_with_the_day_settles_the_hour(minsu: Talker, database: Database) -> None:
    await up_to_day(minsu)
    await minsu.say("화요일 밤")
    assert minsu.labels == ["20:00", "21:00", "22:00", "23:00"]  # the hours of the night
    await minsu.say("9시")  # night was said: 21:00, not 09:00
    user, _profile = await stored(database, "minsu")
    assert (user.checkin_weekday, user.checkin_hour) == (1, 21)


async def test_9_alone_is_asked_about_never_silently_morning(minsu: Talker, database: Database) -> None:
    await up_to_day(minsu)
    await minsu.press("화요일")
    await minsu.say("9시")
    assert minsu.labels == ["09:00", "21:00"]
    user, _profile = await stored(database, "minsu")
    assert user.checkin_hour is None
    await minsu.press("09:00")
    user, _profile = await stored(database, "minsu")
    assert user.checkin_hour == 9


@pytest.mark.parametrize(
    ("typed", "hour", "minute"),
    [
        ("밤 9시", 21, 0),
        ("저녁 9시 반", 21, 30),
        ("오후 8시", 20, 0),
        ("9pm", 21, 0),
        ("21시", 21, 0),
        ("07:30", 7, 30),
    ],
)
async def test_times_of_day_in_words(
    minsu: Talker, database: Database, typed: str, hour: int, minute: int
) -> None:
    await up_to_day(minsu)
    await minsu.press("수요일")
    await minsu.say(typed)
    assert "시간대" in minsu.text
    user, _profile = await stored(database, "minsu")
    assert (user.checkin_hour, user.checkin_minute) == (hour, minute)


@pytest.mark.parametrize("typed", ["부산", "Busan", "대구", "I live in Daegu", "부산에 살아요"])
async def test_a_korean_city_is_a_time_zone(alice: Talker, database: Database, typed: str) -> None:
    await up_to_day(alice)
    await alice.press("Tuesday")
    await alice.press("09:00")
    await alice.say(typed)
    assert "All set" in alice.text and "Seoul (UTC+09:00)" in alice.text
    user, _profile = await stored(database, "alice")
    assert user.timezone == "Asia/Seoul"


# -- /settings ----------------------------------------------------------------------------------------------
async def test_settings_asks_the_same_questions_and_reads_the_same_answers(
    minsu: Talker, database: Database
) -> None:
    await minsu.command("settings")
    await minsu.press("체크인 요일")
    await minsu.say("목요일 저녁 8시 반")
    assert "주간 체크인: 목요일 20:30" in minsu.text
    await minsu.press("시간대")
    await minsu.say("Osaka")
    assert "시간대: 도쿄 (UTC+09:00)" in minsu.text
    await minsu.press("체크인 시각")
    await minsu.say("9시")
    assert minsu.labels == ["09:00", "21:00"]
    await minsu.press("21:00")
    await minsu.press("체크인 일시 중지")
    await minsu.press("날짜 지정")
    await minsu.say("1월 15일")
    assert "2027. 1. 15.까지 체크인을 멈출게요" in minsu.text
    user = await user_row(database, "minsu")
    assert (user.checkin_weekday, user.checkin_hour, user.checkin_minute) == (3, 21, 0)
    assert user.timezone == "Asia/Tokyo" and user.paused_until == date(2027, 1, 15)


# -- /study -------------------------------------------------------------------------------------------------
async def to_exam_date(talker: Talker) -> None:
    await talker.command("study")
    await talker.say("SAA-C03")


@pytest.mark.parametrize(
    ("typed", "exam"),
    [
        ("June 13, 2027", date(2027, 6, 13)),
        ("12월 10일", date(2026, 12, 10)),
        ("2027년 3월 14일", date(2027, 3, 14)),
    ],
)
async def test_the_exam_date_in_words(minsu: Talker, database: Database, typed: str, exam: date) -> None:
    await to_exam_date(minsu)
    await minsu.say(typed)
    await minsu.say("5")
    goal, _checkins = await goal_of(database, "minsu")
    assert goal.exam_date == exam


async def test_an_exam_month_without_a_day_is_asked_about(alice: Talker) -> None:
    await to_exam_date(alice)
    await alice.say("2027년 6월")
    assert "Which day is the exam?" in alice.text
    await alice.say("2027-06-13")
    assert "How many hours a week" in alice.text


@pytest.mark.parametrize(
    ("typed", "weekly"),
    [("6 hours a week", 6.0), ("주 6시간", 6.0), ("한 시간 반", 1.5), ("90분", 1.5), ("4.5", 4.5)],
)
async def test_weekly_hours_in_words(alice: Talker, database: Database, typed: str, weekly: float) -> None:
    await to_exam_date(alice)
    await alice.say("2027-06-13")
    await alice.say(typed)
    goal, _checkins = await goal_of(database, "alice")
    assert goal.weekly_hours == weekly


async def test_an_hour_a_day_asks_every_day_or_weekdays(minsu: Talker, database: Database) -> None:
    await to_exam_date(minsu)
    await minsu.say("2027-06-13")
    await minsu.say("하루 1시간")
    assert "매일인가요" in minsu.text and minsu.labels == ["7시간", "5시간"]
    await minsu.press("5시간")
    goal, _checkins = await goal_of(database, "minsu")
    assert goal.weekly_hours == 5.0


@pytest.mark.parametrize(
    ("typed", "percent"), [("36/50", 72.0), ("780점", 78.0), ("72%", 72.0), ("65점", 65.0)]
)
async def test_a_practice_score_in_words(
    alice: Talker, database: Database, typed: str, percent: float
) -> None:
    await to_exam_date(alice)
    await alice.say("2027-06-13")
    await alice.say("6")
    await alice.press("Check in now")
    await alice.say("한 시간 반")
    await alice.press("Done")
    await alice.say(typed)  # an AWS exam is scored out of 1000: 780 is 78%
    _goal, (checkin,) = await goal_of(database, "alice")
    assert (checkin.hours, checkin.practice_score) == (1.5, percent)


async def test_an_exam_result_of_780_points_on_a_1000_point_exam(alice: Talker, database: Database) -> None:
    await to_exam_date(alice)
    await alice.say("2027-06-13")
    await alice.say("6")
    await alice.press("Done")
    await alice.command("study")
    await alice.press("Record an exam result")
    await alice.press("Passed")
    await alice.say("780점")
    assert "Congratulations" in alice.text
    async with database.session() as session:
        (result,) = await coaching.exam_results(session, await user_of(database, "alice"))
    assert result.score == 78.0


# -- ratings ------------------------------------------------------------------------------------------------
async def test_a_rating_of_3_points_in_skills_and_in_a_reflection(minsu: Talker, database: Database) -> None:
    await up_to_day(minsu)
    await minsu.command("skills")
    await minsu.say("3점")
    async with database.session() as session:
        (assessment,) = await coaching.open_assessments(session, await user_of(database, "minsu"))
    assert list(assessment.ratings.values()) == [3]
    await minsu.command("reflect")
    await minsu.say("데이터센터 이전을 두 번 끝까지 맡아 본 경험이 제일 대체하기 어려워요.")
    await minsu.say("3점")
    assert "일지에 저장했어요" in minsu.text
    async with database.session() as session:
        (entry,) = await journal.page_of_entries(session, await user_of(database, "minsu"), offset=0, limit=5)
    assert entry.confidence == 3
