"""Every table Encore stores. Importing this package registers them all on ``SQLModel.metadata``."""

from storage.models.coaching import ExamResult, SkillAssessment, StudyCheckin, StudyGoal, TargetRole
from storage.models.core import ConversationState, Identity, JournalEntry, Profile, User

__all__ = [
    "ConversationState",
    "ExamResult",
    "Identity",
    "JournalEntry",
    "Profile",
    "SkillAssessment",
    "StudyCheckin",
    "StudyGoal",
    "TargetRole",
    "User",
]
