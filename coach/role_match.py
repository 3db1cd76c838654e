"""A typed target path ("independent financial planner", "클라우드 엔지니어") matched to the catalog role it
clearly means, so the user can be offered that role's skill matrix and certifications.

"Clearly" is strict: the typed text must contain a role's name or one of its aliases (roles.yaml), whole
words for Latin script, any spacing for Hangul, and no other role's. Anything vaguer is left as typed.
"""

from __future__ import annotations

import re
import unicodedata

from coach.content.schema import Content, Role

_SEPARATORS = re.compile(r"[\s/·,.;:()\[\]{}'\"“”‘’!?&+_-]+")
_HANGUL = re.compile(r"[가-힣]")


def _normal(text: str) -> str:
    return _SEPARATORS.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()


def _contains(typed: str, name: str) -> bool:
    wanted = _normal(name)
    if not wanted:
        return False
    if _HANGUL.search(wanted):  # Korean spacing varies: 재무설계사 and 재무 설계사 are the same word
        return wanted.replace(" ", "") in typed.replace(" ", "")
    return re.search(rf"(?<![\w]){re.escape(wanted)}(?![\w])", typed) is not None


def match_role(content: Content, typed: str) -> Role | None:
    """The one catalog role ``typed`` names, or ``None`` when it names none or more than one."""
    text = _normal(typed)
    if not text:
        return None
    hits = {
        role.key
        for role in content.roles.values()
        if any(_contains(text, name) for name in (role.name.en, role.name.ko, *role.aliases))
    }
    return content.roles[hits.pop()] if len(hits) == 1 else None
