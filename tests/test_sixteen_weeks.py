"""Sixteen weeks with one person, through the real flows and the real check-in tick: a study goal, weekly
logs, a pause, a skipped week, a public-holiday week, a re-plan when falling behind, a change of check-in
day, the last weeks before the exam, and the exam passed. Every week the check-in and /study must say the
same; the weekly verdicts are printed as a table (run with ``-s`` to see it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from coach.content import get_content
from coach.core import Coach
from coach.i18n import translator
from coach.plan import Plan
from coach.plan_words import position, time_left
from coach.study_report import goal_pace
from storage import coaching, users
from storage.db import Database
from tests.fakes.platform import Delivery, FakePlatform
from tests.support import FakeClock, Talker, person
from tests.test_checkins import runner
from tests.test_plan_agreement import facts

SAA = get_content().certifications["aws_saa_c03"]
EN = translator("en")
EXAM = date(2027, 3, 12)  # a Friday
FIRST_TUESDAY = datetime(2026, 12, 1, 0, 0, tzinfo=UTC)  # 09:00 in Seoul


@dataclass
class Row:
    week: int
    day: date
    kind: str
    status: str
    position: str
    streak: str
    left: str


def _one(values: set[object]) -> str:
    return ", ".join(str(v) for v in sorted(values, key=str)) or "—"


async def log_study(talker: Talker, hours: str, score: str | None = None) -> list[str]:
    """Log a week through /study's check-in; the buttons its answer offered."""
    await talker.command("study")
    await talker.press("Check in")
    await talker.say(hours)
    if "Done" in talker.labels:
        await talker.press(talker.labels[0])  # the first exam domain
        await talker.press("Done")
    if score is None:
        await talker.press("No practice exam")
    else:
        await talker.say(score)
        await talker.press(talker.labels[0])  # the weakest domain
    assert "Checked in" in talker.text, talker.text
    offered = talker.labels
    await agrees(talker, talker.text)
    return offered


async def agrees(talker: Talker, said_text: str) -> None:
    """What a reply said about the plan is what /study says right after it."""
    said = facts(said_text)
    truth = facts("\n".join(r.text for r in await talker.command("study")))
    await talker.command("cancel")
    for key in ("status", "position", "streak", "left"):
        if said[key]:
            assert said[key] == truth[key], (key, said_text, truth)


async def test_sixteen_weeks_of_one_honest_plan(database: Database, clock: FakeClock) -> None:
    coach = Coach(database, clock=clock)
    me = Talker(coach, person("hana", language="en"))
    platform = FakePlatform("console")
    tick = runner(database, clock, platform)

    # Week 0, Wednesday 25 November 2026: a profile, holidays kept, and a goal.
    await me.command("start")
    for answer in ("IT operations lead at an insurer", "24"):
        await me.say(answer)
    await me.press("Cloud architect")
    await me.press("3 years")
    await me.press("Tuesday")
    await me.press("09:00")
    await me.say("Seoul")
    await me.command("settings")
    await me.press("Holidays")
    await me.press("South Korea")
    await me.command("study")
    await me.say("SAA-C03")
    await me.say(EXAM.isoformat())
    await me.say("7")
    assert "Saved. Here is the plan:" in me.text

    rows: list[Row] = []
    seen = 0

    async def current_plan() -> Plan:
        async with database.session() as session:
            identity = await users.find_identity(session, "console", "", "hana")
            assert identity is not None
            [goal] = await coaching.all_goals(session, identity.user_id)
            user = await users.get_user(session, identity.user_id)
            assert user is not None
            return goal_pace(goal, [], get_content(), user, clock.now)

    async def week(number: int, when: datetime) -> Delivery | None:
        nonlocal seen
        clock.now = when
        await tick.tick()
        new = platform.deliveries[seen:]
        seen = len(platform.deliveries)
        assert len(new) <= 1, f"week {number}: two messages in one week"
        delivery = new[0] if new else None
        study = "\n".join(r.text for r in await me.command("study"))
        await me.command("cancel")
        text = delivery.text if delivery else ""
        said, truth = facts(text), facts(study)
        for key in ("status", "position", "left"):
            if said[key]:
                assert said[key] == truth[key], (number, key, text, study)
        if said["streak"]:
            assert said["streak"] == truth["streak"], (number, text, study)
        kind = (
            "holiday"
            if delivery and "No check-in this week" in text
            else "result"
            if "How did it go?" in text
            else "study"
            if delivery
            else "none"
        )
        plan = await current_plan()
        over = plan.phase.value in ("exam_day", "result_due")
        rows.append(
            Row(
                number,
                when.date(),
                kind,
                _one(truth["status"]),
                "—" if over else position(plan, EN),
                _one(truth["streak"]),
                time_left(plan, EN) or "—",
            )
        )
        return delivery

    def tuesday(number: int) -> datetime:
        return FIRST_TUESDAY + timedelta(weeks=number - 1)

    # Weeks 1-3: the plan kept.
    for number in (1, 2, 3):
        checkin = await week(number, tuesday(number))
        assert checkin is not None and "Your weekly check-in" in checkin.text
        clock.advance(minutes=30)
        await log_study(me, "7")
    # Week 4: the week logged, then check-ins paused for a week away.
    await week(4, tuesday(4))
    clock.advance(minutes=30)
    await log_study(me, "7")
    await me.command("settings")
    await me.press("Pause check-ins")
    await me.press("1 week")
    # Week 5: back; nothing studied while away.
    await week(5, tuesday(5))
    clock.advance(minutes=30)
    await log_study(me, "0")
    # Week 6: the paused week is not counted against the plan. This check-in is skipped with the button; the
    # promise that the streak is safe holds.
    checkin = await week(6, tuesday(6))
    assert checkin is not None and "behind your plan" not in checkin.text
    streak_before = facts(checkin.text)["streak"]
    await me.press_action(checkin.action("Skip this week"))
    assert "streak is safe" in me.text
    # Weeks 7-8: less than planned.
    checkin = await week(7, tuesday(7))
    assert checkin is not None and facts(checkin.text)["streak"] == streak_before
    clock.advance(minutes=30)
    await log_study(me, "3")
    await week(8, tuesday(8))
    clock.advance(minutes=30)
    await log_study(me, "2")
    # Week 9: behind by more than a week's plan: the check-in shows the arithmetic and its buttons; after
    # the week is logged, the re-plan is taken with the raise button the check-in's answer offers.
    checkin = await week(9, tuesday(9))
    assert checkin is not None and "Time to re-plan?" in checkin.text
    assert any(label.endswith("h a week from now") for label in checkin.labels)
    clock.advance(minutes=30)
    offered = await log_study(me, "2")
    await me.command("study")  # the same offer is on /study, with the same buttons
    assert [label for label in me.labels if label in offered] == [
        label for label in offered if label not in ("My study goals", "See my progress")
    ]
    raise_to = next(label for label in offered if label.endswith("h a week from now"))
    await me.press(raise_to)
    assert "New plan:" in me.text and "on pace with your plan" in me.text
    await agrees(me, me.text)
    await me.command("study")
    assert "Time to re-plan?" not in me.text
    await me.command("cancel")
    # Week 10: measured against the new plan.
    await week(10, tuesday(10))
    clock.advance(minutes=30)
    await log_study(me, "10")
    # Week 11: 설날 (its substitute holiday, Tuesday 9 February): a note instead of a check-in.
    note = await week(11, tuesday(11))
    assert note is not None and note.text.startswith("No check-in this week:") and note.labels == []
    # Week 12: the check-in, then the day changes to Thursday: no second check-in this week.
    await week(12, tuesday(12))
    clock.advance(minutes=30)
    await log_study(me, "10")
    await me.command("settings")
    await me.press("Check-in day")
    await me.press("Thursday")
    assert await week(12, tuesday(12) + timedelta(days=2)) is None  # Thursday 18 February: nothing
    # Week 13 (Thursday 25 February): a practice exam below the pass mark.
    await week(13, tuesday(13) + timedelta(days=2))
    clock.advance(minutes=30)
    await log_study(me, "10", score="64")
    # Week 14 (Thursday 4 March): eight days left, not "1 week"; the advice follows the practice score.
    checkin = await week(14, tuesday(14) + timedelta(days=2))
    assert checkin is not None and "8 days left" in checkin.text and "below the pass mark" in checkin.text
    clock.advance(minutes=30)
    await log_study(me, "10", score="82")
    # Week 15 (Thursday 11 March): the day before the exam, a practice score well above the pass mark.
    checkin = await week(15, tuesday(15) + timedelta(days=2))
    assert checkin is not None and "1 day left" in checkin.text and "keep the date" in checkin.text
    assert "Move the exam" not in checkin.text
    # Week 16 (Thursday 18 March): the exam was on Friday the 12th; the check-in asks for the result.
    checkin = await week(16, tuesday(16) + timedelta(days=2))
    assert checkin is not None and "How did it go?" in checkin.text and "Log this week" not in checkin.text
    await me.press_action(checkin.action("Passed"))
    assert "Congratulations on passing" in me.text and "Cloud Practitioner" not in me.text
    await me.command("study")
    assert "Exam date passed" not in me.text  # the result is recorded: nothing is due any more
    await me.command("cancel")
    async with database.session() as session:
        identity = await users.find_identity(session, "console", "", "hana")
        assert identity is not None
        [result] = await coaching.exam_results(session, identity.user_id)
        [goal] = await coaching.all_goals(session, identity.user_id)
    assert result.exam_date == EXAM and goal.status == "passed" and goal.closed_at is not None
    assert goal.closed_at.date() == EXAM

    happened = {
        1: "7 h logged",
        2: "7 h logged",
        3: "7 h logged",
        4: "7 h logged, then check-ins paused for a week",
        5: "back from the pause: 0 h logged",
        6: "check-in skipped with its button (streak kept)",
        7: "3 h logged",
        8: "2 h logged",
        9: "re-plan offered; 2 h logged, then raised to the hours that make the date",
        10: "10 h logged against the new plan",
        11: "설날 week: a note, no check-in",
        12: "10 h logged; check-in day moved to Thursday",
        13: "10 h logged, practice score 64%, below the pass mark (72%)",
        14: "10 h logged, practice score 82%",
        15: "the day before the exam: keep the date",
        16: "result asked; Passed recorded on the exam day (12 March)",
    }
    table = [
        "| week | date | message | verdict | against the plan | streak | to the exam | what happened |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    table += [
        f"| {r.week} | {r.day} | {r.kind} | {r.status} | {r.position} | {r.streak} | {r.left} | "
        + (happened[r.week] if r.kind != "none" else "Thursday of the same week: no second check-in")
        + " |"
        for r in rows
    ]
    print("\n" + "\n".join(table))
    kinds = [r.kind for r in rows]
    assert kinds.count("holiday") == 1 and kinds.count("result") == 1 and kinds.count("none") == 1
