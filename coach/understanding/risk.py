"""Crisis language and an impulse to quit in anger: the two moments the coach meets before anything else.

Crisis language wins over everything: a wrong match costs a kind message, a miss could cost much more, so
its patterns are broad and only clear idioms and negations are taken out ("배고파 죽겠다", "I'm dying to
try it", "I don't want to die"). Korean is matched with spaces removed, because people space it freely
("죽고싶다", "죽고 싶다"). Every pattern is compiled once and run only near its anchor words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from coach.understanding.text import clean


def any_of(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


WINDOW = 60  # characters either side of an anchor word that a pattern may span


@dataclass(frozen=True, slots=True)
class _Detector:
    """A pattern run only near its anchor words, so a long message costs a few substring scans.

    Every alternative of ``pattern`` contains one of ``anchors`` (the tests' phrasings prove it: each must
    trigger). ``negations`` are blanked out of each window before the pattern looks at it.
    """

    anchors: tuple[str, ...]
    pattern: re.Pattern[str]
    negations: re.Pattern[str] | None = None

    def search(self, text: str) -> bool:
        windows: list[tuple[int, int]] = []
        for anchor in self.anchors:
            start = text.find(anchor)
            while start != -1:
                windows.append((max(start - WINDOW, 0), start + len(anchor) + WINDOW))
                start = text.find(anchor, start + 1)
        for begin, end in _merged(windows):
            window = text[begin:end]
            if self.negations is not None:
                window = self.negations.sub("_", window)
            if self.pattern.search(window):
                return True
        return False


def _merged(windows: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for begin, end in sorted(windows):
        if merged and begin <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((begin, end))
    return merged


# -- crisis ------------------------------------------------------------------------------------------------
# Korean, spaces removed.
_CRISIS_KO = any_of(
    r"죽고싶|죽고만싶|죽어버리고싶|죽어버릴까|죽어버릴래|차라리죽|죽는게나|죽는편이나|죽으면편|죽으면다끝|죽어야겠",
    r"죽을방법|죽는방법|자살|자해|극단적(?:인)?선택|목숨을?끊|스스로목숨|생을마감|삶을끝|인생을끝|삶을포기|인생포기",
    r"(?:다|모든걸|모든것을|이제그만)끝내고싶|그만살고싶|그만살래",
    r"살기싫|살고싶지않|사는게싫|살이유가없|살아갈이유가없|살아야할이유가없|살의미가없|사는게의미가없|사는의미가없|살아서뭐",
    r"사라지고싶|없어지고싶|세상에서사라|세상을떠나고싶|영원히잠들|깨어나지않았으면|눈을뜨지않았으면|내일이안왔으면|안깨어났으면",
    r"뛰어내리고싶|뛰어내릴까|뛰어내릴래|한강가고싶|한강갈까|한강가야|목을매|손목을긋|손목긋|수면제를?모|약을모으|번개탄|유서(?:를)?(?:쓰|썼|써)",
    r"태어나지말았|없어지는게나|없는게나아|내가없으면다들|나만없으면|짐만되|짐이되는것같|짐덩어리",
    r"살희망이없|삶의희망이없|아무희망도없|아무런희망이없|희망이하나도없|더이상살|더는살",
)
_CRISIS_KO_NOT = any_of(
    r"죽고싶지(?:는|도)?않|죽고싶은(?:건|거|것은|것도)아니|죽고싶다는(?:건|거|게)아니|죽고싶진않",
    r"자살(?:할|하고싶은)?생각은?(?:없|안)|자살은안|자해는안|자해하지않|살기싫은(?:건|거)아니",
    r"자살예방|자살률|자살방지|자살보도|자해방지",
)
_CRISIS_EN = any_of(
    r"\b(?:want|wanna|going|gonna|wish|ready|planning|plan|trying|decided|about)\s+(?:to\s+)?(?:die|be dead|kill myself|end it all|end my life|end things|disappear forever)\b",
    r"\bkill(?:ing)?\s+myself\b|\bkms\b|\bunalive\b|\bsuicid(?:e|al)\b|\bself[- ]?harm|\b(?:hurt|harm|cut)(?:ting|ing)?\s+myself\b",
    r"\bend(?:ing)?\s+(?:it all|my (?:own )?life|everything)\b|\btake my (?:own )?life\b|\b(?:not|won'?t) (?:be )?(?:here|around) any ?more\b",
    r"\b(?:don'?t|do not|no longer|dont)\s+want\s+to\s+(?:live|be alive|be here|exist|wake up)\b",
    r"\bno reason to (?:live|go on|keep going)\b|\bnothing (?:left )?to live for\b|\bnot worth living\b",
    r"\b(?:life|living) (?:is|feels) (?:pointless|meaningless|hopeless|not worth it)\b|\bno point (?:in )?(?:living|going on|being alive)\b",
    r"\bbetter off (?:dead|without me)\b|\bwish i (?:was|were|had been) (?:dead|never born|gone)\b|\bwish i had never been born\b",
    r"\bcan'?t (?:go on|keep going|go on living)\b|\bno way out\b|\bgive up on life\b|\bgiving up on life\b",
    r"\b(?:go to sleep|fall asleep) and (?:never|not) wake up\b|\bnever wake up\b",
    r"\bjump(?:ing)? (?:off|from) (?:a|the) (?:bridge|building|roof)\b|\bhang myself\b|\boverdos(?:e|ing)\b",
    r"\bi'?m (?:just )?a burden\b|\bburden (?:to|on) (?:everyone|my family|them)\b|\b(?:feel|feeling|am|i'm) (?:so |completely )?hopeless\b",
    r"\btired of (?:living|being alive|life)\b|\bdon'?t want to be alive\b|\bwant (?:it|everything) to (?:end|stop) for good\b",
)
_CRISIS_EN_NOT = any_of(
    r"(?:\bnot|\bnever|\bno longer|n't|\bdont)\s+(?:\w+\s+){0,2}?(?:suicidal|kill myself|want to die|hurt myself|harm myself|end my life)\b",
    r"\b(?:career|political|social|commercial|financial|professional)\s+suicide\b",
    r"\bsuicide (?:prevention|rate|rates|squad|hotline|awareness)\b",
)

_CRISIS_KO_ANCHORS = (
    "죽",
    "자살",
    "자해",
    "극단",
    "목숨",
    "생을",
    "삶을",
    "삶의",
    "인생",
    "끝내",
    "그만살",
    "살기",
    "살고",
    "사는",
    "살이유",
    "살아",
    "살의미",
    "살희망",
    "더이상살",
    "더는살",
    "사라지",
    "없어지",
    "세상",
    "잠들",
    "깨어",
    "눈을뜨",
    "내일이",
    "뛰어내",
    "한강",
    "목을매",
    "손목",
    "수면제",
    "약을모",
    "번개탄",
    "유서",
    "태어나",
    "없는게",
    "없으면",
    "짐",
    "희망",
)
_CRISIS_EN_ANCHORS = (
    "die",
    "dead",
    "kill",
    "kms",
    "unalive",
    "suicid",
    "harm",
    "hurt",
    "cut",
    "end",
    "life",
    "live",
    "living",
    "alive",
    "exist",
    "wake",
    "worth",
    "pointless",
    "meaningless",
    "hopeless",
    "better off",
    "born",
    "go on",
    "going on",
    "keep going",
    "way out",
    "give up",
    "giving up",
    "jump",
    "hang",
    "overdos",
    "burden",
    "tired of",
    "disappear",
    "any more",
    "anymore",
    "for good",
)
_CRISIS_DETECTORS = (
    (_Detector(_CRISIS_KO_ANCHORS, _CRISIS_KO, _CRISIS_KO_NOT), "compact"),
    (_Detector(_CRISIS_EN_ANCHORS, _CRISIS_EN, _CRISIS_EN_NOT), "spaced"),
)

# -- an impulse to quit -------------------------------------------------------------------------------------
_QUIT_KO = any_of(
    r"사표|사직서|사직하고싶|사직할까|사직할래|사직해야겠|때려치|때려칠|때려쳐|때려치울|다때려",
    r"그만두고싶|그만둘까|그만둘래|그만둬야겠|그만두려고|그만둘거|그만두겠|그만둬버|관두고싶|관둘까|관둘래|관둬야|관두려고|관둬버",
    r"퇴사하고싶|퇴사할까|퇴사할래|퇴사해야겠|퇴사하려고|퇴사할거|퇴사하겠|당장퇴사|내일퇴사|퇴사각|퇴사마렵|퇴사욕구",
    r"회사(?:를|에서)?나가고싶|회사(?:를)?그만|못다니겠|못해먹겠|못해먹|더러워서못|뛰쳐나가고싶|나가버릴|엎어버리고|명퇴(?:신청)?할까|명퇴하고싶|희망퇴직(?:신청)?할까",
)
_QUIT_KO_NOT = any_of(
    r"사표(?:는|를)?안(?:낼|쓸|내|써)|사표(?:를)?내지않|사표(?:를)?쓰지않|그만두고싶지(?:는)?않|그만두고싶은(?:건|거)아니|그만두지않",
    r"퇴사하고싶지(?:는)?않|퇴사할생각은(?:없|안)|그만둘생각은(?:없|안)|관두고싶지않|때려치지않",
)
_QUIT_EN = any_of(
    r"\b(?:quit|quitting)\s+(?:my job|this job|the job|this company|my company|this place|tomorrow|today|now|right now|on the spot|first thing|on monday|for good)\b",
    r"\b(?:want|wanna|going|gonna|ready|about|tempted|thinking of|thinking about|decided|i'll|i will|should i)\s+(?:to\s+)?(?:just\s+)?(?:quit|resign)\b",
    r"\bi\s+quit\b|\bi'?m\s+quitting\b|\bi'?m\s+(?:so\s+)?done\s+with\s+(?:this|my|the)\s+(?:job|company|place|boss|team)\b|\brage[- ]?quit",
    r"\b(?:hand|handing|turn|turning|put|putting|give|giving|submit|submitting)\s+in\s+(?:my\s+)?(?:notice|resignation|two weeks|letter)\b",
    r"\bresign(?:ing)?\s+(?:tomorrow|today|now|right now|on monday|on the spot)\b|\bresignation letter\b|\bwrite my resignation\b",
    r"\b(?:shove|stick)\s+(?:it|this job)\b|\bscrew\s+this\s+(?:job|company|place)\b|\bf\w*\s+this\s+job\b",
    r"\bcan'?t\s+(?:take|stand)\s+(?:this job|this place|this company|my boss|working here|it here)\s+any\s?more\b",
    r"\b(?:leave|leaving)\s+(?:this company|this job|this place)\s+(?:tomorrow|today|now|right now|for good)\b|\bwalk(?:ing)?\s+(?:out|away from (?:this|my) job)\b",
)
_QUIT_EN_NOT = any_of(
    r"(?:\bnot|\bnever|n't|\bno|\bdont)\s+(?:\w+\s+){0,2}?(?:quit|quitting|resign|resigning)\b",
)
_QUIT_DETECTORS = (
    (
        _Detector(
            (
                "사표",
                "사직",
                "때려",
                "그만",
                "관두",
                "관둬",
                "퇴사",
                "회사",
                "못다니",
                "못해먹",
                "더러워",
                "뛰쳐",
                "나가버",
                "엎어",
                "명퇴",
                "희망퇴직",
            ),
            _QUIT_KO,
            _QUIT_KO_NOT,
        ),
        "compact",
    ),
    (
        _Detector(
            (
                "quit",
                "resign",
                "notice",
                "two weeks",
                "letter",
                "done with",
                "shove",
                "stick",
                "screw",
                "this job",
                "can't",
                "cant",
                "leave",
                "leaving",
                "walk",
            ),
            _QUIT_EN,
            _QUIT_EN_NOT,
        ),
        "spaced",
    ),
)
# Someone calmly planning an exit is not acting on a bad day; heat words say they might be.
_PLANNING = any_of(
    r"계획|준비중|준비하고|준비해서|준비가끝나|예정|\d+년(?:후|뒤|안에|이내)|은퇴|정년|내년|몇년",
    r"\bplan(?:s|ning|ned)?\b|\bprepar|\bin \d+ (?:years|months)\b|\bnext year\b|\bretire|\bonce i\b|\bafter i (?:get|pass|finish|save)",
)
_HEAT = any_of(
    r"당장|내일|오늘|진짜|정말|확|너무|화가|화나|열받|열이|짜증|억울|빡|못참|미치겠|더는|더이상|또|!",
    r"\bagain\b|\btomorrow\b|\btoday\b|\bright now\b|\bangry\b|\bfurious\b|\bpissed\b|\bsick of\b|\bfed up\b|\bhate\b|\bdone\b",
)


@dataclass(frozen=True, slots=True)
class Views:
    """The message as the patterns read it: lower-case with single spaces, and without any spaces."""

    spaced: str
    compact: str


def views_of(text: str) -> Views:
    spaced = clean(text).lower().replace("’", "'").replace("‘", "'")
    return Views(spaced, spaced.replace(" ", ""))  # clean() already folded every space to one


def _view(views: Views, name: str) -> str:
    return views.compact if name == "compact" else views.spaced


def in_crisis(views: Views) -> bool:
    return any(detector.search(_view(views, name)) for detector, name in _CRISIS_DETECTORS)


def quit_impulse_in(views: Views) -> bool:
    if not any(detector.search(_view(views, name)) for detector, name in _QUIT_DETECTORS):
        return False
    calm = _PLANNING.search(views.compact) or _PLANNING.search(views.spaced)
    heated = _HEAT.search(views.compact) or _HEAT.search(views.spaced)
    return not calm or heated is not None


def is_crisis(text: str) -> bool:
    """True when ``text`` has self-harm or hopelessness language (checked in and outside flows)."""
    return in_crisis(views_of(text))


def is_quit_impulse(text: str) -> bool:
    """True when ``text`` speaks of quitting or resigning on impulse (not a calm, planned exit)."""
    return quit_impulse_in(views_of(text))
