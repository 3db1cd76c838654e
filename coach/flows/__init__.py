"""Every flow the coach has, in the order /help lists their commands."""

from __future__ import annotations

from coach.flows.base import FeatureHandler, Flow


def default_flows() -> list[Flow]:
    from coach.flows import (
        delete,
        export,
        help,
        journal,
        link,
        onboarding,
        progress,
        reflection,
        settings,
        skills,
        study,
    )

    return [
        onboarding.flow,
        reflection.flow,
        journal.flow,
        skills.flow,
        study.flow,
        progress.flow,
        settings.flow,
        export.flow,
        delete.flow,
        link.flow,
        help.flow,
    ]


def default_features() -> dict[str, FeatureHandler]:
    from coach import nudges
    from coach.flows import checkin, journal

    return {journal.FEATURE: journal.on_page_button, nudges.FEATURE: checkin.on_button}
