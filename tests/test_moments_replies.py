"""The replies for moments, in Korean and English: crisis help, the cooling-off offer, quick logs, notes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from coach import actions, moments
from coach.i18n import translator
from coach.understanding import SnoozeUntil, Topic

NOW = datetime(2026, 11, 25, 13, 0, tzinfo=UTC)
KO, EN = translator("ko"), translator("en")


def test_a_korean_user_gets_109_and_1577_0199_and_no_coaching() -> None:
    reply = moments.crisis_reply(KO, country="KR")
    assert "109" in reply.text and "1577-0199" in reply.text and "119" in reply.text
    assert "자살예방상담전화" in reply.text and "정신건강위기상담전화" in reply.text
    assert reply.choices == () and reply.ask is None  # no prompt, no buttons: only where help is
    assert "/" not in reply.text  # no command to go and do something else


def test_a_korean_speaker_whose_country_is_unknown_gets_the_korean_lines() -> None:
    assert "109" in moments.crisis_reply(KO, country=None).text


def test_someone_elsewhere_gets_their_emergency_number_and_findahelpline() -> None:
    us = moments.crisis_reply(EN, country="US").text
    assert "911" in us and "findahelpline.com" in us and "109" not in us
    germany = moments.crisis_reply(KO, country="DE").text  # a Korean speaker in Berlin: local help, in Korean
    assert "112" in germany and "findahelpline.com" in germany and "109" not in germany
    assert "긴급" not in germany and "위험한 상황" in germany
    nowhere = moments.crisis_reply(EN, country="AQ").text
    assert "local emergency number" in nowhere and "findahelpline.com" in nowhere


def test_a_wrong_match_costs_only_a_kind_sentence() -> None:
    assert "If I misread you, I'm sorry" in moments.crisis_reply(EN, country="GB").text
    assert "잘못 이해했다면 미안해요" in moments.crisis_reply(KO, country="KR").text


def test_the_cooling_off_offer_acknowledges_explains_and_offers_three_ways() -> None:
    reply = moments.quit_impulse_reply(KO, note_id=42)
    assert "화가 나는 게 당연해요" in reply.text and "머리가 맑은 날" in reply.text
    assert [c.label for c in reply.choices] == [
        "지금 글로 정리하기",
        "3일 뒤에 다시 알려 주기",
        "7일 뒤에 다시 알려 주기",
        "메모로만 남기기",
    ]
    assert reply.choices[0].action == "go:reflect:emotions_decisions"
    parsed = [actions.parse(choice.action) for choice in reply.choices[1:]]
    assert parsed == [
        actions.FeatureAction("cool", ("42", "in", "3")),
        actions.FeatureAction("cool", ("42", "in", "7")),
        actions.FeatureAction("cool", ("42", "keep")),
    ]
    assert moments.parse_cooling_button(("42", "in", "3")) == moments.CoolingButton(42, "in", 3)
    assert moments.parse_cooling_button(("42", "keep")) == moments.CoolingButton(42, "keep")


@pytest.mark.parametrize(
    "parts",
    [(), ("x",), ("42", "in", "365"), ("42", "in", "-3"), ("42",), ("1" * 30, "keep"), ("42", "drop")],
)
def test_forged_cooling_off_buttons_are_refused(parts: tuple[str, ...]) -> None:
    assert moments.parse_cooling_button(parts) is None


def test_the_reminder_brings_the_users_own_words_back() -> None:
    reply = moments.cooling_off_reminder(
        EN, note_id=7, note_text="I want to quit tomorrow.", written_at=NOW, now=NOW + timedelta(days=3)
    )
    assert reply.text.startswith("3 days ago, on a hard day, you wrote:")
    assert "_I want to quit tomorrow._" in reply.text
    assert [c.action for c in reply.choices] == ["go:reflect:emotions_decisions", "cool:7:keep"]
    long = moments.cooling_off_reminder(KO, note_id=7, note_text="가" * 5000, written_at=NOW, now=NOW)
    assert long.text.count("가") <= moments.MAX_QUOTED_CHARS + 1 and "1일 전" in long.text


def test_a_scheduled_reminder_says_when_in_the_users_zone() -> None:
    reply = moments.cooling_off_scheduled_reply(
        KO, due_at=NOW + timedelta(days=3), now=NOW, timezone="Asia/Seoul"
    )
    assert "22:00에 이 글을 다시 보여 드릴게요" in reply.text and "토요일" in reply.text


def test_a_quick_log_confirms_with_an_undo_button() -> None:
    reply = moments.quick_log_reply(KO, hours=1.5, goal="AWS SAA", checkin_id=9)
    assert reply.text == "*AWS SAA* 공부 1.5시간을 기록했어요."
    assert reply.choices[0].action == "qlog:9:undo"
    assert moments.parse_quick_log_button(("9", "undo")) == moments.QuickLogButton("undo", checkin_id=9)


def test_the_same_quick_log_twice_asks_before_counting_it_again() -> None:
    assert moments.is_duplicate_log(
        previous_at=NOW, previous_hours=2.0, now=NOW + timedelta(minutes=5), hours=2.0
    )
    assert not moments.is_duplicate_log(
        previous_at=NOW, previous_hours=2.0, now=NOW + timedelta(hours=2), hours=2.0
    )
    assert not moments.is_duplicate_log(previous_at=NOW, previous_hours=1.0, now=NOW, hours=2.0)
    assert not moments.is_duplicate_log(previous_at=None, previous_hours=None, now=NOW, hours=2.0)
    reply = moments.quick_log_duplicate_reply(EN, hours=1.5, goal_id=3, after=41)
    assert "1.5 h a few minutes ago" in reply.text
    again, same = (c.action for c in reply.choices)
    assert (again, same) == ("qlog:3:add:90:41", "qlog:same")
    assert moments.parse_quick_log_button(("3", "add", "90", "41")) == moments.QuickLogButton(
        "add", goal_id=3, hours=1.5, after=41
    )


@pytest.mark.parametrize(
    "parts",
    [
        ("3", "add", "0", "1"),
        ("3", "add", "99999", "1"),
        ("3", "add", "90"),
        ("x", "add", "90", "1"),
        ("x", "undo"),
        ("same", "1"),
        (),
    ],
)
def test_forged_quick_log_buttons_are_refused(parts: tuple[str, ...]) -> None:
    assert moments.parse_quick_log_button(parts) is None


def test_a_kept_note_can_be_deleted_from_its_reply() -> None:
    reply = moments.note_kept_reply(EN, note_id=12)
    assert "/journal" in reply.text and "/export" in reply.text
    assert reply.choices[0].action == "note:12:del"
    assert moments.parse_note_button(("12", "del")) == 12
    assert moments.parse_note_button(("12", "keep")) is None
    assert "already gone" in moments.note_deleted_reply(EN, deleted=False).text


def test_a_snooze_in_words_maps_to_the_check_in_buttons() -> None:
    assert moments.snooze_action(5, SnoozeUntil.TOMORROW) == "nudge:5:snooze:tomorrow"
    assert moments.snooze_action(5, SnoozeUntil.SKIP_WEEK) == "nudge:5:skip"
    assert moments.snooze_action(5, SnoozeUntil.LATER) is None
    reply = moments.snooze_choices_reply(KO, slot_id=5)
    assert [c.action for c in reply.choices] == [
        "nudge:5:snooze:1",
        "nudge:5:snooze:3",
        "nudge:5:snooze:tomorrow",
        "nudge:5:skip",
    ]


@pytest.mark.parametrize("topic", list(Topic))
def test_every_question_topic_has_an_answer_and_a_button_only_to_a_command_that_exists(topic: Topic) -> None:
    everything = moments.question_reply(
        EN, topic, {"help", "settings", "delete", "export", "journal", "study", "skills", "progress", "link"}
    )
    assert everything.text and len(everything.choices) == 1
    assert moments.question_reply(KO, topic, set()).choices == ()
