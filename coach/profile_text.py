"""The profile summary, shared by onboarding, settings and progress."""

from __future__ import annotations

from datetime import date, datetime

from coach.content import Content
from coach.i18n import Translator
from coach.timezones import describe
from storage.models import Profile, User


def target_name(profile: Profile | None, content: Content, language: str) -> str | None:
    if profile is None:
        return None
    if profile.target_role and profile.target_role in content.roles:
        return content.roles[profile.target_role].name.get(language)
    return profile.target_role_custom


def checkin_text(user: User, t: Translator) -> str:
    _ = t.gettext
    if user.checkin_weekday is None or user.checkin_hour is None:
        return _("not set")
    when = _("{weekday} at {hour:02d}:{minute:02d}").format(
        weekday=t.weekday(user.checkin_weekday), hour=user.checkin_hour, minute=user.checkin_minute
    )
    if user.checkins_paused:
        if user.paused_until:
            return _("{when} (paused until {date})").format(when=when, date=t.date(user.paused_until))
        return _("{when} (paused)").format(when=when)
    return when


def horizon_text(horizon: date | None, today: date, t: Translator) -> str:
    _ = t.gettext
    if horizon is None:
        return _("not set")
    months = (horizon.year - today.year) * 12 + horizon.month - today.month
    if horizon <= today:
        return _("{date} (reached)").format(date=t.date(horizon))
    if months >= 12:
        years, rest = divmod(months, 12)
        left = t.ngettext("{n} year", "{n} years", years).format(n=years)
        if rest:
            left += " " + t.ngettext("{n} month", "{n} months", rest).format(n=rest)
    else:
        left = t.ngettext("{n} month", "{n} months", max(months, 1)).format(n=max(months, 1))
    return _("{date} ({left} to go)").format(date=t.date(horizon), left=left)


def profile_summary(
    profile: Profile | None, user: User, content: Content, t: Translator, now: datetime
) -> str:
    _ = t.gettext
    unknown = _("not set")
    profile = profile or Profile(user_id=user.id or 0)
    years = (
        t.ngettext("{n} year", "{n} years", profile.years_experience).format(n=profile.years_experience)
        if profile.years_experience is not None
        else unknown
    )
    lines = [
        _("*Your profile*"),
        _("Current role: {value}").format(value=profile.current_role or unknown),
        _("Experience: {value}").format(value=years),
        _("Target path: {value}").format(value=target_name(profile, content, t.language) or unknown),
        _("Ready by: {value}").format(value=horizon_text(profile.horizon_date, now.date(), t)),
        _("Weekly check-in: {value}").format(value=checkin_text(user, t)),
        _("Time zone: {value}").format(value=describe(user.timezone, t.language, now)),
    ]
    return "\n".join(lines)
