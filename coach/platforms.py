"""How the chat platforms are named to users."""

from __future__ import annotations

from coach.i18n import N_, Translator

_NAMES = {"telegram": "Telegram", "slack": "Slack", "console": N_("Console")}


def platform_name(platform: str, t: Translator) -> str:
    name = _NAMES.get(platform)
    return t.gettext(name) if name else platform
