"""Every table Encore stores. Importing this package registers them all on ``SQLModel.metadata``."""

from storage.models.coaching import ExamResult, SkillAssessment, StudyCheckin, StudyGoal, TargetRole
from storage.models.core import ConversationState, Identity, JournalEntry, Profile, User
from storage.models.nudges import CheckinSlot
from storage.models.plan import PausePeriod, PlanChange
from storage.models.runtime import DeliveryReceipt, RunningProcess, SendPace, TelegramInbox
from storage.models.trust import ActiveWeek, LinkAttempt, LinkCode
from storage.models.understanding import CoolingOff
from storage.models.views import PublishedView

__all__ = [
    "ActiveWeek",
    "CheckinSlot",
    "ConversationState",
    "CoolingOff",
    "DeliveryReceipt",
    "ExamResult",
    "Identity",
    "JournalEntry",
    "LinkAttempt",
    "LinkCode",
    "PausePeriod",
    "PlanChange",
    "Profile",
    "PublishedView",
    "RunningProcess",
    "SendPace",
    "SkillAssessment",
    "StudyCheckin",
    "StudyGoal",
    "TargetRole",
    "TelegramInbox",
    "User",
]
