"""Skill-gap ranking: weight × (target − current), biggest first, and change since the last assessment."""

from __future__ import annotations

from dataclasses import dataclass

from coach.gap import changes_since, rank_gaps, skipped, top_gaps, total_gap


@dataclass(frozen=True)
class Spec:
    key: str
    target: int
    weight: float


SKILLS = [
    Spec("networking", 4, 1.5),
    Spec("security", 4, 2.0),
    Spec("cost", 3, 1.0),
    Spec("iac", 4, 1.0),
    Spec("communication", 3, 1.0),
]


def test_gaps_are_ranked_by_weight_times_shortfall() -> None:
    ratings = {"networking": 2, "security": 3, "cost": 1, "iac": 2, "communication": 4}
    gaps = rank_gaps(SKILLS, ratings)
    assert [(g.key, g.score) for g in gaps] == [
        ("networking", 3.0),  # 1.5 × 2
        ("security", 2.0),  # 2.0 × 1, heavier than cost and iac at the same score
        ("cost", 2.0),  # earlier in the role than iac
        ("iac", 2.0),
        ("communication", 0.0),  # above target: no gap, never negative
    ]
    assert [g.key for g in top_gaps(gaps)] == ["networking", "security", "cost"]
    assert total_gap(gaps) == 9.0


def test_skipped_and_junk_ratings_stay_out_of_the_ranking() -> None:
    ratings = {"networking": None, "security": 9, "cost": True, "iac": 4, "ghost": 1}
    gaps = rank_gaps(SKILLS, ratings)
    assert [g.key for g in gaps] == ["iac"]
    assert top_gaps(gaps) == []
    assert skipped(SKILLS, ratings) == ["networking", "security", "cost", "communication"]


def test_change_since_last_assessment_per_skill() -> None:
    before = {"networking": 2, "security": 3, "cost": None, "iac": 2}
    after = {"networking": 3, "security": 3, "cost": 2, "iac": 1}
    changes = changes_since(SKILLS, before, after)
    assert [(c.key, c.before, c.after, c.delta) for c in changes] == [
        ("networking", 2, 3, 1),
        ("security", 3, 3, 0),
        ("iac", 2, 1, -1),
    ]
