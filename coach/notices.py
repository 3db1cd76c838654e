"""Short notices a chat adapter shows without asking the coach: a group chat, a message it cannot read,
a failure on our side.

The adapter knows only the platform's language hint here, so these texts take it directly; everything a
user sees still comes from the catalogs, none of it from adapter code.
"""

from __future__ import annotations

from coach.i18n import N_, normalize_language, translator

PRIVATE_CHAT_ONLY = N_(
    "I coach one to one only, because what you tell me is private. Write to me directly: {link}"
)
TEXT_ONLY = N_("I can only read text. Please type your answer, or send /help to see what I can do.")
TROUBLE = N_(
    "Sorry, something went wrong on my side and I could not answer. Everything you saved before is safe; "
    "please try again in a minute."
)


def notice(message: str, language: str | None, **values: str) -> str:
    """``message`` (one of the texts above) in the language a platform hints at, placeholders filled."""
    return translator(normalize_language(language)).gettext(message).format(**values)
