"""What a message is, whatever flow the user is in: a crisis, an impulse to quit in anger, a quick study log,
a request to put off the check-in, a question about Encore, or a note to keep. Crisis language and a quit
impulse are recognised in :mod:`coach.understanding.risk`; they win over everything else here. Every
pattern is compiled once; a message is scanned a few times at most.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar

from coach.understanding.durations import find_duration
from coach.understanding.risk import Views, any_of, in_crisis, quit_impulse_in, views_of
from coach.understanding.text import clean


class MomentKind(StrEnum):
    CRISIS = "crisis"
    QUIT_IMPULSE = "quit_impulse"
    QUICK_LOG = "quick_log"
    SNOOZE = "snooze"
    QUESTION = "question"
    NOTE = "note"
    EMPTY = "empty"


class SnoozeUntil(StrEnum):
    """What a snooze asks for; the first three are the check-in's own snooze buttons (``coach.schedule``)."""

    ONE_HOUR = "1"
    THREE_HOURS = "3"
    TOMORROW = "tomorrow"
    SKIP_WEEK = "skip"
    LATER = "later"  # no time given: offer the buttons


class Topic(StrEnum):
    """What a question about Encore is about; each maps to the command that answers it."""

    CAPABILITIES = "help"
    CHECKIN_TIME = "settings.checkin"
    LANGUAGE = "settings.language"
    TIMEZONE = "settings.timezone"
    PAUSE = "settings.pause"
    DELETE = "delete"
    EXPORT = "export"
    JOURNAL = "journal"
    STUDY = "study"
    SKILLS = "skills"
    PROGRESS = "progress"
    LINK = "link"
    PRIVACY = "privacy"


@dataclass(frozen=True, slots=True)
class Crisis:
    kind: ClassVar[MomentKind] = MomentKind.CRISIS


@dataclass(frozen=True, slots=True)
class QuitImpulse:
    kind: ClassVar[MomentKind] = MomentKind.QUIT_IMPULSE


@dataclass(frozen=True, slots=True)
class QuickLog:
    hours: float
    kind: ClassVar[MomentKind] = MomentKind.QUICK_LOG


@dataclass(frozen=True, slots=True)
class Snooze:
    until: SnoozeUntil
    kind: ClassVar[MomentKind] = MomentKind.SNOOZE


@dataclass(frozen=True, slots=True)
class Question:
    topic: Topic
    kind: ClassVar[MomentKind] = MomentKind.QUESTION


@dataclass(frozen=True, slots=True)
class Note:
    kind: ClassVar[MomentKind] = MomentKind.NOTE


@dataclass(frozen=True, slots=True)
class Empty:
    kind: ClassVar[MomentKind] = MomentKind.EMPTY


Moment = Crisis | QuitImpulse | QuickLog | Snooze | Question | Note | Empty


# -- quick study logs -----------------------------------------------------------------------------------------
_STUDY = any_of(
    r"공부|학습|복습|예습|강의|인강|문제(?:를)?풀|기출|모의고사|실습|스터디|독서|책(?:을)?읽|자격증|시험준비|랩|핸즈온",
    r"\b(?:stud(?:y|ied|ying)|revis(?:e|ed|ing)|review(?:ed|ing)?|practi[cs](?:e|ed|ing)|learn(?:ed|t|ing)|"
    r"read(?:ing)?|lecture|course|labs?|mock exam|practice test|flashcards)\b",
)
_FUTURE = any_of(
    r"할게|할거|할예정|하려고|해야|하자|할까|할래|내일|다음주|계획|목표|하고싶|할수있|하면",
    r"\bwill\b|\bgoing to\b|\bgonna\b|\bplan|\btomorrow\b|\bshould\b|\bneed to\b|\bwant to\b|\bnext\b|\bgoal\b|\bhope\b|\bif\b|\bevery\b",
)

# -- snooze and skip --------------------------------------------------------------------------------------------
_SNOOZES = (
    (
        any_of(
            r"이번주(?:는|엔|에는)?(?:체크인)?(?:건너|스킵|패스|쉴|쉬어|쉬고|넘어|넘길|빼|생략|안할|못할)",
            r"다음주에?(?:할게|해요|하자|다시|봐요|얘기)?요?$|^다음주에?요?$",
            r"\bskip\b(?:\s+(?:this|this week'?s?|the))?(?:\s+(?:week|check-?in))?|\bnot this week\b|\bnext week\b",
        ),
        SnoozeUntil.SKIP_WEEK,
    ),
    (
        any_of(
            r"^내일(?:다시|알려|해요|할게|하자|얘기|물어|봐요)",
            r"\b(?:remind|ask|ping) me tomorrow\b|^tomorrow(?: please)?$|\bdo it tomorrow\b",
        ),
        SnoozeUntil.TOMORROW,
    ),
    (
        any_of(r"^(?:한|1)시간(?:후|뒤)에?(?:다시|알려)?", r"\bin (?:an|1|one) hour\b"),
        SnoozeUntil.ONE_HOUR,
    ),
    (
        any_of(r"^(?:세|3)시간(?:후|뒤)에?(?:다시|알려)?", r"\bin (?:3|three) hours\b"),
        SnoozeUntil.THREE_HOURS,
    ),
    (
        any_of(
            r"^(?:나중에|이따가?|이따)(?:다시|알려|할게|해요|하자)?(?:줘|주세요)?요?$",
            r"\bremind me later\b|^later(?: please)?$|^not now$|^maybe later$",
        ),
        SnoozeUntil.LATER,
    ),
)
MAX_SNOOZE_CHARS = 60
MAX_SHORT_CHARS = 300

# -- questions about Encore ---------------------------------------------------------------------------------------
_QUESTION = any_of(
    r"\?|어떻게|뭐|무엇|뭘|어디|언제|되나요|돼요\?|할수있|가능한가|가능해|나요|까요|ㄴ가요|려면|방법|알려줘|알려주세요",
    r"^(?:how|what|where|when|can|could|do|does|is|why|which|who)\b",
)
_CHANGE = r"(?:change|set|switch|turn off|turn on|stop|pause|move|update|바꾸|바꿀|바꿔|변경|설정|끄|끌|꺼|멈|중지|옮기|쉬)"
_TOPICS = (
    (any_of(r"삭제|지우|지워|탈퇴", r"\b(?:delete|erase|remove)\b"), Topic.DELETE),
    (
        any_of(r"내보내|백업|다운로드|데이터받", r"\bexport\b|\bdownload my\b|\bcopy of my data\b"),
        Topic.EXPORT,
    ),
    (
        any_of(
            r"(?:알림|체크인|메시지).*(?:끄|꺼|멈|중지|쉬|그만)",
            r"\bpause\b|\bstop (?:the )?(?:check-?ins|reminders|messages)\b|\bholiday",
        ),
        Topic.PAUSE,
    ),
    (
        any_of(
            r"체크인.*" + _CHANGE,
            r"알림(?:시간|요일).*" + _CHANGE,
            r"check-?in.*" + _CHANGE,
            _CHANGE + r".*check-?in",
            r"reminder time",
        ),
        Topic.CHECKIN_TIME,
    ),
    (
        any_of(r"(?:언어|한국어|영어).*" + _CHANGE, r"\blanguage\b", _CHANGE + r".*\b(?:english|korean)\b"),
        Topic.LANGUAGE,
    ),
    (any_of(r"시간대|타임존", r"\btime ?zone\b"), Topic.TIMEZONE),
    (any_of(r"연결|연동", r"\blink\b|\bconnect\b.*\b(?:telegram|slack)\b"), Topic.LINK),
    (
        any_of(
            r"개인정보|누가(?:보|읽)|비밀|암호화",
            r"\bprivacy\b|\bprivate\b|\bwho can (?:see|read)\b|\bencrypt",
        ),
        Topic.PRIVACY,
    ),
    (any_of(r"저널|일지|메모|기록(?:을)?(?:보|확인)", r"\bjournal\b|\bnotes?\b"), Topic.JOURNAL),
    (any_of(r"진행|진척|현황", r"\bprogress\b"), Topic.PROGRESS),
    (any_of(r"역량|스킬", r"\bskills?\b"), Topic.SKILLS),
    (any_of(r"공부|시험|자격증", r"\bstudy\b|\bexam\b|\bcertificat"), Topic.STUDY),
)
_ABOUT_ENCORE = any_of(
    r"앙코르|엔코어|앵콜|봇|너는|넌|네가|니가|당신|이앱|이거|여기서|기능|사용법|도움말|명령어",
    r"\byou\b|\bencore\b|\bbot\b|\bthis app\b|\bcommands?\b|\bfeatures?\b|\bhow (?:does|do) (?:this|it) work\b|\bhow do i use\b",
)
_CAPABILITY = any_of(
    r"뭐(?:를)?할수있|뭘할수있|무엇을할수있|뭐해줄수|뭘해줄수|어떤걸할수|뭐하는(?:앱|봇|거)|어떻게(?:써|사용|쓰)",
    r"\bwhat can you do\b|\bwhat do you do\b|\bwhat are you\b|\bhow (?:does|do) (?:this|it|you) work\b|\bhow do i use\b",
)
_HELP_WORDS = re.compile(r"^(?:help|menu|commands|도움말|도움|메뉴|명령어|사용법|help me|헬프)[.!?]*$")


def _quick_log(text: str, views: Views) -> QuickLog | None:
    if len(views.spaced) > MAX_SHORT_CHARS:
        return None  # a quick log is a line, not a diary entry that mentions study somewhere
    if not (_STUDY.search(views.compact) or _STUDY.search(views.spaced)):
        return None
    if _FUTURE.search(views.compact) or _FUTURE.search(views.spaced):
        return None
    duration = find_duration(text)
    if duration is None or duration.per is not None or not 0 < duration.hours <= 24:
        return None
    return QuickLog(duration.hours)


def _snooze(views: Views) -> Snooze | None:
    if len(views.spaced) > MAX_SNOOZE_CHARS:
        return None
    for pattern, until in _SNOOZES:
        if pattern.search(views.compact) or pattern.search(views.spaced):
            return Snooze(until)
    return None


def _question(views: Views) -> Question | None:
    if len(views.spaced) > MAX_SHORT_CHARS:
        return None  # a long message is something to keep, not a question about the app
    if (
        _HELP_WORDS.match(views.spaced)
        or _CAPABILITY.search(views.compact)
        or _CAPABILITY.search(views.spaced)
    ):
        return Question(Topic.CAPABILITIES)
    if not (_QUESTION.search(views.compact) or _QUESTION.search(views.spaced)):
        return None
    for pattern, topic in _TOPICS:
        if pattern.search(views.compact) or pattern.search(views.spaced):
            return Question(topic)
    if _ABOUT_ENCORE.search(views.compact) or _ABOUT_ENCORE.search(views.spaced):
        return Question(Topic.CAPABILITIES)
    return None


# -- small talk and commands typed as words ---------------------------------------------------------------------
_SMALL_TALK = re.compile(  # NFKC, as clean() leaves the text: "ㅋ" becomes a conjoining jamo
    unicodedata.normalize(
        "NFKC",
        r"^(?:thanks?|thank you(?: so much| very much)?|thx|ty|ok(?:ay)?|k+|cool|great|nice|good|sure|got it|"
        r"yes|yeah|yep|no|nope|nah|아니요|아니오|아뇨|아니|"
        r"alright|all right|fine|hi|hello|hey|good (?:morning|afternoon|evening|night)|bye|see you|"
        r"고마워요?|고맙습니다|감사합니다|감사해요|감사|땡큐|넵|네+|예|응+|알겠어요|알겠습니다|알았어요|좋아요|좋네요|좋습니다|"
        r"안녕|안녕하세요|수고하세요|수고했어요|잘자요|ㅇㅋ|ㅇㅇ|ㄳ|ㄱㅅ|ㅋ+|ㅎ+|ㅠ+|ㅜ+)$",
    )
)
_NOT_WORDS = re.compile(r"[^\w\s']+")
_COMMAND_LIKE = re.compile(r"^[/\\／]\s*([a-z]{2,20})$|^([a-z]{2,20})$")


def is_small_talk(text: str) -> bool:
    """A greeting, thanks or a bare "ok", or only emoji and punctuation: nothing to keep or act on."""
    spaced = clean(text).lower()
    if not spaced:
        return False
    words = " ".join(_NOT_WORDS.sub(" ", spaced).split())
    return not words or _SMALL_TALK.match(words) is not None


def command_named(text: str, commands: Collection[str]) -> str | None:
    """The command a message names as a word ("journal", "/ journal", "\\journal"), if it is one of
    ``commands``."""
    found = _COMMAND_LIKE.match(clean(text).lower())
    name = (found.group(1) or found.group(2)) if found else None
    return name if name in commands else None


def read_moment(text: str) -> Moment:
    """What kind of message ``text`` is; crisis first, then a quit impulse, a quick log, a snooze, a question."""
    views = views_of(text)
    if not views.compact:
        return Empty()
    if in_crisis(views):
        return Crisis()
    if quit_impulse_in(views):
        return QuitImpulse()
    found: Moment | None = _quick_log(text, views) or _snooze(views) or _question(views)
    return found or Note()
