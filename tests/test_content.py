"""Encore's coaching content: what ships loads and is complete in both languages, and broken files are
reported with the file and field at fault."""

from __future__ import annotations

import re
import shutil
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import BaseModel

import coach.content
from coach.content import Content, ContentError, get_content, load_content
from coach.content.schema import FollowUp, Localized

CONTENT_DIR = Path(coach.content.__file__).parent
FILES = ("reflection_prompts.yaml", "skill_levels.yaml", "roles.yaml", "certifications.yaml", "programs.yaml")
THEMES = [
    "self_assessment",
    "without_company",
    "expertise_trends",
    "network_reputation",
    "money_retirement",
    "emotions_decisions",
    "gratitude_growth",
]
ROLES = [
    "cloud_architect",
    "ml_engineer",
    "data_analyst",
    "it_security_consultant",
    "corporate_trainer",
    "financial_planner",
    "startup_advisor",
    "craft_business",
]
CERTIFICATIONS = [
    "aws_clf_c02",
    "aws_saa_c03",
    "aws_sap_c02",
    "aws_aif_c01",
    "az_900",
    "az_104",
    "az_305",
    "ai_900",
    "gcp_ace",
    "gcp_pca",
    "cka",
    "ckad",
    "kr_engineer_information_processing",
    "kr_sqld",
    "kr_adsp",
    "kr_big_data_analysis",
    "kr_afpk",
    "kr_cfp",
    "kr_investment_manager",
]
HANGUL = re.compile(r"[\uac00-\ud7a3]")


@pytest.fixture(scope="module")
def content() -> Content:
    return load_content()


def localized_strings(node: object, path: str = "content") -> Iterator[tuple[str, Localized]]:
    """Every user-facing string pair in the content, with where it sits."""
    if isinstance(node, Localized):
        yield path, node
    elif isinstance(node, BaseModel):
        for name in type(node).model_fields:
            yield from localized_strings(getattr(node, name), f"{path}.{name}")
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from localized_strings(value, f"{path}[{key}]")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from localized_strings(value, f"{path}[{index}]")


def normalized(text: str) -> str:
    return " ".join(text.lower().split())


# --- the shipped content ------------------------------------------------------------------------------------


def test_shipped_content_loads_once_per_process() -> None:
    assert get_content() is get_content()
    assert isinstance(get_content(), Content)


def test_the_seven_themes_are_there_in_order(content: Content) -> None:
    assert [theme.key for theme in content.themes] == THEMES
    assert content.theme("money_retirement").title.get("en") == "Money and retirement"
    with pytest.raises(KeyError):
        content.theme("astrology")


def test_every_theme_has_at_least_six_prompts_and_there_are_enough_in_each_language(content: Content) -> None:
    for theme in THEMES:
        assert len(content.prompts_in(theme)) >= 6, theme
    for lang in ("en", "ko"):
        texts = [prompt.text.get(lang) for theme in THEMES for prompt in content.prompts_in(theme)]
        assert len(texts) >= 44
        assert all(text.strip() for text in texts)


def test_prompts_can_be_found_by_key(content: Content) -> None:
    first = content.prompts[0]
    assert content.prompt(first.key) is first
    with pytest.raises(KeyError):
        content.prompt("no_such_prompt")


def test_no_two_prompts_ask_the_same_thing(content: Content) -> None:
    for lang in ("en", "ko"):
        texts = Counter(normalized(prompt.text.get(lang)) for prompt in content.prompts)
        assert [text for text, count in texts.items() if count > 1] == [], lang


def test_follow_ups_are_specific_to_their_prompt(content: Content) -> None:
    """A follow-up reused across prompts or levels would be the generic praise we promised not to send."""
    for lang in ("en", "ko"):
        replies = Counter(
            normalized(getattr(prompt.follow_up, level).get(lang))
            for prompt in content.prompts
            for level in ("low", "steady", "high")
        )
        assert [reply for reply, count in replies.items() if count > 1] == [], lang


def test_follow_ups_are_short(content: Content) -> None:
    for prompt in content.prompts:
        for level in ("low", "steady", "high"):
            reply = getattr(prompt.follow_up, level)
            assert len(reply.en) <= 240, (prompt.key, level, reply.en)
            assert len(reply.ko) <= 160, (prompt.key, level, reply.ko)


def test_confidence_picks_the_follow_up() -> None:
    def text(word: str) -> Localized:
        return Localized(en=word, ko=f"{word} 한국어")

    follow_up = FollowUp(low=text("low"), steady=text("steady"), high=text("high"))
    picked = [follow_up.for_confidence(n).en for n in (1, 2, 3, 4, 5)]
    assert picked == ["low", "low", "steady", "high", "high"]
    with pytest.raises(ValueError):
        follow_up.for_confidence(6)


def test_every_korean_string_is_korean_and_translated(content: Content) -> None:
    strings = list(localized_strings(content))
    assert len(strings) > 500
    untranslated = [path for path, text in strings if not HANGUL.search(text.ko) or text.ko == text.en]
    assert untranslated == []


def test_korean_prompts_and_follow_ups_keep_to_haeyo_style(content: Content) -> None:
    formal = re.compile(r"(니다|니까)[.?!]?(\s|$)")
    mixed = [path for path, text in localized_strings(content.prompts, "prompts") if formal.search(text.ko)]
    assert mixed == []


def test_language_tags_choose_the_text() -> None:
    text = Localized(en="Hello", ko="안녕하세요")
    assert text.get("ko") == text.get("ko-KR") == text.get("KO") == "안녕하세요"
    assert text.get("en") == text.get("en-GB") == text.get("ja") == text.get(None) == "Hello"


def test_skill_levels_run_from_one_to_five(content: Content) -> None:
    assert [level.level for level in content.skill_levels] == [1, 2, 3, 4, 5]
    assert content.skill_levels[0].label.get("en") == "Aware"


def test_roles_have_eight_to_twelve_actionable_skills(content: Content) -> None:
    assert set(ROLES) <= set(content.roles)
    for role in content.roles.values():
        assert 8 <= len(role.skills) <= 12, role.key
        for skill in role.skills:
            assert 1 <= skill.target <= 5
            assert 0 < skill.weight <= 3
            assert 1 <= len(skill.next_steps) <= 3
    assert content.roles["cloud_architect"].skill("cloud_networking").target == 4


def test_certifications_named_in_next_steps_exist(content: Content) -> None:
    """Next steps name certifications by key so the coach can link them; a typo would link nowhere."""
    cited = set()
    for role in content.roles.values():
        for skill in role.skills:
            for step in skill.next_steps:
                for lang in ("en", "ko"):
                    words = set(re.findall(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b", step.get(lang)))
                    words |= set(re.findall(r"\b(?:cka|ckad|pmp|cissp)\b", step.get(lang)))
                    assert words <= set(content.certifications), (role.key, skill.key, words)
                    cited |= words
    assert {"aws_saa_c03", "kr_sqld", "kr_afpk", "cka"} <= cited


def test_certifications_cover_the_named_exams_with_sound_figures(content: Content) -> None:
    assert len(content.certifications) >= 20
    assert set(CERTIFICATIONS) <= set(content.certifications)
    for cert in content.certifications.values():
        assert abs(sum(domain.weight for domain in cert.domains) - 1.0) <= 0.02, cert.key
        assert cert.study_hours_min <= cert.study_hours_max
        assert set(cert.roles) <= set(content.roles)
    saa = content.certifications["aws_saa_c03"]
    assert [(d.key, d.weight) for d in saa.domains] == [
        ("secure_architectures", 0.30),
        ("resilient_architectures", 0.26),
        ("high_performing_architectures", 0.24),
        ("cost_optimized_architectures", 0.20),
    ]
    assert saa.validity_years == 3
    assert content.certifications["kr_engineer_information_processing"].validity_years is None
    assert content.certifications["az_104"].validity_years == 1


def test_each_role_has_a_certification_to_study(content: Content) -> None:
    for role in ROLES:
        assert content.certifications_for(role), role


# --- broken content -----------------------------------------------------------------------------------------


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    for name in FILES:
        shutil.copy(CONTENT_DIR / name, tmp_path / name)
    return tmp_path


def rewrite(folder: Path, name: str, change: Callable[[Any], None]) -> None:
    path = folder / name
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_an_unchanged_copy_loads(content_copy: Path) -> None:
    assert load_content(content_copy) == load_content()


def _set_target(data: Any) -> None:
    data["roles"][2]["skills"][0]["target"] = 7


def _drop_korean(data: Any) -> None:
    del data["prompts"][3]["text"]["ko"]


def _blank_english(data: Any) -> None:
    data["prompts"][5]["follow_up"]["high"]["en"] = "   "


def _unknown_role(data: Any) -> None:
    data["certifications"][0]["roles"].append("astronaut")


def _unknown_theme(data: Any) -> None:
    data["prompts"][4]["theme"] = "astrology"


def _duplicate_prompt(data: Any) -> None:
    data["prompts"][8]["key"] = data["prompts"][1]["key"]


def _missing_level(data: Any) -> None:
    del data["levels"][4]


def _bad_weights(data: Any) -> None:
    data["certifications"][1]["domains"][0]["weight"] = 0.5


def _hours_reversed(data: Any) -> None:
    data["certifications"][2]["study_hours_min"] = 500


def _too_few_skills(data: Any) -> None:
    del data["roles"][0]["skills"][2:]


def _duplicate_skill(data: Any) -> None:
    data["roles"][1]["skills"][3]["key"] = data["roles"][1]["skills"][0]["key"]


def _unexpected_field(data: Any) -> None:
    data["roles"][0]["skills"][0]["targte"] = 3


@pytest.mark.parametrize(
    ("name", "change", "expected"),
    [
        ("roles.yaml", _set_target, "roles[2].skills[0].target: Input should be less than or equal to 5"),
        ("reflection_prompts.yaml", _drop_korean, "prompts[3].text.ko: Field required"),
        ("reflection_prompts.yaml", _blank_english, "prompts[5].follow_up.high.en: must not be empty"),
        ("certifications.yaml", _unknown_role, "certifications[0].roles[2]: unknown role 'astronaut'"),
        ("reflection_prompts.yaml", _unknown_theme, "prompts[4].theme: unknown theme 'astrology'"),
        ("reflection_prompts.yaml", _duplicate_prompt, "prompts[8].key: duplicate prompt key"),
        ("skill_levels.yaml", _missing_level, "levels: must be exactly the levels 1, 2, 3, 4, 5"),
        ("certifications.yaml", _bad_weights, "certifications[1].domains: domain weights must add up to 1.0"),
        ("certifications.yaml", _hours_reversed, "certifications[2]: study_hours_min (500) is greater than"),
        ("roles.yaml", _too_few_skills, "roles[0].skills: List should have at least 8 items"),
        ("roles.yaml", _duplicate_skill, "roles[1].skills: duplicate skill keys"),
        ("roles.yaml", _unexpected_field, "roles[0].skills[0].targte: Extra inputs are not permitted"),
    ],
)
def test_broken_content_names_the_file_and_field(
    content_copy: Path, name: str, change: Callable[[Any], None], expected: str
) -> None:
    rewrite(content_copy, name, change)
    with pytest.raises(ContentError) as caught:
        load_content(content_copy)
    assert f"{name}: {expected}" in str(caught.value)
    assert all(line.startswith(f"{name}: ") for line in caught.value.errors)


def test_a_value_out_of_range_is_shown(content_copy: Path) -> None:
    rewrite(content_copy, "roles.yaml", _set_target)
    with pytest.raises(ContentError, match=r"less than or equal to 5 \(got 7\)"):
        load_content(content_copy)


def test_every_problem_is_reported_at_once(content_copy: Path) -> None:
    rewrite(content_copy, "roles.yaml", _set_target)
    rewrite(content_copy, "reflection_prompts.yaml", _drop_korean)
    with pytest.raises(ContentError) as caught:
        load_content(content_copy)
    assert len(caught.value.errors) == 2
    assert str(caught.value).startswith("2 problems in content:")


def test_invalid_yaml_names_the_file_and_line(content_copy: Path) -> None:
    path = content_copy / "roles.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    broken = next(index for index, line in enumerate(lines) if line.strip().startswith("target:"))
    lines[broken] += ": oops"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_content(content_copy)
    message = str(caught.value)
    assert message.startswith(f"roles.yaml: line {broken + 1}, column ")
    assert "invalid YAML" in message


def test_a_repeated_key_is_not_silently_overwritten(content_copy: Path) -> None:
    path = content_copy / "skill_levels.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('ko: "인지"', 'ko: "인지"\n      ko: "알고 있음"', 1), encoding="utf-8")
    with pytest.raises(ContentError, match=r"skill_levels\.yaml: line \d+, column \d+: .*duplicate key 'ko'"):
        load_content(content_copy)


def test_missing_and_empty_files_are_named(content_copy: Path) -> None:
    (content_copy / "certifications.yaml").unlink()
    (content_copy / "skill_levels.yaml").write_text("# nothing yet\n", encoding="utf-8")
    (content_copy / "roles.yaml").write_text("- cloud_architect\n", encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_content(content_copy)
    assert any(line.startswith("certifications.yaml: file not found") for line in caught.value.errors)
    assert "skill_levels.yaml: file is empty" in caught.value.errors
    assert "roles.yaml: (top level): expected a mapping with the keys roles" in caught.value.errors
