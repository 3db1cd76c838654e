"""Every message the coach can show has a Korean translation, with the same placeholders."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir

from coach.i18n import load_catalog, normalize_language, translator

KEYWORDS = {"_": None, "N_": None, "gettext": None, "ngettext": (1, 2)}
PLACEHOLDER = re.compile(r"\{[a-z_]*(?::[^}]*)?\}")


def _extracted() -> list[str | tuple[str, ...]]:
    coach_dir = Path(__file__).resolve().parents[1] / "coach"
    return [
        message
        for _filename, _lineno, message, _comments, _context in extract_from_dir(
            str(coach_dir), method_map=[("**.py", "python")], keywords=KEYWORDS
        )
    ]


def test_every_message_has_a_korean_translation_with_the_same_placeholders() -> None:
    catalog = load_catalog("ko")
    missing, broken = [], []
    for message in _extracted():
        msgid = message[0] if isinstance(message, tuple) else message
        entry = catalog.get(msgid)
        translated = entry.string if entry else None
        if isinstance(translated, tuple | list):
            translated = translated[0]
        if not translated:
            missing.append(msgid)
            continue
        if sorted(PLACEHOLDER.findall(msgid)) != sorted(PLACEHOLDER.findall(translated)):
            broken.append((msgid, translated))
    assert not missing, f"{len(missing)} messages have no Korean translation: {missing[:10]}"
    assert not broken, f"placeholders differ: {broken[:5]}"


def test_language_hints_choose_korean_only_for_ko() -> None:
    assert normalize_language("ko") == normalize_language("ko-KR") == normalize_language("ko_KR") == "ko"
    assert normalize_language("en-US") == normalize_language(None) == normalize_language("fr") == "en"


def test_korean_plural_and_weekday_come_from_the_catalog_and_cldr() -> None:
    ko = translator("ko")
    assert ko.ngettext("{n} year", "{n} years", 3).format(n=3) == "3년"
    assert ko.weekday(0) == "월요일"
    assert translator("en").weekday(6) == "Sunday"
