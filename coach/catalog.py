"""Questions the coaching flows ask of the content catalog that the content API does not answer itself:
finding a certification by what a user types, reading a pass mark as a percentage, naming a goal."""

from __future__ import annotations

import functools
import re
import unicodedata

from coach.content.schema import Certification, Content
from coach.korean import particle

_FRACTION = re.compile(r"(\d+(?:\.\d+)?)\s*/\s*(\d+(?:\.\d+)?)")
_PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s*(?:%|점|percent)")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def _fold(text: str) -> str:
    """Case-, width- and punctuation-insensitive form: "SAA-C03", "saa c03" and "ＳＡＡ－Ｃ０３" agree."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return re.sub(r"[\s\-_./()·:]+", "", text)


def find_certifications(content: Content, typed: str) -> list[Certification]:
    """Certifications whose key or name matches ``typed``: an exact match wins, else every partial one."""
    wanted = _fold(typed)
    if len(wanted) < 2:
        return []
    certs = list(content.certifications.values())
    exact = [c for c in certs if wanted in (_fold(c.key), _fold(c.name))]
    if exact:
        return exact
    return [c for c in certs if wanted in _fold(c.name) or wanted in _fold(c.key)]


def passing_percent(cert: Certification) -> float | None:
    """The pass mark as a percentage when the catalog's text gives one ("720/1000", "70%", "60점 이상")."""
    text = cert.passing_score
    fraction = _FRACTION.search(text)
    if fraction:
        got, out_of = float(fraction.group(1)), float(fraction.group(2))
        return round(100 * got / out_of, 1) if 0 < got <= out_of else None
    percent = _PERCENT.search(text)
    if percent:
        value = float(percent.group(1))
        return value if 0 < value <= 100 else None
    return None


def role_name(content: Content, key: str | None, language: str) -> str | None:
    role = content.roles.get(key or "")
    return role.name.get(language) if role else None


@functools.cache
def _key_pattern(keys: tuple[str, ...]) -> re.Pattern[str]:
    longest_first = sorted(keys, key=len, reverse=True)
    # A key is a whole token even when a Korean particle follows it ("aws_saa_c03에서"): \b would not end it
    # there, since Hangul counts as a word character. A particle right after it is chosen again for the name.
    return re.compile(
        r"(?<![A-Za-z0-9_])("
        + "|".join(re.escape(key) for key in longest_first)
        + r")(?![A-Za-z0-9_])(?:(으로|[은는이가을를과와로](?:\([은는이가을를과와]\))?)(?![가-힣]))?"
    )


def name_certifications(text: str, content: Content) -> str:
    """Content cites certifications by key (``aws_saa_c03``) so they stay checkable; people read names, with
    the Korean particle that suits the name (not the key) after them."""
    if not content.certifications:
        return text

    def named(match: re.Match[str]) -> str:
        name = content.certifications[match.group(1)].name
        attached = match.group(2)
        return name + (
            particle(name, attached[:2] if attached.startswith("으로") else attached[0]) if attached else ""
        )

    return _key_pattern(tuple(content.certifications)).sub(named, text)
