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
    )
    from coach.flows.study import checkin as study_checkin
    from coach.flows.study import edit as study_edit
    from coach.flows.study import goal as study_goal
    from coach.flows.study import menu as study
    from coach.flows.study import result as study_result

    return [
        onboarding.flow,
        reflection.flow,
        journal.flow,
        skills.flow,
        study.flow,
        study_goal.flow,
        study_checkin.flow,
        study_result.flow,
        study_edit.flow,
        progress.flow,
        settings.flow,
        export.flow,
        delete.flow,
        link.flow,
        help.flow,
    ]


def default_features() -> dict[str, FeatureHandler]:
    from coach import moments as replies
    from coach import nudges, replan
    from coach.ai import assistant
    from coach.flows import journal, moments
    from coach.flows.study import exam

    return {
        journal.FEATURE: journal.on_page_button,
        nudges.FEATURE: exam.on_checkin_button,  # result buttons there, snooze and skip in flows.checkin
        replan.FEATURE: replan.on_button,
        replies.COOLING: moments.on_cooling_button,
        replies.QUICK_LOG: moments.on_quick_log_button,
        replies.NOTE: moments.on_note_button,
        assistant.FEATURE: assistant.on_consent_button,
    }
