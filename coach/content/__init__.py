# TEMPORARY stub until the content branch lands (not committed)
from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml
from pydantic import BaseModel


class Localized(BaseModel):
    en: str
    ko: str

    def get(self, lang: str) -> str:
        return self.ko if lang.startswith("ko") else self.en


class Theme(BaseModel):
    key: str
    title: Localized
    description: Localized


class FollowUp(BaseModel):
    low: Localized
    steady: Localized
    high: Localized


class Prompt(BaseModel):
    key: str
    theme: str
    text: Localized
    follow_up: FollowUp


class Role(BaseModel):
    key: str
    name: Localized
    summary: Localized
    skills: list = []


class Content(BaseModel):
    themes: list[Theme]
    prompts: list[Prompt]
    roles: dict[str, Role]
    certifications: dict = {}
    skill_levels: list = []

    def prompts_in(self, theme: str) -> list[Prompt]:
        return [p for p in self.prompts if p.theme == theme]

    def prompt(self, key: str) -> Prompt:
        return next(p for p in self.prompts if p.key == key)


class ContentError(ValueError): ...


def load_content(directory: Path | None = None) -> Content:
    d = directory or Path(__file__).parent
    data = yaml.safe_load((d / "stub.yaml").read_text())
    return Content(themes=data["themes"], prompts=data["prompts"], roles={r["key"]: r for r in data["roles"]})


@cache
def get_content() -> Content:
    return load_content()
