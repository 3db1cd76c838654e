"""What a message is: crisis language first, then an impulse to quit, a quick log, a snooze, a question.

Crisis phrasings must all trigger (a miss must be rare); idioms and negations must not (a wrong match costs
a kind message, but the coach would look like it does not listen).
"""

from __future__ import annotations

import pytest

from coach.understanding import (
    Crisis,
    Empty,
    Note,
    Question,
    QuickLog,
    QuitImpulse,
    Snooze,
    SnoozeUntil,
    Topic,
    is_crisis,
    is_quit_impulse,
    read_moment,
)

CRISIS_KO = [
    "죽고 싶어요",
    "죽고싶다",
    "요즘 정말 죽고 싶다는 생각만 들어요",
    "그냥 죽어버리고 싶어",
    "차라리 죽는 게 나을 것 같아요",
    "죽으면 편할까요",
    "살기 싫어요",
    "더 이상 살고 싶지 않아요",
    "사는 게 의미가 없어요",
    "살 이유가 없어요",
    "살아서 뭐 하나 싶어요",
    "사라지고 싶어요",
    "그냥 없어지고 싶다",
    "아침에 눈을 뜨지 않았으면 좋겠어요",
    "내일이 안 왔으면 좋겠다",
    "자살하고 싶어요",
    "자살 생각이 자꾸 나요",
    "자해를 했어요",
    "극단적인 선택을 할까 봐 무서워요",
    "목숨을 끊고 싶어요",
    "스스로 목숨을 끊을까 생각했어요",
    "삶을 끝내고 싶어요",
    "다 끝내고 싶어요",
    "옥상에서 뛰어내리고 싶어요",
    "한강 가고 싶다",
    "수면제를 모으고 있어요",
    "유서를 썼어요",
    "태어나지 말았어야 했어요",
    "내가 없으면 다들 편할 거예요",
    "가족한테 짐만 되는 것 같아요",
    "아무 희망도 없어요",
    "더는 살 자신이 없어요",
    "진급도 떨어지고 이제 그만 살고 싶어요",
]
CRISIS_EN = [
    "I want to die",
    "i wanna die",
    "I don't want to live anymore",
    "I do not want to be alive",
    "I want to end it all",
    "thinking about ending my life",
    "I'm going to kill myself",
    "I keep thinking about killing myself",
    "I feel suicidal",
    "I've had suicidal thoughts since the promotion list came out",
    "I've been self-harming again",
    "I want to hurt myself",
    "I cut myself last night",
    "there's no reason to live",
    "I have nothing left to live for",
    "my life is not worth living",
    "life is pointless",
    "everyone would be better off without me",
    "I'd be better off dead",
    "I wish I was dead",
    "I wish I had never been born",
    "I can't go on like this",
    "I see no way out",
    "I want to go to sleep and never wake up",
    "I thought about jumping off the bridge",
    "I could take my own life",
    "I'm just a burden to my family",
    "I feel completely hopeless",
    "I'm tired of living",
    "I don't want to wake up tomorrow",
    "I want to disappear forever",
    "I won't be around anymore soon",
]
NOT_CRISIS_KO = [
    "죽을 만큼 바빠요",
    "배고파 죽겠다",
    "힘들어 죽겠어요",
    "웃겨 죽겠네",
    "보고 싶어 죽겠어",
    "이번 주는 죽을 맛이에요",
    "죽도록 일했는데 진급에서 떨어졌어요",
    "죽기 살기로 공부하고 있어요",
    "이 집 국밥 맛이 죽여줘요",
    "죽는 줄 알았어요, 발표가 너무 길어서",
    "죽기 전에 해 보고 싶은 일을 적어 봤어요",
    "죽고 싶지 않아요, 그냥 지쳤어요",
    "자살예방 교육을 들었어요",
    "아이랑 죽고 못 살아요",
]
NOT_CRISIS_EN = [
    "I'm dying to try it",
    "this deadline is killing me",
    "I could kill for a coffee",
    "my feet are killing me",
    "she killed it at the interview",
    "I'm dead tired",
    "bored to death in these meetings",
    "that cake is to die for",
    "I'm not suicidal, just exhausted",
    "I would never kill myself",
    "I don't want to die without trying my own business",
    "quitting now would be career suicide",
    "we had a suicide prevention workshop",
    "my phone died during the call",
    "I'm killing time before the exam",
]


@pytest.mark.parametrize("text", CRISIS_KO + CRISIS_EN)
def test_crisis_language_is_recognised(text: str) -> None:
    assert is_crisis(text)
    assert read_moment(text) == Crisis()


def test_there_are_at_least_thirty_crisis_phrasings_per_language() -> None:
    assert len(CRISIS_KO) >= 30 and len(CRISIS_EN) >= 30


@pytest.mark.parametrize("text", NOT_CRISIS_KO + NOT_CRISIS_EN)
def test_idioms_and_negations_are_not_crisis(text: str) -> None:
    assert not is_crisis(text)


def test_crisis_wins_over_everything_else() -> None:
    assert read_moment("사표 내고 싶고 죽고 싶어요") == Crisis()
    assert read_moment("I studied 2 hours but I want to die") == Crisis()
    assert read_moment("how do I delete my data? I want to end it all") == Crisis()
    assert read_moment("죽고 싶지 않지만 살기 싫어요") == Crisis()  # the negation covers only its own phrase


def test_crisis_language_deep_inside_a_long_message_is_found() -> None:
    text = "오늘 회의가 길었어요. " * 800 + "솔직히 죽고 싶어요."
    assert len(text) > 10_000
    assert read_moment(text) == Crisis()


QUIT_KO = [
    "정말 내일 사표 내고 싶습니다",
    "사표 낼까 봐요",
    "사표 쓰고 싶다",
    "오늘 사직서 낼 거예요",
    "다 때려치고 싶어요",
    "이놈의 회사 때려치울까",
    "그만두고 싶어요",
    "진급 누락됐어요. 그만둘까 봐요",
    "그냥 그만둘래요",
    "내일 관두려고요",
    "관두고 싶다 진짜",
    "퇴사하고 싶어요",
    "당장 퇴사할래요",
    "퇴사각이다",
    "회사 나가고 싶어요",
    "더러워서 못 다니겠어요",
    "이 회사 못 해먹겠어요",
    "명퇴 신청할까 봐요",
    "희망퇴직 신청할까요",
    "또 밀렸어요. 너무 억울해서 회사 그만두고 창업할래요",
    "팀장한테 사표 던지고 싶어요",
]
QUIT_EN = [
    "I was passed over AGAIN… I want to quit tomorrow. How do I hand in my resignation?",
    "I want to quit my job",
    "I'm going to quit tomorrow",
    "I'm quitting",
    "I quit",
    "thinking about quitting on the spot",
    "I'm handing in my notice on Monday",
    "I'll hand in my resignation today",
    "should I just resign?",
    "I'm ready to resign right now",
    "writing my resignation letter tonight",
    "I'm so done with this company",
    "screw this job",
    "I can't stand this place anymore",
    "I'm leaving this company for good",
    "tempted to just walk out",
    "gonna quit this job",
    "I want to resign tomorrow",
    "I will quit on monday",
    "I'm done with my boss, I quit",
    "they can take this job and shove it",
]
NOT_QUIT = [
    "2년 후 퇴사할 계획이에요",
    "자격증 따고 준비가 끝나면 퇴사하려고 계획 중이에요",
    "사표는 안 낼 거예요",
    "그만두고 싶지는 않아요",
    "I plan to resign in 2028 after my certification",
    "I'm preparing to retire in five years",
    "I won't quit, I just need to vent",
    "I'm not going to resign",
    "my colleague quit last year",
    "오늘 회의가 길었어요",
]


@pytest.mark.parametrize("text", QUIT_KO + QUIT_EN)
def test_an_impulse_to_quit_is_recognised(text: str) -> None:
    assert is_quit_impulse(text)
    assert read_moment(text) == QuitImpulse()


def test_there_are_at_least_twenty_quit_phrasings_per_language() -> None:
    assert len(QUIT_KO) >= 20 and len(QUIT_EN) >= 20


@pytest.mark.parametrize("text", NOT_QUIT)
def test_a_calm_plan_or_a_negation_is_not_an_impulse(text: str) -> None:
    assert not is_quit_impulse(text)


@pytest.mark.parametrize(
    ("text", "hours"),
    [
        ("오늘 2시간 공부했어요", 2.0),
        ("studied 90 minutes", 1.5),
        ("오늘 두 시간 공부함", 2.0),
        ("공부 한 시간 반 했어요", 1.5),
        ("AWS 강의 45분 들었어요", 0.75),
        ("기출 문제 1시간 30분 풀었어요", 1.5),
        ("모의고사 3시간 봤어요", 3.0),
        ("I studied for an hour", 1.0),
        ("did 1h30 of practice tests", 1.5),
        ("just finished 2 hours of review", 2.0),
        ("studied half an hour on the train", 0.5),
        ("2h study today", 2.0),
    ],
)
def test_a_quick_study_log_gives_its_hours(text: str, hours: float) -> None:
    assert read_moment(text) == QuickLog(hours)


@pytest.mark.parametrize(
    "text",
    [
        "내일 2시간 공부할게요",
        "주 6시간 공부하는 게 목표예요",
        "I will study 2 hours tomorrow",
        "I should study 3 hours a day",
        "오늘 회의 2시간 했어요",
        "studied 30 hours",  # more than a day in one log is a typo or a total, not a quick log
        "공부를 좀 했어요",
    ],
)
def test_plans_totals_and_other_durations_are_not_quick_logs(text: str) -> None:
    assert not isinstance(read_moment(text), QuickLog)


@pytest.mark.parametrize(
    ("text", "until"),
    [
        ("다음 주에", SnoozeUntil.SKIP_WEEK),
        ("이번 주는 건너뛸게요", SnoozeUntil.SKIP_WEEK),
        ("이번주는 쉴게요", SnoozeUntil.SKIP_WEEK),
        ("skip this week", SnoozeUntil.SKIP_WEEK),
        ("not this week", SnoozeUntil.SKIP_WEEK),
        ("remind me tomorrow", SnoozeUntil.TOMORROW),
        ("내일 다시 알려 주세요", SnoozeUntil.TOMORROW),
        ("in an hour", SnoozeUntil.ONE_HOUR),
        ("한 시간 후에 다시", SnoozeUntil.ONE_HOUR),
        ("3시간 뒤에", SnoozeUntil.THREE_HOURS),
        ("remind me in 3 hours", SnoozeUntil.THREE_HOURS),
        ("나중에", SnoozeUntil.LATER),
        ("remind me later", SnoozeUntil.LATER),
    ],
)
def test_putting_off_the_check_in(text: str, until: SnoozeUntil) -> None:
    assert read_moment(text) == Snooze(until)


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("how do I change my check-in time?", Topic.CHECKIN_TIME),
        ("체크인 시간 바꾸려면 어떻게 해요?", Topic.CHECKIN_TIME),
        ("뭐 할 수 있어?", Topic.CAPABILITIES),
        ("what can you do?", Topic.CAPABILITIES),
        ("help", Topic.CAPABILITIES),
        ("도움말", Topic.CAPABILITIES),
        ("how do I delete my data?", Topic.DELETE),
        ("내 기록 삭제할 수 있나요?", Topic.DELETE),
        ("can I export everything?", Topic.EXPORT),
        ("언어를 영어로 바꿀 수 있어요?", Topic.LANGUAGE),
        ("how do I change the language to Korean?", Topic.LANGUAGE),
        ("시간대는 어디서 바꿔요?", Topic.TIMEZONE),
        ("can I pause the check-ins for a month?", Topic.PAUSE),
        ("who can read my journal?", Topic.PRIVACY),
        ("텔레그램이랑 슬랙 연결할 수 있어요?", Topic.LINK),
        ("where is my journal?", Topic.JOURNAL),
    ],
)
def test_questions_about_encore_name_their_topic(text: str, topic: Topic) -> None:
    assert read_moment(text) == Question(topic)


@pytest.mark.parametrize(
    "text",
    [
        "오늘 팀장님이 제 보고서를 칭찬했어요",
        "Had a good talk with a cloud architect at lunch",
        "😀😀😀",
        "/startt please",
        "2030-06-30",
        "Should I learn Kubernetes or Terraform first",
        "AWS 자격증이 좋을까 GCP가 좋을까",
        "ㅋㅋㅋ",
        "mixed 한국어 and English 문장이에요",
    ],
)
def test_everything_else_is_a_note_to_keep(text: str) -> None:
    assert read_moment(text) == Note()


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_an_empty_message_is_empty(text: str) -> None:
    assert read_moment(text) == Empty()


def test_a_ten_thousand_character_note_is_still_a_note() -> None:
    assert read_moment("가" * 10_000) == Note()
    assert read_moment("a" * 10_000) == Note()
