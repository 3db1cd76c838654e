"""Skill-gap math: how far each self-rating is from a role's target, weighted, ranked and compared.

Pure functions over plain values, so the flows, the progress summary and the charts agree on one number:
a skill's gap is ``weight × max(target − current, 0)``; a skill above its target has no gap.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol


class SkillSpec(Protocol):
    @property
    def key(self) -> str: ...
    @property
    def target(self) -> int: ...
    @property
    def weight(self) -> float: ...


@dataclass(frozen=True, slots=True)
class SkillGap:
    key: str
    current: int
    target: int
    weight: float

    @property
    def shortfall(self) -> int:
        return max(self.target - self.current, 0)

    @property
    def score(self) -> float:
        return round(self.weight * self.shortfall, 2)


@dataclass(frozen=True, slots=True)
class SkillChange:
    """A skill rated in two assessments: ``before`` and ``after`` are 1..5."""

    key: str
    before: int
    after: int

    @property
    def delta(self) -> int:
        return self.after - self.before


def rated(ratings: Mapping[str, object]) -> dict[str, int]:
    """Only the skills given a 1..5 rating (skipped ones are stored as ``None``; junk is ignored)."""
    return {
        key: value
        for key, value in ratings.items()
        if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 5
    }


def rank_gaps(skills: Sequence[SkillSpec], ratings: Mapping[str, object]) -> list[SkillGap]:
    """Every rated skill, largest weighted gap first; ties go to the heavier skill, then the role's order."""
    levels = rated(ratings)
    gaps = [
        (index, SkillGap(skill.key, levels[skill.key], skill.target, skill.weight))
        for index, skill in enumerate(skills)
        if skill.key in levels
    ]
    gaps.sort(key=lambda item: (-item[1].score, -item[1].weight, item[0]))
    return [gap for _index, gap in gaps]


def top_gaps(gaps: Sequence[SkillGap], count: int = 3) -> list[SkillGap]:
    """The ``count`` largest gaps that are real gaps (skills at or above target are left out)."""
    return [gap for gap in gaps if gap.score > 0][:count]


def total_gap(gaps: Sequence[SkillGap]) -> float:
    return round(sum(gap.score for gap in gaps), 2)


def skipped(skills: Sequence[SkillSpec], ratings: Mapping[str, object]) -> list[str]:
    """Skills the user chose to skip (or that a newer version of the role added since they rated)."""
    levels = rated(ratings)
    return [skill.key for skill in skills if skill.key not in levels]


def changes_since(
    skills: Sequence[SkillSpec], before: Mapping[str, object], after: Mapping[str, object]
) -> list[SkillChange]:
    """Skills rated in both assessments, in the role's order, with how each rating moved."""
    old, new = rated(before), rated(after)
    return [
        SkillChange(skill.key, old[skill.key], new[skill.key])
        for skill in skills
        if skill.key in old and skill.key in new
    ]
