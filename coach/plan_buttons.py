"""The re-plan options of :func:`coach.plan.options_for` as buttons: pure, so the /study menu, the study
check-in and the weekly check-in message all offer the same buttons.

A button is ``plan:<goal id>:<kind>:<value>``: the value is the weekly hours in half hours for ``raise``,
``lower`` and ``restart``, the new exam date (``YYYYMMDD``) for ``move``, ``0`` for ``keep``. What pressing
one does is :mod:`coach.replan`.
"""

from __future__ import annotations

from dataclasses import dataclass

from coach import actions
from coach import plan_words as words
from coach.i18n import Translator
from coach.messages import Choice
from coach.plan import Option, OptionKind, Plan

FEATURE = "plan"
MAX_GOAL_ID_DIGITS = 12


@dataclass(frozen=True, slots=True)
class PlanButton:
    goal_id: int
    kind: OptionKind
    value: str


def option_value(option: Option) -> str:
    if option.kind is OptionKind.MOVE and option.exam_date is not None:
        return option.exam_date.strftime("%Y%m%d")
    if option.kind is OptionKind.KEEP:
        return "0"
    return str(round(option.weekly_hours * 2))


def option_choices(goal_id: int, plan: Plan, t: Translator) -> tuple[Choice, ...]:
    """The plan's re-plan options as buttons (none when none is offered)."""
    return tuple(
        Choice(
            words.option_label(option, t),
            actions.feature_action(FEATURE, str(goal_id), option.kind.value, option_value(option)),
        )
        for option in plan.options
    )


def parse_button(parts: tuple[str, ...]) -> PlanButton | None:
    """The parts after ``plan:``, or ``None`` if they are not a button the coach makes."""
    if len(parts) != 3 or not parts[0].isdigit() or len(parts[0]) > MAX_GOAL_ID_DIGITS:
        return None
    try:
        kind = OptionKind(parts[1])
    except ValueError:
        return None
    if not parts[2].isdigit() or len(parts[2]) > 8:
        return None
    return PlanButton(int(parts[0]), kind, parts[2])


def offered(plan: Plan, button: PlanButton) -> Option | None:
    """The option a button names, while the plan model still offers exactly that one."""
    return next(
        (o for o in plan.options if o.kind is button.kind and option_value(o) == button.value),
        None,
    )
