"""Second-career programmes as content: Korean ones for Korean speakers and their general equivalents for
everyone else, chosen for the path and the ready-by date, with sources and the date they were checked."""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml

from coach.content import ContentError, get_content, load_content
from coach.core import Coach
from coach.i18n import translator
from coach.programs import programs_for, programs_text
from tests.support import Talker
from tests.test_content import CONTENT_DIR, FILES

CONTENT = get_content()
TODAY = date(2026, 11, 25)
HANGUL = re.compile(r"[가-힣]")


def keys(language: str, role: str | None, horizon: date | None) -> list[str]:
    return [p.key for p in programs_for(CONTENT, language, role, horizon, TODAY)]


def test_korean_speakers_get_korean_programmes_and_others_the_general_equivalents() -> None:
    korean = keys("ko", "cloud_architect", date(2028, 6, 1))
    english = keys("en", "cloud_architect", date(2028, 6, 1))
    assert korean and all(k.startswith("kr_") for k in korean)
    assert english and not any(k.startswith("kr_") for k in english)
    text = programs_text(
        programs_for(CONTENT, "en", "cloud_architect", date(2028, 6, 1), TODAY), CONTENT, translator("en")
    )
    assert text is not None and not HANGUL.search(text) and "As of Nov 25, 2026" in text


def test_they_fit_the_path_and_how_soon_the_user_wants_to_be_ready() -> None:
    soon, later = date(2027, 9, 1), date(2034, 1, 1)
    assert "kr_reemployment_support" in keys("ko", "cloud_architect", soon)  # leaving within two years
    assert "kr_reemployment_support" not in keys("ko", "cloud_architect", later)
    assert "kr_reemployment_support" not in keys("ko", "cloud_architect", None)  # no date: not assumed
    assert "kr_polytech_midcareer" in keys("ko", "craft_business", later)
    assert "kr_polytech_midcareer" not in keys("ko", "data_analyst", later)
    assert "any_outplacement" in keys("en", "data_analyst", soon)
    # What matters because leaving is near comes first: the IRP for someone leaving in about two years.
    assert keys("ko", "financial_planner", date(2029, 1, 1))[0] == "kr_irp_basics"


def test_every_programme_names_its_source_and_unsure_figures_are_flagged() -> None:
    assert date.fromisoformat(CONTENT.programs_as_of) <= TODAY
    for program in CONTENT.programs:
        assert program.source
    card = next(p for p in CONTENT.programs if p.key == "kr_naeil_card")
    text = programs_text([card], CONTENT, translator("ko"))
    assert text is not None and "최신 내용을 확인하세요" in text and "2026. 11. 25. 기준" in text


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    for name in FILES:
        shutil.copy(CONTENT_DIR / name, tmp_path / name)
    return tmp_path


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda d: d["programs"][0].update(roles=["astronaut"]),
            "programs.yaml: programs[0].roles[0]: unknown role 'astronaut'",
        ),
        (lambda d: d["programs"][0].update(country="JP"), "programs.yaml: programs[0].country"),
        (lambda d: d.pop("as_of"), "programs.yaml: as_of: Field required"),
        (lambda d: d["programs"][1].update(key=d["programs"][0]["key"]), "duplicate program key"),
    ],
)
def test_broken_programmes_are_reported_with_file_and_field(
    content_copy: Path, change, expected: str
) -> None:  # type: ignore[no-untyped-def]
    path = content_copy / "programs.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(ContentError) as raised:
        load_content(content_copy)
    assert expected in str(raised.value)


async def test_the_skills_next_steps_and_the_home_screen_suggest_them(
    coach: Coach, minsu: Talker, alice: Talker
) -> None:
    from tests.test_onboarding import finish_onboarding

    for talker in (minsu, alice):
        await finish_onboarding(talker)  # cloud architect, ready in three years
        await talker.command("skills")
        for _ in range(12):
            if "5" not in talker.labels:
                break
            await talker.press("2")
    assert "*활용할 수 있는 지원*" in minsu.text and "중장년내일센터" in minsu.text
    assert "*Support you can use*" in alice.text and "중장년" not in alice.text
    home = "\n".join(section.text for section in (await coach.dashboard(minsu.identity)).sections)
    assert "국민내일배움카드" in home
