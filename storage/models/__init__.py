"""Every table Encore stores. Importing this package registers them all on ``SQLModel.metadata``."""

from storage.models.coaching import ExamResult, SkillAssessment, StudyCheckin, StudyGoal, TargetRole
from storage.models.core import ConversationState, Identity, JournalEntry, Profile, User
from storage.models.nudges import CheckinSlot
from storage.models.trust import ActiveWeek, LinkCode
from storage.models.understanding import CoolingOff

__all__ = [
    "ActiveWeek",
    "CheckinSlot",
    "ConversationState",
    "CoolingOff",
    "ExamResult",
    "Identity",
    "JournalEntry",
    "LinkCode",
    "Profile",
    "SkillAssessment",
    "StudyCheckin",
    "StudyGoal",
    "TargetRole",
    "User",
]
