"""Progress pictures as PNG bytes: the skill profile against the target, study hours per week against the
plan, and practice scores over time.

Drawn with matplotlib's object API on the Agg canvas (no pyplot, no GUI), 1000 px wide with large type so
they read on a phone, labelled in the user's language. Korean text uses the NanumGothic font shipped by the
``koreanize-matplotlib`` package: its files are registered with matplotlib's font manager directly, without
importing that package (its import rewrites matplotlib's global settings).
"""

from __future__ import annotations

import importlib.util
import io
import textwrap
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, cast

import matplotlib
from babel.dates import format_skeleton
from matplotlib import font_manager
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from coach.i18n import N_, Translator
from coach.messages import Image

WIDTH_PX = 1000
DPI = 100
FONTS = ("NanumGothic", "DejaVu Sans")  # Hangul first; DejaVu fills in symbols NanumGothic lacks
BLUE, GREEN, GREY, ORANGE, INK = "#2b6cb0", "#2f855a", "#cbd5e0", "#dd6b20", "#1a202c"
SERIES = (BLUE, "#805ad5", "#d53f8c", "#319795", "#975a16")
_RC: dict[str, Any] = {
    "font.size": 18,
    "axes.titlesize": 22,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.labelsize": 17,
    "xtick.labelsize": 16,
    "ytick.labelsize": 17,
    "legend.fontsize": 16,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.unicode_minus": False,  # NanumGothic has no U+2212
}
_lock = threading.Lock()  # rc_context changes matplotlib's global settings while a picture is drawn


@cache
def register_fonts() -> tuple[str, ...]:
    """Add the NanumGothic files to matplotlib's font manager (once); returns the files registered."""
    spec = importlib.util.find_spec("koreanize_matplotlib")
    folders = list(spec.submodule_search_locations or []) if spec else []
    files = sorted(
        str(path) for folder in folders for path in (Path(folder) / "fonts").glob("NanumGothic*.ttf")
    )
    for path in files:
        font_manager.fontManager.addfont(path)
    return tuple(files)


@dataclass(frozen=True, slots=True)
class SkillRow:
    name: str
    current: int | None  # None: skipped
    target: int
    previous: int | None = None  # the level at the previous assessment, if rated then


@dataclass(frozen=True, slots=True)
class SkillPanel:
    """A role's skills; ``biggest_gap`` is the name of the skill the gap ranking puts first (weighted, as
    the text ranks it), so the caption and the text name the same one."""

    role: str
    rows: Sequence[SkillRow]
    biggest_gap: str | None = None


@dataclass(frozen=True, slots=True)
class HoursPanel:
    """Hours logged per week; ``planned`` is each week's plan (the plan model's), ``excused`` names why a
    week did not count (``paused``, ``skipped``, ``holiday``) or is ``None``. Without ``planned``, the
    ``target`` stands for every week."""

    weeks: Sequence[tuple[date, float]]  # Monday of each week, oldest first, this week last
    target: float
    planned: Sequence[float] = ()
    excused: Sequence[str | None] = ()

    def plan_of_week(self, index: int) -> float:
        return self.planned[index] if self.planned else self.target

    def is_excused(self, index: int) -> bool:
        return bool(self.excused) and self.excused[index] in ("paused", "skipped", "holiday")


@dataclass(frozen=True, slots=True)
class ScoreSeries:
    name: str
    points: Sequence[tuple[date, float]]
    passing: float | None


@dataclass(frozen=True, slots=True)
class ScoresPanel:
    series: Sequence[ScoreSeries]


Panel = SkillPanel | HoursPanel | ScoresPanel


def _height(panel: Panel) -> float:
    if isinstance(panel, SkillPanel):
        return 1.9 + 0.7 * len(panel.rows)
    return 4.6


def _short(text: str, limit: int = 26) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _wrapped(text: str, width: int = 22) -> str:
    """A label on at most two lines, so long skill names stay readable without widening the margin."""
    lines = textwrap.wrap(text, width) or [text]
    return "\n".join(lines[:1] + [_short(" ".join(lines[1:]), width)] if len(lines) > 1 else lines)


def _draw_skills(ax: Axes, panel: SkillPanel, t: Translator) -> None:
    _ = t.gettext
    rows = list(reversed(panel.rows))  # matplotlib draws bottom-up; the role's first skill goes on top
    ys = range(len(rows))
    ax.barh(ys, [r.target for r in rows], height=0.78, color=GREY, zorder=1)
    for y, row in zip(ys, rows, strict=True):
        if row.current is None:
            ax.text(0.08, y, _("skipped"), va="center", color="#4a5568", fontstyle="italic", fontsize=14)
            continue
        colour = GREEN if row.current >= row.target else BLUE
        ax.barh(y, row.current, height=0.42, color=colour, zorder=2)
        if row.previous is not None and row.previous != row.current:
            ax.plot([row.previous], [y], marker="D", markersize=10, color=INK, linestyle="none", zorder=4)
        ax.text(
            row.current + 0.06,
            y,
            f"{row.current}/{row.target}",
            va="center",
            fontsize=14,
            color=INK,
            zorder=3,
        )
    ax.set_yticks(list(ys), [_wrapped(r.name) for r in rows], fontsize=16)
    ax.set_xlim(0, 5.6)
    ax.set_xticks(range(0, 6))
    ax.set_xlabel(_("Level (1 = aware, 3 = working, 5 = expert)"))
    ax.set_title(_("Skills: {role}").format(role=_short(panel.role, 40)))
    legend: list[Artist] = [
        Patch(color=GREY, label=_("Target")),
        Patch(color=BLUE, label=_("You, below target")),
        Patch(color=GREEN, label=_("You, target reached")),
    ]
    if any(r.previous is not None and r.previous != r.current for r in rows):
        legend.append(
            Line2D([], [], marker="D", markersize=10, color=INK, linestyle="none", label=_("Last time"))
        )
    figure = ax.get_figure()
    assert figure is not None
    figure.legend(handles=legend, loc="outside upper center", ncols=len(legend), frameon=False)
    ax.grid(axis="x", color="#edf2f7", zorder=0)


def _week_label(monday: date, t: Translator) -> str:
    return str(format_skeleton("Md", monday, locale=t.locale))


def _draw_hours(ax: Axes, panel: HoursPanel, t: Translator) -> None:
    _ = t.gettext
    xs = range(len(panel.weeks))
    hours = [h for _monday, h in panel.weeks]
    met = [0 < panel.plan_of_week(i) <= h for i, h in enumerate(hours)]
    colours = [GREY if panel.is_excused(i) else GREEN if met[i] else BLUE for i in xs]
    bars = ax.bar(xs, hours, color=colours, width=0.7, zorder=2)
    if bars:
        bars[-1].set_alpha(0.55)  # this week is not over yet
    for x, h in zip(xs, hours, strict=True):
        ax.text(x, h, f"{h:g}", ha="center", va="bottom", fontsize=15, color=INK)
    handles: list[Artist] = []
    labels: list[str] = []
    if panel.planned:
        # Each week's own plan: a step where the plan changed, nothing where the week did not count.
        ax.step(
            list(xs), list(panel.planned), where="mid", color=ORANGE, linestyle="--", linewidth=2.5, zorder=3
        )
    elif panel.target > 0:
        ax.axhline(panel.target, color=ORANGE, linestyle="--", linewidth=2.5, zorder=3)
    if panel.target > 0:
        handles.append(Line2D([], [], color=ORANGE, linestyle="--", linewidth=2.5))
        labels.append(_("plan: {hours:g} h a week").format(hours=panel.target))
    if any(panel.is_excused(i) for i in xs):
        handles.append(Patch(color=GREY))
        labels.append(_("paused, skipped or a holiday"))
    if handles:
        ax.legend(handles, labels, loc="upper left", frameon=False)
    step = 2 if len(panel.weeks) > 8 else 1
    ax.set_xticks(list(xs)[::step], [_week_label(m, t) for m, _h in panel.weeks][::step])
    ax.set_ylim(0, max([*hours, panel.target, 1]) * 1.45)  # headroom for the plan legend
    ax.set_ylabel(_("hours"))
    ax.set_xlabel(_("week starting"))
    ax.set_title(_("Study hours per week"))
    ax.grid(axis="y", color="#edf2f7", zorder=0)


def _draw_scores(ax: Axes, panel: ScoresPanel, t: Translator) -> None:
    _ = t.gettext
    for index, series in enumerate(panel.series):
        colour = SERIES[index % len(SERIES)]
        days = [d.toordinal() for d, _s in series.points]
        scores = [s for _d, s in series.points]
        ax.plot(
            days, scores, marker="o", markersize=9, linewidth=3, color=colour, label=_short(series.name, 30)
        )
        if scores:
            ax.annotate(
                f"{scores[-1]:g}",
                (days[-1], scores[-1]),
                textcoords="offset points",
                xytext=(0, 10),
                ha="center",
                fontsize=14,
                color=colour,
                fontweight="bold",
            )
        if series.passing is not None and days:
            ax.axhline(series.passing, color=colour, linestyle=":", linewidth=2)
            ax.text(
                days[0],
                series.passing,
                _("pass mark {score:g}%").format(score=series.passing),
                color=colour,
                va="bottom",
                fontsize=14,
            )
    all_days = sorted({d for s in panel.series for d, _v in s.points})
    step = max(1, len(all_days) // 6)
    ax.set_xticks(
        [d.toordinal() for d in all_days[::step]],
        [_week_label(d, t) for d in all_days[::step]],
    )
    ax.set_ylim(0, 105)
    ax.set_ylabel(_("score (%)"))
    ax.set_title(_("Practice exam scores"))
    if len(panel.series) > 1:
        ax.legend(loc="lower right", frameon=False)
    ax.grid(axis="y", color="#edf2f7")


def render(panels: Sequence[Panel], t: Translator, *, fonts: Sequence[str] = FONTS) -> bytes:
    """The panels stacked top to bottom in one PNG, 1000 px wide."""
    register_fonts()
    heights = [_height(panel) for panel in panels]
    settings = cast(Any, {**_RC, "font.family": list(fonts)})  # rc keys are typed as literals
    with _lock, matplotlib.rc_context(settings):
        figure = Figure(figsize=(WIDTH_PX / DPI, sum(heights)), dpi=DPI, layout="constrained")
        FigureCanvasAgg(figure)
        axes = figure.subplots(len(panels), 1, height_ratios=heights, squeeze=False)[:, 0]
        for ax, panel in zip(axes, panels, strict=True):
            if isinstance(panel, SkillPanel):
                _draw_skills(ax, panel, t)
            elif isinstance(panel, HoursPanel):
                _draw_hours(ax, panel, t)
            else:
                _draw_scores(ax, panel, t)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=DPI, facecolor="white")
    return buffer.getvalue()


def describe(panel: Panel, t: Translator) -> str:
    """What a panel shows, in words: the picture's alt text and caption."""
    _ = t.gettext
    if isinstance(panel, SkillPanel):
        rated = [r for r in panel.rows if r.current is not None]
        below = [r for r in rated if r.current is not None and r.current < r.target]
        text = _("Skills for {role}: {below} of {rated} rated skills are below target.").format(
            role=panel.role, below=len(below), rated=len(rated)
        )
        worst = next((r for r in below if r.name == panel.biggest_gap), None)
        if worst is None and below and panel.biggest_gap is None:
            worst = max(below, key=lambda r: r.target - (r.current or 0))
        if worst is not None:
            text += " " + _("Widest gap: {skill} ({current} of {target}).").format(
                skill=worst.name, current=worst.current, target=worst.target
            )
        return text
    if isinstance(panel, HoursPanel):
        total = sum(h for _m, h in panel.weeks)
        finished = [i for i in range(len(panel.weeks) - 1) if not panel.is_excused(i)]
        met = sum(1 for i in finished if 0 < panel.plan_of_week(i) <= panel.weeks[i][1])
        text = _(
            "Study hours per week over {weeks} weeks: {total:g} hours in all; the plan of {target:g} h was met "
            "in {met} of the {full} finished weeks."
        ).format(
            weeks=len(panel.weeks), total=round(total, 1), target=panel.target, met=met, full=len(finished)
        )
        excused = sum(1 for i in range(len(panel.weeks)) if panel.is_excused(i))
        if excused:
            text += " " + t.ngettext(
                "{n} week did not count (paused, skipped or a holiday).",
                "{n} weeks did not count (paused, skipped or a holiday).",
                excused,
            ).format(n=excused)
        return text
    parts = []
    for series in panel.series:
        if series.points:
            parts.append(
                _("Practice scores for {goal}: {count} so far, the latest {score:g}%.").format(
                    goal=series.name, score=series.points[-1][1], count=len(series.points)
                )
            )
    return " ".join(parts)


# What a picture of these panels is called, for file names and titles: skills alone, study alone, or both.
_KINDS = {
    "skills": N_("Skill profile"),
    "study": N_("Study progress"),
    "progress": N_("Your progress"),
}


def picture_kind(panels: Sequence[Panel]) -> str:
    skills = sum(isinstance(panel, SkillPanel) for panel in panels)
    if skills == len(panels):
        return "skills"
    return "study" if skills == 0 else "progress"


def picture(panels: Sequence[Panel], t: Translator) -> Image:
    """The panels as an :class:`Image` whose alt text says what each shows."""
    kind = picture_kind(panels)
    return Image(
        render(panels, t),
        " ".join(describe(panel, t) for panel in panels),
        kind=kind,
        title=t.gettext(_KINDS[kind]),
    )
