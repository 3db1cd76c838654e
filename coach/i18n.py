"""Message catalogs: English text is the message id, Korean lives in ``coach/locale/ko/*.po``.

Each feature keeps its own ``.po`` file; they are merged at load time into one gettext catalog per
language, compiled in memory with Babel. Dates and weekday names come from Babel's CLDR data.
"""

from __future__ import annotations

import io
import string
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from babel import Locale
from babel.dates import format_date
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

from coach.korean import resolve

SUPPORTED_LANGUAGES = ("en", "ko")
LOCALE_DIR = Path(__file__).parent / "locale"


def N_(message: str) -> str:
    """Mark a string for translation where it is defined; translate it where it is shown."""
    return message


def normalize_language(code: str | None) -> str:
    """A platform language hint ("ko-KR", "ko", "en-GB", None) as one of the supported languages."""
    if code and code.strip().lower().replace("_", "-").startswith("ko"):
        return "ko"
    return "en"


_FORMATTER = string.Formatter()


class KoreanText(str):
    """A Korean message whose :meth:`format` puts the right particle after each placeholder.

    Translators write ``{role}을(를)``; once ``role`` is known the pair becomes 을 or 를 (see
    :mod:`coach.korean`). Only the message's own text is touched, never the values put into it.
    """

    __slots__ = ()

    def format(self, *args: Any, **kwargs: Any) -> str:
        parts: list[str] = []
        previous: str | None = None
        auto = 0
        for literal, field, spec, conversion in _FORMATTER.parse(self):
            parts.append(resolve(previous, literal) if previous is not None else literal)
            previous = None
            if field is None:
                continue
            if field == "":
                field, auto = str(auto), auto + 1
            value, _key = _FORMATTER.get_field(field, args, kwargs)
            value = _FORMATTER.convert_field(value, conversion)
            shown = _FORMATTER.format_field(value, _FORMATTER.vformat(spec or "", args, kwargs))
            parts.append(shown)
            previous = shown
        return "".join(parts)


class Translator:
    """Everything language-specific a flow needs: translated text, plural forms, dates, weekdays."""

    def __init__(self, language: str, translations: NullTranslations) -> None:
        self.language = language
        self.locale = Locale.parse(language)
        self._translations = translations

    def gettext(self, message: str) -> str:
        return self._text(self._translations.gettext(message))

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self._text(self._translations.ngettext(singular, plural, n))

    def _text(self, text: str) -> str:
        return KoreanText(text) if self.language == "ko" else text

    def date(self, value: date, format: str = "medium") -> str:
        return format_date(value, format=format, locale=self.locale)

    def weekday(self, index: int, width: str = "wide") -> str:
        """Monday is 0, as in :meth:`datetime.date.weekday`."""
        return str(self.locale.days["format"][width][index])


def load_catalog(language: str, directory: Path = LOCALE_DIR) -> Catalog:
    """All of a language's ``.po`` files merged into one catalog."""
    merged = Catalog(locale=language)
    for po_file in sorted((directory / language).glob("*.po")):
        with po_file.open("rb") as handle:
            part = read_po(handle, locale=language)
        for message in part:
            if message.id:
                merged[message.id] = message
    return merged


@cache
def translator(language: str) -> Translator:
    language = language if language in SUPPORTED_LANGUAGES else "en"
    if language == "en":
        return Translator("en", NullTranslations())
    buffer = io.BytesIO()
    write_mo(buffer, load_catalog(language))
    buffer.seek(0)
    return Translator(language, Translations(buffer))
