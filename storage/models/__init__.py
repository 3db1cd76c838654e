"""Every table Encore stores. Importing this package registers them all on ``SQLModel.metadata``."""

from storage.models.coaching import ExamResult, SkillAssessment, StudyCheckin, StudyGoal, TargetRole
from storage.models.core import ConversationState, Identity, JournalEntry, Profile, User
from storage.models.nudges import CheckinSlot
from storage.models.plan import PausePeriod, PlanChange
from storage.models.trust import ActiveWeek, LinkCode

__all__ = [
    "ActiveWeek",
    "CheckinSlot",
    "ConversationState",
    "ExamResult",
    "Identity",
    "JournalEntry",
    "LinkCode",
    "PausePeriod",
    "PlanChange",
    "Profile",
    "SkillAssessment",
    "StudyCheckin",
    "StudyGoal",
    "TargetRole",
    "User",
]
