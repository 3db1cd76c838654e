"""Every table Encore stores. Importing this package registers them all on ``SQLModel.metadata``."""

from storage.models.core import ConversationState, Identity, JournalEntry, Profile, User
from storage.models.nudges import CheckinSlot

__all__ = ["CheckinSlot", "ConversationState", "Identity", "JournalEntry", "Profile", "User"]
