"""Typed drafts: the answers a flow has gathered so far, kept in the stored conversation state.

A flow declares its draft as a subclass of :class:`Draft` (a pydantic model) and reads it with
``self.draft(ctx)``. Drafts are stored as JSON in ``ConversationState.data``; loading one never fails: a
field that does not fit its type (an old row, a damaged one) falls back to its default, so a conversation
started by an earlier version of Encore continues.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Self

from pydantic import AliasChoices, BaseModel, ConfigDict, ValidationError


class Draft(BaseModel):
    """The base of every flow's draft: subclasses add typed fields, each with a default."""

    model_config = ConfigDict(extra="ignore", validate_assignment=True)

    @classmethod
    def load(cls, data: Mapping[str, object] | None) -> Self:
        """The draft stored as ``data``; fields that do not validate are left at their defaults."""
        stored = dict(data or {})
        try:
            return cls.model_validate(stored)
        except ValidationError as error:
            broken = {str(problem["loc"][0]) for problem in error.errors() if problem["loc"]}
        # A field stored under an older name is reported under that name, so both spellings are dropped.
        for name, field in cls.model_fields.items():
            aliases = field.validation_alias
            names = {name, *(aliases.choices if isinstance(aliases, AliasChoices) else ())}
            if broken & {str(alias) for alias in names}:
                broken |= {str(alias) for alias in names}
        try:
            return cls.model_validate({key: value for key, value in stored.items() if key not in broken})
        except ValidationError:
            return cls()

    def dump(self) -> dict[str, object]:
        """The draft as JSON-ready data, for ``ConversationState.data``."""
        return self.model_dump(mode="json")
