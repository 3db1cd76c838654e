"""Shapes of Encore's coaching content: reflection prompts, skill scales, role skill matrices, certifications.

Every user-facing string is a :class:`Localized` pair (English and Korean). The models check one file at a
time; whatever spans files (a prompt's theme, a certification's roles) is checked by
:func:`coach.content.load_content`.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

#: Identifiers used in action ids and stored answers: lowercase snake_case, stable once shipped.
Key = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
#: Non-user-facing free text (issuer, sources): must say something.
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]

#: A certification's domain weights are percentages of the exam; published ranges rarely add up exactly.
DOMAIN_WEIGHT_TOLERANCE = 0.02


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Localized(_Model):
    """One piece of user-facing text in English and Korean; both are required and non-blank."""

    en: str
    ko: str

    @field_validator("en", "ko")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("must not be empty")
        return value

    def get(self, lang: str | None) -> str:
        """The Korean text for any ``ko…`` language tag (``ko``, ``ko-KR``), otherwise the English one."""
        return self.ko if lang and lang.lower().startswith("ko") else self.en


class Theme(_Model):
    key: Key
    title: Localized
    description: Localized


class FollowUp(_Model):
    """What the coach says after an answer, by the user's confidence: 1–2 low, 3 steady, 4–5 high."""

    low: Localized
    steady: Localized
    high: Localized

    def for_confidence(self, confidence: int) -> Localized:
        if not 1 <= confidence <= 5:
            raise ValueError(f"confidence must be 1..5, got {confidence}")
        if confidence <= 2:
            return self.low
        return self.steady if confidence == 3 else self.high


class Prompt(_Model):
    key: Key
    theme: Key
    text: Localized
    follow_up: FollowUp


class SkillLevel(_Model):
    """One step of the generic 1..5 scale users rate themselves on."""

    level: int = Field(ge=1, le=5)
    label: Localized
    description: Localized


class Skill(_Model):
    """A skill a role needs: ``target`` is the level (1-5) to reach, ``weight`` its importance (0-3]."""

    key: Key
    name: Localized
    description: Localized
    target: int = Field(ge=1, le=5)
    weight: float = Field(gt=0, le=3)
    next_steps: list[Localized] = Field(min_length=1, max_length=3)


class Role(_Model):
    key: Key
    name: Localized
    aliases: list[Text] = Field(default_factory=list)  # what people type for this path, any language
    summary: Localized
    skills: list[Skill] = Field(min_length=8, max_length=12)

    @field_validator("skills")
    @classmethod
    def _unique_skill_keys(cls, skills: list[Skill]) -> list[Skill]:
        _raise_on_duplicates([skill.key for skill in skills], "skill")
        return skills

    def skill(self, key: str) -> Skill:
        for skill in self.skills:
            if skill.key == key:
                return skill
        raise KeyError(key)


class Domain(_Model):
    """An exam domain (or subject) and its share of the exam, as a fraction (0.30 = 30%)."""

    key: Key
    name: Localized
    weight: float = Field(gt=0, le=1)


class Certification(_Model):
    """A certification with its exam facts; ``estimate`` is true when any figure is not a published one.

    ``validity_years`` is ``None`` when the certificate does not expire; ``roles`` are keys of roles.yaml.
    """

    key: Key
    name: Text
    issuer: Text
    domains: list[Domain] = Field(min_length=1)
    study_hours_min: int = Field(gt=0)
    study_hours_max: int = Field(gt=0)
    study_hours_source: Text
    passing_score: Text
    validity_years: int | None = Field(ge=1)
    roles: list[Key] = Field(min_length=1)
    estimate: bool
    exam_minutes: int | None = Field(default=None, gt=0)

    @field_validator("domains")
    @classmethod
    def _weights_add_up(cls, domains: list[Domain]) -> list[Domain]:
        _raise_on_duplicates([domain.key for domain in domains], "domain")
        total = sum(domain.weight for domain in domains)
        if abs(total - 1.0) > DOMAIN_WEIGHT_TOLERANCE:
            raise ValueError(
                f"domain weights must add up to 1.0 (±{DOMAIN_WEIGHT_TOLERANCE}), got {total:.3f}"
            )
        return domains

    @field_validator("roles")
    @classmethod
    def _unique_roles(cls, roles: list[str]) -> list[str]:
        _raise_on_duplicates(roles, "role")
        return roles

    @model_validator(mode="after")
    def _hours_in_order(self) -> Certification:
        if self.study_hours_min > self.study_hours_max:
            raise ValueError(
                f"study_hours_min ({self.study_hours_min}) is greater than "
                f"study_hours_max ({self.study_hours_max})"
            )
        return self


class Program(_Model):
    """A public programme or a money rule that helps a second career, suggested where it fits.

    ``country`` is ``KR`` for a Korean programme (shown to Korean speakers) or ``ANY`` for the general
    equivalent shown to everyone else. ``roles`` are the paths it suits (empty: every path);
    ``horizon_years_max`` is how close the user's ready-by date must be for it to matter (``None``: any).
    ``unsure`` says which figure could not be confirmed, so the text tells people to check it.
    """

    key: Key
    country: Annotated[str, StringConstraints(pattern=r"^(KR|ANY)$")]
    name: Localized
    what: Localized
    step: Localized
    roles: list[Key] = Field(default_factory=list)
    horizon_years_max: int | None = Field(default=None, ge=1, le=10)
    source: Text
    unsure: Text | None = None


class Content(_Model):
    """All coaching content, validated; ``roles`` and ``certifications`` keep the files' order."""

    themes: list[Theme]
    prompts: list[Prompt]
    skill_levels: list[SkillLevel]
    roles: dict[str, Role]
    certifications: dict[str, Certification]
    programs: list[Program] = Field(default_factory=list)
    programs_as_of: str = ""

    def theme(self, key: str) -> Theme:
        for theme in self.themes:
            if theme.key == key:
                return theme
        raise KeyError(key)

    def prompts_in(self, theme: str) -> list[Prompt]:
        return [prompt for prompt in self.prompts if prompt.theme == theme]

    def prompt(self, key: str) -> Prompt:
        for prompt in self.prompts:
            if prompt.key == key:
                return prompt
        raise KeyError(key)

    def certifications_for(self, role: str) -> list[Certification]:
        return [cert for cert in self.certifications.values() if role in cert.roles]


# One model per file: the top-level keys each YAML file must have.


class PromptsFile(_Model):
    themes: list[Theme] = Field(min_length=1)
    prompts: list[Prompt] = Field(min_length=1)


class SkillLevelsFile(_Model):
    levels: list[SkillLevel]


class RolesFile(_Model):
    roles: list[Role] = Field(min_length=1)


class CertificationsFile(_Model):
    certifications: list[Certification] = Field(min_length=1)


class ProgramsFile(_Model):
    as_of: Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}$")]  # when the facts were checked
    programs: list[Program] = Field(min_length=1)


def _raise_on_duplicates(keys: list[str], what: str) -> None:
    seen: set[str] = set()
    duplicates: set[str] = set()
    for key in keys:
        if key in seen:
            duplicates.add(key)
        seen.add(key)
    if duplicates:
        raise ValueError(f"duplicate {what} keys: {', '.join(sorted(duplicates))}")
