"""What a home screen shows (Slack's App Home): profile, next check-in, reflections, a button per flow.

Plain, translated text and buttons, so any platform can render it. Building it only reads: a person who
has never written gets a welcome and a button to begin, and no rows are created for them.

Features with something to show here (the study pace, for one) add a :data:`SectionSource` to
:func:`default_sections`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from coach import actions
from coach.content import Content, get_content
from coach.i18n import N_, Translator, normalize_language, translator
from coach.messages import Choice, Identity
from coach.profile_text import checkin_text, profile_summary
from coach.programs import programs_for, programs_text
from coach.study_report import study_nudge_line
from storage import journal, users
from storage.models import User

# Every flow that may have a button on the home screen, in the order shown; one appears only once its
# command exists, so flows that land later (skills, study, progress) show up without touching this module.
FLOW_BUTTONS = (
    ("start", N_("Profile")),
    ("reflect", N_("Reflect")),
    ("skills", N_("Skills")),
    ("study", N_("Study")),
    ("progress", N_("Progress")),
    ("journal", N_("Journal")),
    ("settings", N_("Settings")),
    ("help", N_("Help")),
)


@dataclass(frozen=True, slots=True)
class Section:
    """One block of the home screen: ``text`` in the coach's markup, its first line a bold heading."""

    text: str


@dataclass(frozen=True, slots=True)
class Dashboard:
    """The home screen for one person, in ``language``; ``known`` is False before their first message;
    ``today`` is the date on their calendar (in their time zone once known, else UTC)."""

    language: str
    title: str
    sections: tuple[Section, ...]
    actions: tuple[Choice, ...]
    known: bool
    today: date | None = None


SectionSource = Callable[[AsyncSession, User, Translator, datetime], Awaitable[Section | None]]


async def study_pace_section(
    session: AsyncSession, user: User, t: Translator, now: datetime
) -> Section | None:
    """Each active study goal's pace, or nothing for someone with no goal."""
    line = await study_nudge_line(session, user, t, now)
    return Section("*" + t.gettext("Study pace") + "*\n" + line) if line else None


async def support_section(session: AsyncSession, user: User, t: Translator, now: datetime) -> Section | None:
    """Public programmes that fit the user's path and ready-by date, once they have a path."""
    assert user.id is not None
    profile = await users.get_profile(session, user.id)
    if profile is None or not (profile.target_role or profile.target_role_custom):
        return None
    today = now.astimezone(ZoneInfo(user.timezone)).date()
    content = get_content()
    text = programs_text(
        programs_for(content, t.language, profile.target_role, profile.horizon_date, today), content, t
    )
    return Section(text) if text else None


def default_sections() -> list[SectionSource]:
    """Extra sections from features: the study pace, and support that fits the user's path."""
    return [study_pace_section, support_section]


async def build_dashboard(
    session: AsyncSession,
    who: Identity,
    *,
    now: datetime,
    content: Content,
    commands: Collection[str],
    sources: Sequence[SectionSource] = (),
) -> Dashboard:
    """The home screen for ``who``: ``commands`` are those the coach knows, ``sources`` extra sections."""
    identity = await users.find_identity(session, who.platform, who.workspace, who.user_id)
    user = await users.get_user(session, identity.user_id) if identity is not None else None
    hint = normalize_language(who.language or (identity.language_code if identity else None))
    t = translator((user.language or hint) if user is not None else hint)
    _ = t.gettext
    buttons = tuple(
        Choice(_(label), actions.shortcut(command)) for command, label in FLOW_BUTTONS if command in commands
    )
    title = _("Encore, your second-career coach")
    if user is None or user.id is None:
        welcome = Section(
            _("*Welcome*")
            + "\n"
            + _(
                "I help you prepare a second career one honest step a week. "
                "Press *Profile* to begin; it takes about three minutes."
            )
        )
        return Dashboard(t.language, title, (welcome,), buttons, known=False, today=now.date())

    profile = await users.get_profile(session, user.id)
    if profile is not None and profile.current_role:
        about = Section(profile_summary(profile, user, content, t, now))
    else:
        about = Section(
            _("*Your profile*")
            + "\n"
            + _("Not set up yet. Press *Profile* to begin; it takes about three minutes.")
        )
    sections = [
        about,
        Section(_("*Next check-in*") + "\n" + _next_checkin(user, t)),
        await _reflections(session, user, t),
    ]
    for source in sources:
        extra = await source(session, user, t, now)
        if extra is not None:
            sections.append(extra)
    today = now.astimezone(ZoneInfo(user.timezone)).date()
    return Dashboard(t.language, title, tuple(sections), buttons, known=True, today=today)


def _next_checkin(user: User, t: Translator) -> str:
    _ = t.gettext
    if user.next_checkin_at is None:
        return checkin_text(user, t)
    local = user.next_checkin_at.astimezone(ZoneInfo(user.timezone))
    return _("{weekday}, {date} at {time}").format(
        weekday=t.weekday(local.weekday()), date=t.date(local.date()), time=local.strftime("%H:%M")
    )


async def _reflections(session: AsyncSession, user: User, t: Translator) -> Section:
    _ = t.gettext
    assert user.id is not None
    count = await journal.count_entries(session, user.id)
    latest = await journal.latest_entry(session, user.id)
    heading = _("*Reflections*")
    if latest is None:
        return Section(heading + "\n" + _("No reflection yet. Press *Reflect* for a first one."))
    day = latest.created_at.astimezone(ZoneInfo(user.timezone)).date()
    lines = [
        heading,
        _("Last reflection: {date}").format(date=t.date(day)),
        t.ngettext("{n} entry in your journal", "{n} entries in your journal", count).format(n=count),
    ]
    return Section("\n".join(lines))
