"""What the dashboard app ("My second career", a Telegram Mini App) shows one person, in their language.

Everything here is read-only and already decided by the coach: the plan figures and verdicts come from the
study pace model (through :func:`plan_figures`, the one place to switch when the plan model moves), the
skills gap from :mod:`coach.gap`, the journal decrypted by storage. The app's server turns these values
into JSON and the page only lays them out, so no surface judges a plan on its own. A person who never
wrote to the coach gets an empty view: nothing is created for them, and nothing of anyone else is read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_skeleton
from sqlalchemy.ext.asyncio import AsyncSession

from coach import actions
from coach.content import Content
from coach.gap import rank_gaps, rated, total_gap
from coach.i18n import N_, Translator, normalize_language, translator
from coach.messages import Choice, Identity
from coach.profile_text import checkin_text, horizon_text, target_name
from coach.skills_report import summary_line, target_roles
from coach.study_report import (
    goal_name,
    goal_pace,
    hours_panel,
    pace_line,
    suggestion_text,
    verdict_text,
)
from coach.timezones import describe
from coach.webapp_text import ACTIONS, labels
from storage import coaching, journal, users
from storage.models import JournalEntry, StudyCheckin, User

RECENT_ENTRIES = 20
SEARCH_LIMIT = 50
MAX_SEARCH_CHARS = 100
OPEN_APP = N_("Open my dashboard")


def app_choice(t: Translator) -> Choice:
    """A button that opens the dashboard app where the platform has one (Telegram); others leave it out."""
    return Choice(t.gettext(OPEN_APP), actions.shortcut("progress"), opens_app=True)


@dataclass(frozen=True, slots=True)
class ProfileView:
    current_role: str | None = None
    target_path: str | None = None
    ready_by: str | None = None
    checkin: str | None = None  # "Tuesday at 09:00", or "… (paused)"
    checkin_weekday: int | None = None  # 0 = Monday
    checkin_time: str | None = None  # "09:00"
    timezone: str | None = None  # IANA name
    timezone_text: str | None = None  # "Seoul (UTC+09:00)"


@dataclass(frozen=True, slots=True)
class GoalView:
    """One active study goal as the pace model judges it now."""

    name: str
    verdict: str  # on_track | behind | at_risk
    verdict_text: str
    summary: str
    next_step: str
    hours_done: float
    need_hours: float | None
    weeks_left: float | None
    needed_per_week: float | None
    planned_per_week: float
    recent_per_week: float | None
    streak_weeks: int
    latest_score: float | None
    exam_date: str | None  # ISO date
    exam_date_text: str | None


@dataclass(frozen=True, slots=True)
class HoursChart:
    """Hours studied per week (Mondays, oldest first) against the weekly hours planned."""

    weeks: list[str]
    week_labels: list[str]
    hours: list[float]
    target: float


@dataclass(frozen=True, slots=True)
class PlanView:
    goals: list[GoalView] = field(default_factory=list)
    passed: list[str] = field(default_factory=list)  # "AWS SAA: passed on Nov 2, 2026"
    chart: HoursChart | None = None


@dataclass(frozen=True, slots=True)
class SkillView:
    name: str
    current: int | None  # None: skipped
    target: int
    gap: float


@dataclass(frozen=True, slots=True)
class RoleGapView:
    role: str
    assessed: str | None  # None: not assessed yet
    summary: str | None
    total_gap: float | None
    skills: list[SkillView] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class EntryView:
    id: int
    day: str  # ISO date, in the user's zone
    date: str
    theme: str
    prompt: str
    answer: str
    confidence: int | None


@dataclass(frozen=True, slots=True)
class JournalView:
    count: int
    count_text: str
    entries: list[EntryView] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class ActionView:
    command: str
    label: str


@dataclass(frozen=True, slots=True)
class WebAppView:
    known: bool
    language: str
    labels: dict[str, str]
    actions: list[ActionView]
    profile: ProfileView
    plan: PlanView
    skills: list[RoleGapView]
    journal: JournalView


@dataclass(frozen=True, slots=True)
class SearchView:
    query: str
    total: int
    entries: list[EntryView]


async def _person(session: AsyncSession, who: Identity) -> tuple[User | None, Translator]:
    """The user behind ``who`` (``None``: never wrote) and their language (theirs, else the app's hint)."""
    identity = await users.find_identity(session, who.platform, who.workspace, who.user_id)
    user = await users.get_user(session, identity.user_id) if identity is not None else None
    hint = normalize_language(who.language or (identity.language_code if identity else None))
    return user, translator((user.language if user else None) or hint)


async def webapp_view(session: AsyncSession, who: Identity, *, now: datetime, content: Content) -> WebAppView:
    """Everything the app shows ``who``, read only."""
    user, t = await _person(session, who)
    chrome = labels(t)
    buttons = [ActionView(command, t.gettext(label)) for command, label in ACTIONS]
    if user is None or user.id is None:
        empty = JournalView(0, t.ngettext("{n} entry", "{n} entries", 0).format(n=0))
        return WebAppView(False, t.language, chrome, buttons, ProfileView(), PlanView(), [], empty)
    return WebAppView(
        known=True,
        language=t.language,
        labels=chrome,
        actions=buttons,
        profile=await _profile(session, user, content, t, now),
        plan=await plan_figures(session, user, content, t, now),
        skills=await _skills(session, user, content, t),
        journal=await _journal(session, user, content, t),
    )


async def search_view(
    session: AsyncSession, who: Identity, words: str, *, content: Content, limit: int = SEARCH_LIMIT
) -> SearchView:
    """``who``'s journal entries holding ``words``, newest first (nothing for someone unknown)."""
    words = words.strip()[:MAX_SEARCH_CHARS]
    user, t = await _person(session, who)
    if user is None or user.id is None or not words:
        return SearchView(words, 0, [])
    found, total = await journal.entries_matching(session, user.id, words, limit=limit)
    zone = ZoneInfo(user.timezone)
    return SearchView(words, total, [_entry(entry, content, t, zone) for entry in found])


async def _profile(
    session: AsyncSession, user: User, content: Content, t: Translator, now: datetime
) -> ProfileView:
    assert user.id is not None
    profile = await users.get_profile(session, user.id)
    scheduled = user.checkin_weekday is not None and user.checkin_hour is not None
    return ProfileView(
        current_role=profile.current_role if profile else None,
        target_path=target_name(profile, content, t.language),
        ready_by=horizon_text(profile.horizon_date, now.date(), t)
        if profile and profile.horizon_date
        else None,
        checkin=checkin_text(user, t) if scheduled else None,
        checkin_weekday=user.checkin_weekday,
        checkin_time=f"{user.checkin_hour:02d}:{user.checkin_minute:02d}" if scheduled else None,
        timezone=user.timezone,
        timezone_text=describe(user.timezone, t.language, now),
    )


async def plan_figures(
    session: AsyncSession, user: User, content: Content, t: Translator, now: datetime
) -> PlanView:
    """The plan figures every surface shows, from the study pace model: the one place the app reads them."""
    assert user.id is not None
    goals = await coaching.all_goals(session, user.id)
    by_goal: dict[int, list[StudyCheckin]] = {
        goal.id or 0: await coaching.checkins_of(session, goal.id or 0) for goal in goals
    }
    active = [goal for goal in goals if goal.status == "active"]
    views = []
    for goal in active:
        pace = goal_pace(goal, by_goal[goal.id or 0], content, user, now)
        views.append(
            GoalView(
                name=goal_name(goal, content),
                verdict=pace.verdict.value,
                verdict_text=verdict_text(pace, t),
                summary=pace_line(goal, pace, content, t),
                next_step=suggestion_text(goal, pace, content, t),
                hours_done=pace.hours_done,
                need_hours=pace.need_hours,
                weeks_left=None if pace.weeks_left is None else round(pace.weeks_left, 1),
                needed_per_week=pace.needed_per_week,
                planned_per_week=pace.weekly_hours,
                recent_per_week=None if pace.recent_per_week is None else round(pace.recent_per_week, 1),
                streak_weeks=pace.streak_weeks,
                latest_score=pace.latest_score,
                exam_date=goal.exam_date.isoformat() if goal.exam_date else None,
                exam_date_text=t.date(goal.exam_date) if goal.exam_date else None,
            )
        )
    passed = [
        t.gettext("{goal}: passed on {date}").format(
            goal=goal_name(goal, content), date=t.date(goal.closed_at.date())
        )
        for goal in goals
        if goal.status == "passed" and goal.closed_at is not None
    ]
    checkins = [checkin for goal in goals for checkin in by_goal[goal.id or 0]]
    chart = None
    if checkins:
        panel = hours_panel(active or goals, checkins, user, now)
        chart = HoursChart(
            weeks=[monday.isoformat() for monday, _hours in panel.weeks],
            week_labels=[_week_label(monday, t) for monday, _hours in panel.weeks],
            hours=[round(hours, 2) for _monday, hours in panel.weeks],
            target=panel.target,
        )
    return PlanView(views, passed, chart)


def _week_label(monday: date, t: Translator) -> str:
    return str(format_skeleton("Md", monday, locale=t.locale))


async def _skills(session: AsyncSession, user: User, content: Content, t: Translator) -> list[RoleGapView]:
    assert user.id is not None
    views = []
    for key in await target_roles(session, user.id, content):
        role = content.roles[key]
        latest = await coaching.latest_assessment(session, user.id, key)
        name = role.name.get(t.language)
        if latest is None or latest.completed_at is None:
            views.append(RoleGapView(name, None, None, None))
            continue
        gaps = {gap.key: gap for gap in rank_gaps(role.skills, latest.ratings)}
        levels = rated(latest.ratings)
        skills = [
            SkillView(
                skill.name.get(t.language),
                levels.get(skill.key),
                skill.target,
                gaps[skill.key].score if skill.key in gaps else 0.0,
            )
            for skill in role.skills
        ]
        skills.sort(key=lambda skill: -skill.gap)
        views.append(
            RoleGapView(
                name,
                t.date(latest.completed_at.date()),
                summary_line(role, latest, t),
                total_gap(list(gaps.values())),
                skills,
            )
        )
    return views


async def _journal(session: AsyncSession, user: User, content: Content, t: Translator) -> JournalView:
    assert user.id is not None
    count = await journal.count_entries(session, user.id)
    recent = await journal.page_of_entries(session, user.id, offset=0, limit=RECENT_ENTRIES)
    zone = ZoneInfo(user.timezone)
    return JournalView(
        count,
        t.ngettext("{n} entry", "{n} entries", count).format(n=count),
        [_entry(entry, content, t, zone) for entry in recent],
    )


def _entry(entry: JournalEntry, content: Content, t: Translator, zone: ZoneInfo) -> EntryView:
    day = entry.created_at.astimezone(zone).date()
    theme = next((th.title.get(t.language) for th in content.themes if th.key == entry.theme), entry.theme)
    return EntryView(
        id=entry.id or 0,
        day=day.isoformat(),
        date=t.date(day),
        theme=theme,
        prompt=entry.prompt_text,
        answer=entry.answer,
        confidence=entry.confidence,
    )
