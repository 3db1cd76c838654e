"""Encore's coaching content: data files in this folder, validated when loaded.

``get_content()`` is what the coach uses (loaded once per process). ``load_content(directory)`` reads the five
YAML files of a folder and raises :class:`ContentError` naming the file and the field of every problem, e.g.
``roles.yaml: roles[2].skills[0].target: Input should be less than or equal to 5 (got 7)``.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from coach.content.schema import (
    CertificationsFile,
    Content,
    ProgramsFile,
    PromptsFile,
    RolesFile,
    SkillLevelsFile,
)

__all__ = ["Content", "ContentError", "get_content", "load_content"]

PROMPTS_FILE = "reflection_prompts.yaml"
SKILL_LEVELS_FILE = "skill_levels.yaml"
ROLES_FILE = "roles.yaml"
CERTIFICATIONS_FILE = "certifications.yaml"
PROGRAMS_FILE = "programs.yaml"

_HERE = Path(__file__).resolve().parent
_M = TypeVar("_M", bound=BaseModel)


class ContentError(Exception):
    """Content that does not load; ``errors`` holds one ``"file: field: problem"`` line per problem."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = list(errors)
        if len(self.errors) == 1:
            message = self.errors[0]
        else:
            message = f"{len(self.errors)} problems in content:\n" + "\n".join(self.errors)
        super().__init__(message)


def load_content(directory: Path | None = None) -> Content:
    """Read and validate the content files in ``directory`` (default: this package's folder)."""
    folder = Path(directory) if directory is not None else _HERE
    errors: list[str] = []
    prompts = _load(folder, PROMPTS_FILE, PromptsFile, errors)
    levels = _load(folder, SKILL_LEVELS_FILE, SkillLevelsFile, errors)
    roles = _load(folder, ROLES_FILE, RolesFile, errors)
    certifications = _load(folder, CERTIFICATIONS_FILE, CertificationsFile, errors)
    programs = _load(folder, PROGRAMS_FILE, ProgramsFile, errors)

    if prompts is not None:
        errors += _check_prompts(prompts)
    if levels is not None:
        found = [level.level for level in levels.levels]
        if sorted(found) != [1, 2, 3, 4, 5]:
            errors.append(
                f"{SKILL_LEVELS_FILE}: levels: must be exactly the levels 1, 2, 3, 4, 5; got {found}"
            )
    role_keys = {role.key for role in roles.roles} if roles is not None else None
    if roles is not None:
        errors += _duplicates(ROLES_FILE, "roles", [role.key for role in roles.roles], "role")
    if certifications is not None:
        listed = certifications.certifications
        keys = [cert.key for cert in listed]
        errors += _duplicates(CERTIFICATIONS_FILE, "certifications", keys, "certification")
        errors += _unknown_roles(CERTIFICATIONS_FILE, "certifications", [c.roles for c in listed], role_keys)
    if programs is not None:
        listed_programs = programs.programs
        errors += _duplicates(PROGRAMS_FILE, "programs", [p.key for p in listed_programs], "program")
        errors += _unknown_roles(PROGRAMS_FILE, "programs", [p.roles for p in listed_programs], role_keys)

    if (
        errors
        or prompts is None
        or levels is None
        or roles is None
        or certifications is None
        or programs is None
    ):
        raise ContentError(errors)
    return Content(
        themes=prompts.themes,
        prompts=prompts.prompts,
        skill_levels=sorted(levels.levels, key=lambda level: level.level),
        roles={role.key: role for role in roles.roles},
        certifications={cert.key: cert for cert in certifications.certifications},
        programs=programs.programs,
        programs_as_of=programs.as_of,
    )


def _check_prompts(prompts: PromptsFile) -> list[str]:
    """Duplicate theme or prompt keys, and prompts of a theme that does not exist."""
    errors = _duplicates(PROMPTS_FILE, "themes", [theme.key for theme in prompts.themes], "theme")
    errors += _duplicates(PROMPTS_FILE, "prompts", [prompt.key for prompt in prompts.prompts], "prompt")
    theme_keys = {theme.key for theme in prompts.themes}
    for index, prompt in enumerate(prompts.prompts):
        if prompt.theme not in theme_keys:
            errors.append(f"{PROMPTS_FILE}: prompts[{index}].theme: unknown theme {prompt.theme!r}")
    return errors


def _unknown_roles(
    file: str, section: str, roles_of_items: Sequence[Sequence[str]], role_keys: set[str] | None
) -> list[str]:
    """Each role an item of ``section`` names that ``roles.yaml`` does not have (nothing to check against
    when the roles file itself failed to load)."""
    if role_keys is None:
        return []
    return [
        f"{file}: {section}[{index}].roles[{position}]: unknown role {role_key!r} (not in {ROLES_FILE})"
        for index, roles in enumerate(roles_of_items)
        for position, role_key in enumerate(roles)
        if role_key not in role_keys
    ]


@functools.cache
def get_content() -> Content:
    """The shipped content, loaded and validated once per process."""
    return load_content()


if TYPE_CHECKING:
    _SafeLoader = yaml.SafeLoader
else:  # libyaml's parser when available: the same safe constructor, several times faster
    _SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _UniqueKeyLoader(_SafeLoader):
    """A safe loader that rejects a repeated mapping key, which PyYAML would silently overwrite."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            try:
                repeated = key in seen
                seen.add(key)
            except TypeError:  # unhashable key: the base class reports it
                continue
            if repeated:
                raise yaml.constructor.ConstructorError(
                    "while constructing a mapping",
                    node.start_mark,
                    f"found duplicate key {key!r}",
                    key_node.start_mark,
                )
        return super().construct_mapping(node, deep=deep)


def _load(folder: Path, name: str, model: type[_M], errors: list[str]) -> _M | None:
    """Parse and validate one file, appending ``"name: field: problem"`` lines to ``errors`` on failure."""
    try:
        text = (folder / name).read_text(encoding="utf-8")
    except FileNotFoundError:
        errors.append(f"{name}: file not found in {folder}")
        return None
    except (OSError, UnicodeDecodeError) as exc:
        errors.append(f"{name}: cannot read file: {exc}")
        return None
    try:
        data = yaml.load(text, Loader=_UniqueKeyLoader)  # a SafeLoader subclass: no arbitrary objects
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""
        errors.append(f"{name}: {where}invalid YAML: {exc.problem or exc.context}")
        return None
    except yaml.YAMLError as exc:
        errors.append(f"{name}: invalid YAML: {exc}")
        return None
    if data is None:
        errors.append(f"{name}: file is empty")
        return None
    if not isinstance(data, dict):
        keys = ", ".join(model.model_fields)
        errors.append(f"{name}: (top level): expected a mapping with the keys {keys}")
        return None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors.extend(f"{name}: {_describe(error)}" for error in exc.errors())
        return None


def _describe(error: Any) -> str:
    """A pydantic error as ``roles[2].skills[0].target: Input should be less than or equal to 5 (got 7)``."""
    path = ""
    for part in error["loc"]:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    message = str(error["msg"]).removeprefix("Value error, ")
    value = error.get("input")
    if error["type"] not in ("missing", "extra_forbidden") and isinstance(value, str | int | float | bool):
        shown = repr(value) if len(repr(value)) <= 40 else repr(value)[:37] + "..."
        message += f" (got {shown})"
    return f"{path or '(top level)'}: {message}"


def _duplicates(name: str, collection: str, keys: list[str], what: str) -> list[str]:
    first_index: dict[str, int] = {}
    problems = []
    for index, key in enumerate(keys):
        if key in first_index:
            problems.append(
                f"{name}: {collection}[{index}].key: duplicate {what} key {key!r} "
                f"(first at {collection}[{first_index[key]}])"
            )
        else:
            first_index[key] = index
    return problems
