"""Certification keys cited in content are shown to people by name."""

from __future__ import annotations

from coach.catalog import name_certifications
from coach.content import get_content


def test_keys_in_next_steps_become_certification_names() -> None:
    content = get_content()
    shown = name_certifications("Prepare for kr_sqld, then aws_sap_c02. Keep my_notes.txt.", content)
    assert "kr_sqld" not in shown and "aws_sap_c02" not in shown
    assert content.certifications["kr_sqld"].name in shown
    assert content.certifications["aws_sap_c02"].name in shown
    assert "my_notes.txt" in shown


async def test_skill_results_never_show_raw_certification_keys(alice) -> None:  # type: ignore[no-untyped-def]
    from tests.test_onboarding import finish_onboarding

    await finish_onboarding(alice)  # target: the first role, cloud architect
    await alice.command("skills")
    texts = []
    for _ in range(20):
        if "1" not in alice.labels:
            break
        await alice.press("1")
        texts.append(alice.text)
    final = "\n".join(texts)
    assert "Where to start" in final
    keys = set(get_content().certifications)
    assert not [key for key in keys if key in final]
