"""Every table Encore stores. Importing this package registers them all on ``SQLModel.metadata``."""

from storage.models.coaching import ExamResult, SkillAssessment, StudyCheckin, StudyGoal, TargetRole
from storage.models.core import ConversationState, Identity, JournalEntry, Profile, User
from storage.models.nudges import CheckinSlot
from storage.models.runtime import DeliveryReceipt, RunningProcess
from storage.models.trust import ActiveWeek, LinkAttempt, LinkCode

__all__ = [
    "ActiveWeek",
    "CheckinSlot",
    "ConversationState",
    "DeliveryReceipt",
    "ExamResult",
    "Identity",
    "JournalEntry",
    "LinkAttempt",
    "LinkCode",
    "Profile",
    "RunningProcess",
    "SkillAssessment",
    "StudyCheckin",
    "StudyGoal",
    "TargetRole",
    "User",
]
