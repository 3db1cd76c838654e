"""Public programmes and money rules worth knowing on the way to a second career, chosen for the user's
path and ready-by date: Korean programmes for Korean speakers, their general equivalents for everyone else.

They are suggested as a next step, in plain words (what it is, one thing to do), never as an advertisement.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from coach.content.schema import Content, Program
from coach.i18n import Translator

DAYS_A_YEAR = 365.25
MAX_SHOWN = 3


def programs_for(
    content: Content, language: str, target_role: str | None, horizon: date | None, today: date
) -> list[Program]:
    """The programmes that fit: the user's country group, their path, and how soon they want to be ready.

    A programme that only matters close to leaving is suggested only when the ready-by date is that close.
    """
    country = "KR" if language == "ko" else "ANY"
    years = (horizon - today).days / DAYS_A_YEAR if horizon is not None else None
    fitting = [
        program
        for program in content.programs
        if program.country == country
        and (not program.roles or (target_role is not None and target_role in program.roles))
        and (program.horizon_years_max is None or (years is not None and years <= program.horizon_years_max))
    ]
    # The most specific first: made for this path, then what matters because leaving is near.
    fitting.sort(key=lambda p: (not p.roles, p.horizon_years_max is None))
    return fitting[:MAX_SHOWN]


def programs_text(programs: Sequence[Program], content: Content, t: Translator) -> str | None:
    """The programmes as a short list, with when their facts were checked; ``None`` without any."""
    if not programs:
        return None
    _ = t.gettext
    lines = [_("*Support you can use*")]
    for program in programs:
        line = (
            f"• {program.name.get(t.language)}: {program.what.get(t.language)} {program.step.get(t.language)}"
        )
        if program.unsure:
            line += " " + _("(Figures change: check the current ones.)")
        lines.append(line)
    checked = date.fromisoformat(content.programs_as_of)
    lines.append(_("As of {date}; sources are the programmes' public pages.").format(date=t.date(checked)))
    return "\n".join(lines)
