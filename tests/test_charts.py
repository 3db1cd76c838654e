"""Charts: PNGs of the right size, Korean labels drawn with a font that has Hangul, alt text that informs."""

from __future__ import annotations

import io
import logging
import warnings
from datetime import date, timedelta

import pytest
from PIL import Image as PILImage

from coach.charts import (
    WIDTH_PX,
    HoursPanel,
    ScoreSeries,
    ScoresPanel,
    SkillPanel,
    SkillRow,
    picture,
    register_fonts,
    render,
)
from coach.i18n import translator

ROWS = [
    SkillRow("클라우드 네트워킹", 2, 4),
    SkillRow("보안 및 계정 관리", 3, 4),
    SkillRow("비용 최적화", 4, 3),
    SkillRow("코드형 인프라", None, 4),
]
WEEKS = [(date(2026, 9, 7) + timedelta(days=7 * i), float(h)) for i, h in enumerate([3, 5, 6, 0, 7, 4])]
SCORES = ScoresPanel(
    [ScoreSeries("정보처리기사", [(date(2026, 10, 5), 58.0), (date(2026, 11, 2), 71.0)], 60.0)]
)
PANELS = [SkillPanel("클라우드 아키텍트", ROWS), HoursPanel(WEEKS, 6.0), SCORES]


def _glyph_problems(caplog: pytest.LogCaptureFixture, fonts: tuple[str, ...] | None = None) -> list[str]:
    """Render the Korean panels and collect every missing-glyph or font-not-found complaint."""
    with warnings.catch_warnings(record=True) as caught, caplog.at_level(logging.DEBUG, logger="matplotlib"):
        warnings.simplefilter("always")
        if fonts is None:
            render(PANELS, translator("ko"))
        else:
            render(PANELS, translator("ko"), fonts=fonts)
    complaints = [str(w.message) for w in caught] + [
        r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING
    ]
    return [c for c in complaints if "Glyph" in c or "missing" in c or "not found" in c]


def test_korean_labels_render_without_missing_glyphs(caplog: pytest.LogCaptureFixture) -> None:
    assert any(path.endswith("NanumGothic.ttf") for path in register_fonts())
    assert _glyph_problems(caplog) == []


def test_the_glyph_check_does_catch_a_font_without_hangul(caplog: pytest.LogCaptureFixture) -> None:
    # Without NanumGothic the same picture would show empty boxes: the check above would notice.
    problems = _glyph_problems(caplog, fonts=("DejaVu Sans",))
    assert any("Glyph" in p and "missing" in p for p in problems)


def test_png_decodes_at_phone_width_and_grows_with_the_panels() -> None:
    png = render(PANELS, translator("ko"))
    with PILImage.open(io.BytesIO(png)) as image:
        assert image.format == "PNG"
        width, tall = image.size
    assert width == WIDTH_PX
    with PILImage.open(io.BytesIO(render([HoursPanel(WEEKS, 6.0)], translator("en")))) as image:
        assert image.size[0] == WIDTH_PX
        assert image.size[1] < tall


def test_alt_text_says_what_the_picture_shows_in_the_users_language() -> None:
    english = picture(
        [SkillPanel("Cloud architect", [SkillRow("Cloud networking", 2, 4), SkillRow("Cost", 3, 3)])],
        translator("en"),
    )
    assert english.alt.startswith("Skills for Cloud architect: 1 of 2 rated skills are below target.")
    assert "Cloud networking (2 of 4)" in english.alt
    korean = picture([HoursPanel(WEEKS, 6.0)], translator("ko"))
    assert "25시간" in korean.alt  # 3 + 5 + 6 + 0 + 7 + 4
    assert "계획한 6시간" in korean.alt


def test_a_picture_says_what_it_shows_for_file_names_and_titles() -> None:
    skills_only = picture([PANELS[0]], translator("ko"))
    assert (skills_only.kind, skills_only.title) == ("skills", "역량 프로필")
    study_only = picture([HoursPanel(WEEKS, 6.0), SCORES], translator("en"))
    assert (study_only.kind, study_only.title) == ("study", "Study progress")
    everything = picture(PANELS, translator("en"))
    assert (everything.kind, everything.title) == ("progress", "Your progress")
