"""The two export files: complete JSON for machines, readable Markdown for people, in the user's language.

Both are built from the same table-by-table data (see :func:`storage.export.collect_user_data`), so a
table added by a later feature appears in both without changes here. A table can give itself a readable
title with ``info={"title": N_("…")}``; otherwise its name is shown.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from coach.content import Content
from coach.i18n import N_, Translator
from coach.messages import Document
from coach.platforms import platform_name
from coach.profile_text import profile_summary
from storage.export import UserData, table_title
from storage.models import Profile, User

FORMAT = "encore-export"
VERSION = 1

# Tables with a section of their own in the Markdown file; every other table goes under "Other records".
_OWN_SECTIONS = {"user", "profile", "identity", "journalentry"}
_TITLES = {
    "activeweek": N_("Weeks you talked with me"),
    "conversationstate": N_("Where our conversation stands"),
    "targetrole": N_("Your career paths"),
    "skillassessment": N_("Skill assessments"),
    "studygoal": N_("Study goals"),
    "studycheckin": N_("Study check-ins"),
    "examresult": N_("Exam results"),
    "checkinslot": N_("Weekly check-ins"),
    "coolingoff": N_("Cooling-off reminders"),
    "pauseperiod": N_("Check-in pauses"),
    "planchange": N_("Changes to your study plans"),
}
_NOTE_TITLES = {"note": N_("Note"), "quit_note": N_("Written on a hard day")}


def json_document(data: UserData, now: datetime, day: date) -> Document:
    payload = {"format": FORMAT, "version": VERSION, "exported_at": now.isoformat(), "tables": data}
    content = json.dumps(payload, ensure_ascii=False, indent=2).encode("utf-8")
    return Document(f"encore-data-{day.isoformat()}.json", content, "application/json")


def markdown_document(
    data: UserData,
    *,
    user: User,
    profile: Profile | None,
    content: Content,
    t: Translator,
    now: datetime,
) -> Document:
    zone = ZoneInfo(user.timezone)
    local_now = now.astimezone(zone)
    _ = t.gettext
    parts = [
        "# " + _("Encore — everything I keep about you"),
        _("Exported on {date} at {time}. The JSON file holds the same data, complete.").format(
            date=t.date(local_now.date()), time=local_now.strftime("%H:%M")
        ),
        "## " + _("Your profile"),
        "\n".join("- " + line for line in profile_summary(profile, user, content, t, now).splitlines()[1:]),
        "## " + _("Your accounts"),
        "\n".join(_identity_line(row, t, zone) for row in data.get("identity", [])),
    ]
    entries = data.get("journalentry", [])
    parts.append(
        "## "
        + t.ngettext("Journal ({n} entry)", "Journal ({n} entries)", len(entries)).format(n=len(entries))
    )
    parts += [_journal_entry(row, content, t, zone) for row in entries] or [_("No entries yet.")]
    others = [(name, _worth_reading(name, rows)) for name, rows in data.items() if name not in _OWN_SECTIONS]
    others = [(name, rows) for name, rows in others if rows]
    if others:
        parts.append("## " + _("Other records"))
        names = content_names(content, t.language)
        for name, rows in others:
            parts.append("### " + _table_title(name, t))
            parts += [_generic_row(row, names) for row in rows]
    text = "\n\n".join(parts) + "\n"
    # Named for what a person opens it for: their journal (with their profile), readable anywhere.
    name = f"encore-journal-{local_now.date().isoformat()}.md"
    return Document(name, text.encode("utf-8"), "text/markdown")


def _identity_line(row: dict[str, Any], t: Translator, zone: ZoneInfo) -> str:
    name = platform_name(row["platform"], t)
    if row.get("workspace"):
        name += f" ({row['workspace']})"
    since = t.date(datetime.fromisoformat(row["created_at"]).astimezone(zone).date())
    return "- " + t.gettext("{platform}, since {date}").format(platform=name, date=since)


def _journal_entry(row: dict[str, Any], content: Content, t: Translator, zone: ZoneInfo) -> str:
    when = datetime.fromisoformat(row["created_at"]).astimezone(zone)
    if row.get("kind") in _NOTE_TITLES:  # a note the user wrote outside any question: their words only
        answer = "  \n".join(str(row["answer"]).splitlines())
        return f"### {t.date(when.date())} · {t.gettext(_NOTE_TITLES[row['kind']])}\n\n{answer}"
    theme = next((th.title.get(t.language) for th in content.themes if th.key == row["theme"]), row["theme"])
    heading = f"### {t.date(when.date())} · {theme}"
    if row.get("confidence"):
        heading += " · " + t.gettext("confidence {n}/5").format(n=row["confidence"])
    prompt = "\n".join("> " + line for line in str(row["prompt_text"]).splitlines())
    answer = "  \n".join(str(row["answer"]).splitlines())  # a hard break keeps the user's own line breaks
    return f"{heading}\n\n{prompt}\n\n{answer}"


def _worth_reading(name: str, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if name == "conversationstate":  # only a draft in progress is the user's own words
        return [row for row in rows if row.get("data")]
    return rows


def _table_title(name: str, t: Translator) -> str:
    title = table_title(name) or _TITLES.get(name)
    return t.gettext(title) if title else name


def content_names(content: Content, language: str) -> dict[str, str]:
    """What each content key (a role, certification, skill, exam domain, theme or prompt) is called."""
    names: dict[str, str] = {}
    for role in content.roles.values():
        names.setdefault(role.key, role.name.get(language))
        for skill in role.skills:
            names.setdefault(skill.key, skill.name.get(language))
    for cert in content.certifications.values():
        names.setdefault(cert.key, cert.name)
        for domain in cert.domains:
            names.setdefault(domain.key, domain.name.get(language))
    for theme in content.themes:
        names.setdefault(theme.key, theme.title.get(language))
    titles = {theme.key: theme.title.get(language) for theme in content.themes}
    for prompt in content.prompts:
        names.setdefault(prompt.key, titles.get(prompt.theme, prompt.theme))
    return names


def _readable(value: Any, names: dict[str, str]) -> str:
    """A stored value as a person reads it: content keys by their names, a mapping as "name: value"."""
    if isinstance(value, dict):
        return ", ".join(f"{names.get(str(k), k)}: {_readable(v, names)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(_readable(item, names) for item in value)
    if isinstance(value, str):
        return names.get(value, value)
    return "—" if value is None else str(value)


def _generic_row(row: dict[str, Any], names: dict[str, str] | None = None) -> str:
    shown = {k: v for k, v in row.items() if k not in ("user_id", "id") and v not in (None, "", {}, [])}
    values = [f"{k}: {_readable(v, names or {})}" for k, v in shown.items()]
    return "- " + "; ".join(values) if values else "- …"
