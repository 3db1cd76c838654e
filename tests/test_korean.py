"""Korean particles after words the coach only knows at run time: 은/는, 이/가, 을/를, 과/와, 으로/로."""

from __future__ import annotations

import pytest

from coach.i18n import KoreanText, translator
from coach.korean import attach, ending, particle


@pytest.mark.parametrize(
    ("word", "pair", "expected"),
    [
        ("도움말", "은", "도움말은"),  # a final consonant
        ("클라우드 아키텍트", "은", "클라우드 아키텍트는"),  # a vowel
        ("클라우드 아키텍트", "을", "클라우드 아키텍트를"),
        ("재무설계사", "이", "재무설계사가"),
        ("보안 컨설턴트", "이", "보안 컨설턴트가"),
        ("정보처리기사", "과", "정보처리기사와"),
        ("데이터 분석", "과", "데이터 분석과"),
        ("서울", "으로", "서울로"),  # ㄹ takes 로
        ("부산", "으로", "부산으로"),
        ("데이터 분석가", "으로", "데이터 분석가로"),
        (
            "AWS Certified Solutions Architect – Associate (SAA-C03)",
            "을",
            "AWS Certified Solutions Architect – Associate (SAA-C03)을",
        ),  # 삼
        ("Microsoft Azure Fundamentals (AZ-900)", "이", "Microsoft Azure Fundamentals (AZ-900)이"),  # 구백
        ("CKA", "은", "CKA는"),  # 에이
        ("SQLD", "을", "SQLD를"),  # 디
        ("PMP", "이", "PMP가"),  # 피
        ("HTML", "으로", "HTML로"),  # 엘
        ("ADsP 2", "은", "ADsP 2는"),  # 이
        ("“리더”", "을", "“리더”를"),  # closing quotes are not read
        ("*클라우드*", "은", "*클라우드*는"),
        ("Python", "이", "Python이(가)"),  # unknown: both, as Korean writing does
        ("help", "으로", "help(으)로"),
    ],
)
def test_the_particle_follows_the_sound_the_word_ends_with(word: str, pair: str, expected: str) -> None:
    assert attach(word, pair) == expected


def test_either_half_of_a_pair_names_it() -> None:
    assert particle("도움말", "는") == particle("도움말", "은") == "은"
    assert particle("아키텍트", "가") == "가" and particle("아키텍트", "를") == "를"
    assert ending("") == "unknown" and ending("...") == "unknown"


def test_korean_messages_resolve_the_pair_written_after_a_placeholder() -> None:
    assert KoreanText("/{command}은(는) 제가 모르는 명령이에요.").format(command="도움말") == (
        "/도움말은 제가 모르는 명령이에요."
    )
    assert KoreanText("{role}을(를) 목표로 {goal}(으)로").format(role="재무설계사", goal="서울") == (
        "재무설계사를 목표로 서울로"
    )
    # Only the message's own text changes: a value that itself contains a pair is left alone.
    assert KoreanText("{note}을(를)").format(note="A을(를)") == "A을(를)을"
    # Formatting specs, positional fields and a text without a pair behave like str.format.
    assert KoreanText("{:g}과(와) {n:.0%}").format(2.50, n=0.3) == "2.5와 30%"  # 오
    assert KoreanText("{:g}시간과(와)").format(2) == "2시간과(와)"  # a pair not right after a value stays
    assert KoreanText("그대로예요").format() == "그대로예요"


def test_the_korean_translator_hands_out_such_messages_and_english_is_untouched() -> None:
    korean = translator("ko").gettext("I don't know the command /{command}.")
    assert isinstance(korean, KoreanText)
    assert korean.format(command="도움말") == "/도움말은 제가 모르는 명령이에요."
    assert korean.format(command="설정") == "/설정은 제가 모르는 명령이에요."
    assert korean.format(command="도움") == "/도움은 제가 모르는 명령이에요."
    assert korean.format(command="프로필") == "/프로필은 제가 모르는 명령이에요."
    assert korean.format(command="메뉴") == "/메뉴는 제가 모르는 명령이에요."
    english = translator("en").gettext("I don't know the command /{command}.")
    assert type(english) is str
