"""Which reflection prompt comes next: used by /reflect and by the weekly check-in that offers one."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from coach.content.schema import Content, Prompt


def pick_prompt(
    content: Content, answered: Sequence[str], theme: str | None = None, skip: tuple[str, ...] = ()
) -> Prompt:
    """The next prompt given the keys answered so far (oldest first): least-visited theme first, then a
    prompt of it not yet answered; a prompt repeats only once its whole theme has been answered."""
    known = {p.key: p.theme for p in content.prompts}
    visits = Counter(known[key] for key in answered if key in known)
    themes = [theme] if theme else sorted((t.key for t in content.themes), key=lambda key: visits[key])
    for theme_key in themes:
        prompts = [p for p in content.prompts_in(theme_key) if p.key not in skip]
        fresh = [p for p in prompts if p.key not in answered]
        if fresh:
            return fresh[0]
    # Every prompt of the chosen theme has been answered: start its round again, oldest answer first.
    pool = [p for p in content.prompts_in(themes[0]) if p.key not in skip] or content.prompts_in(themes[0])
    order = {key: index for index, key in enumerate(answered)}
    return min(pool, key=lambda p: order.get(p.key, -1))
