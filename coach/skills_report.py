"""Words and pictures for a skill assessment, shared by /skills and /progress."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from coach.catalog import name_certifications
from coach.charts import SkillPanel, SkillRow
from coach.content.schema import Content, Role
from coach.gap import SkillGap, changes_since, rank_gaps, rated, skipped, top_gaps, total_gap
from coach.i18n import Translator
from coach.programs import programs_for, programs_text
from storage import coaching, users
from storage.models import SkillAssessment

MAX_LISTED = 12


async def target_roles(session: AsyncSession, user_id: int, content: Content) -> list[str]:
    """The catalog roles the user aims at: their main target first, then the ones they added."""
    profile = await users.get_profile(session, user_id)
    keys = [profile.target_role] if profile and profile.target_role else []
    keys += [key for key in await coaching.extra_target_roles(session, user_id) if key not in keys]
    return [key for key in keys if key in content.roles]


def skill_panel(
    role: Role, ratings: Mapping[str, object], language: str, previous: Mapping[str, object] | None = None
) -> SkillPanel:
    """The role's skills as chart rows: the user's level, the target, and the level last time if known."""
    now, before = rated(ratings), rated(previous or {})
    top = top_gaps(rank_gaps(role.skills, ratings), 1)
    return SkillPanel(
        role=role.name.get(language),
        rows=[
            SkillRow(skill.name.get(language), now.get(skill.key), skill.target, before.get(skill.key))
            for skill in role.skills
        ],
        biggest_gap=role.skill(top[0].key).name.get(language) if top else None,
    )


def _gap_line(position: int, gap: SkillGap, role: Role, t: Translator) -> str:
    name = role.skill(gap.key).name.get(t.language)
    return t.gettext("{n}. {skill}: you {current}, target {target} · gap {score:g}").format(
        n=position, skill=name, current=gap.current, target=gap.target, score=gap.score
    )


def result_text(
    role: Role,
    assessment: SkillAssessment,
    previous: SkillAssessment | None,
    t: Translator,
    content: Content,
    *,
    horizon: date | None = None,
    today: date | None = None,
) -> list[str]:
    """The ranked gap, the top three with next steps (public programmes that fit the path and the ready-by
    ``horizon`` among them), and the change since ``previous``: one string per message (a long list would
    not fit one chat bubble comfortably)."""
    _ = t.gettext
    lang = t.language
    gaps = rank_gaps(role.skills, assessment.ratings)
    real = [gap for gap in gaps if gap.score > 0]
    reached = [role.skill(gap.key).name.get(lang) for gap in gaps if gap.score == 0]
    left_out = [role.skill(key).name.get(lang) for key in skipped(role.skills, assessment.ratings)]
    lines = [_("*Your gap to {role}*").format(role=role.name.get(lang))]
    if not gaps:
        lines.append(
            _(
                "You skipped every skill, so there is no gap to rank yet. Run /skills again when you are ready."
            )
        )
        return ["\n".join(lines)]
    if real:
        lines.append(_("Ranked by weight × (target − your level):"))
        lines += [_gap_line(i, gap, role, t) for i, gap in enumerate(real[:MAX_LISTED], start=1)]
    else:
        lines.append(
            _(
                "You are at or above the target on every skill you rated. Time to prove it: a certification or a project."
            )
        )
    if reached:
        lines.append(_("At or above target: {skills}").format(skills=", ".join(reached)))
    if left_out:
        lines.append(_("Skipped (not ranked): {skills}").format(skills=", ".join(left_out)))
    messages = ["\n".join(lines)]
    top = top_gaps(gaps)
    if top:
        steps = [_("*Where to start*")]
        for gap in top:
            skill = role.skill(gap.key)
            steps.append(
                _("*{skill}* (you {current} → target {target})").format(
                    skill=skill.name.get(lang), current=gap.current, target=gap.target
                )
            )
            steps += [f"• {name_certifications(step.get(lang), content)}" for step in skill.next_steps]
        found = programs_for(content, lang, role.key, horizon if today else None, today or date.min)
        support = programs_text(found, content, t)
        if support:
            steps += ["", support]
        messages.append("\n".join(steps))
    if previous is not None and previous.completed_at is not None:
        messages.append(change_text(role, previous, assessment, t))
    return messages


def change_text(role: Role, before: SkillAssessment, after: SkillAssessment, t: Translator) -> str:
    _ = t.gettext
    lang = t.language
    assert before.completed_at is not None
    changes = changes_since(role.skills, before.ratings, after.ratings)
    lines = [_("*Since your assessment of {date}*").format(date=t.date(before.completed_at.date()))]
    moved = [c for c in changes if c.delta]
    for change in moved:
        arrow = "▲" if change.delta > 0 else "▼"
        lines.append(
            f"{arrow} "
            + _("{skill}: {before} → {after}").format(
                skill=role.skill(change.key).name.get(lang), before=change.before, after=change.after
            )
        )
    same = len(changes) - len(moved)
    if same:
        lines.append(t.ngettext("{n} skill unchanged.", "{n} skills unchanged.", same).format(n=same))
    old_total = total_gap(rank_gaps(role.skills, before.ratings))
    new_total = total_gap(rank_gaps(role.skills, after.ratings))
    lines.append(_("Total gap: {before:g} → {after:g}").format(before=old_total, after=new_total))
    return "\n".join(lines)


def summary_line(role: Role, assessment: SkillAssessment, t: Translator) -> str:
    """One line for /progress: when, the total gap, and the widest gaps."""
    _ = t.gettext
    assert assessment.completed_at is not None
    gaps = rank_gaps(role.skills, assessment.ratings)
    top = [role.skill(gap.key).name.get(t.language) for gap in top_gaps(gaps)]
    line = _("{role} (assessed {date}): total gap {total:g}").format(
        role=role.name.get(t.language), date=t.date(assessment.completed_at.date()), total=total_gap(gaps)
    )
    if top:
        line += " · " + _("widest: {skills}").format(skills=", ".join(top))
    return line
