"""Every table Encore stores. Importing this package registers them all on ``SQLModel.metadata``."""

from storage.models.coaching import ExamResult, SkillAssessment, StudyCheckin, StudyGoal, TargetRole
from storage.models.core import ConversationState, Identity, JournalEntry, Profile, User
from storage.models.nudges import CheckinSlot
from storage.models.trust import ActiveWeek, LinkCode
from storage.models.understanding import CoolingOff
from storage.models.views import PublishedView

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
    "PublishedView",
    "SkillAssessment",
    "StudyCheckin",
    "StudyGoal",
    "TargetRole",
    "User",
]
